"""`hubsave check --fix` applies safe fixes only; `--unsafe-fixes` opts in, as in ruff."""

from __future__ import annotations

import json
from pathlib import Path

# HS109: a known rename (safe) and a spelling guess (unsafe); HS401: a removed token (unsafe).
SCRIPT = """\
from huggingface_hub import HfApi
from trl import GRPOConfig, SFTConfig

sft = SFTConfig(output_dir="s", max_seq_length=1024, push_to_hub=True, hub_model_id="alice/s")
grpo = GRPOConfig(output_dir="g", max_prompt_length=None, push_to_hub=True, hub_model_id="alice/g")
api = HfApi(token="hf_MadeUpForTestsAbCdEfGhIjKlMnOpQrStUv")
"""


def test_fix_applies_the_known_rename_and_leaves_the_guess(hubsave, tmp_path: Path):
    (tmp_path / "train.py").write_text(SCRIPT, encoding="utf-8")
    run = hubsave("--fix", "train.py", cwd=tmp_path)
    fixed = (tmp_path / "train.py").read_text(encoding="utf-8")
    assert "max_length=1024" in fixed and "max_seq_length" not in fixed
    # max_prompt_length is no spelling of max_completion_length: a guess is never applied unasked.
    assert "max_prompt_length=None" in fixed and "max_completion_length" not in fixed
    assert 'HfApi(token="hf_' in fixed
    assert run.out.splitlines()[-1] == (
        "Fixed 1 problem. Found 2 problems in 1 file(s). "
        "2 hidden fixes can be enabled with the `--unsafe-fixes` option."
    )
    assert run.code == 1


def test_unsafe_fixes_opt_in(hubsave, tmp_path: Path):
    (tmp_path / "train.py").write_text(SCRIPT, encoding="utf-8")
    run = hubsave("--fix", "--unsafe-fixes", "train.py", cwd=tmp_path)
    fixed = (tmp_path / "train.py").read_text(encoding="utf-8")
    assert "max_completion_length=None" in fixed and "api = HfApi()" in fixed
    assert run.out.splitlines()[-1] == "Fixed 3 problems. All checks passed (1 file)."
    assert run.code == 0


def test_project_file_can_turn_unsafe_fixes_on(hubsave, tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.hubsave]\nunsafe-fixes = true\n", encoding="utf-8")
    (tmp_path / "train.py").write_text(SCRIPT, encoding="utf-8")
    hubsave("--fix", "train.py", cwd=tmp_path)
    assert "api = HfApi()" in (tmp_path / "train.py").read_text(encoding="utf-8")


def test_json_says_each_fix_grade_and_whether_fix_applies_it(hubsave, tmp_path: Path):
    (tmp_path / "train.py").write_text(SCRIPT, encoding="utf-8")
    records = json.loads(hubsave("--format", "json", "train.py", cwd=tmp_path).out)
    assert [(r["code"], r["fixable"], r["fix_applicability"]) for r in records] == [
        ("HS109", True, "safe"),
        ("HS109", False, "unsafe"),
        ("HS401", False, "unsafe"),
    ]
    records = json.loads(hubsave("--format", "json", "--unsafe-fixes", "train.py", cwd=tmp_path).out)
    assert [r["fixable"] for r in records] == [True, True, True]


def test_diff_shows_safe_fixes_only(hubsave, tmp_path: Path):
    (tmp_path / "train.py").write_text(SCRIPT, encoding="utf-8")
    run = hubsave("--diff", "train.py", cwd=tmp_path)
    changed = [line for line in run.out.splitlines() if line.startswith(("+", "-")) and line[:3] not in ("+++", "---")]
    assert changed == [
        '-sft = SFTConfig(output_dir="s", max_seq_length=1024, push_to_hub=True, hub_model_id="alice/s")',
        '+sft = SFTConfig(output_dir="s", max_length=1024, push_to_hub=True, hub_model_id="alice/s")',
    ]
    assert (tmp_path / "train.py").read_text(encoding="utf-8") == SCRIPT
