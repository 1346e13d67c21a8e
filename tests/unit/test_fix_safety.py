"""Fixes applied without the user choosing each one are certain (RULES.md "Fix safety")."""

from __future__ import annotations

from pathlib import Path

from hubsave.analysis import Settings, analyze
from hubsave.analysis.findings import DISPLAY_ONLY, SAFE, UNSAFE
from hubsave.analysis.fragments import analyze_source
from hubsave.fixes.apply import apply_fix, fix_all
from hubsave.kinds import Source
from hubsave.kinds.notebook import Cell
from hubsave.sources import DiskSources


def _hs109(findings) -> dict[str, object]:
    return {f.message.split(" does not accept ")[1].split(" ")[0]: f for f in findings if f.code == "HS109"}


def test_a_spelling_guess_is_an_unsafe_quick_fix_never_applied_by_fix_all():
    text = 'from trl import GRPOConfig\nGRPOConfig(output_dir="g", max_prompt_length=None, push_to_hub=True, hub_model_id="a/g")\n'
    [finding] = analyze(text, "t.py").findings
    assert finding.fix is not None and finding.fix.applicability is UNSAFE
    assert "max_completion_length" in apply_fix(text, finding.fix)  # offered, for the user to choose
    fixed, applied = fix_all(text, "t.py")
    assert fixed == text and applied == []


def test_known_replacements_convert_their_values():
    text = (
        "from transformers import TrainingArguments\n"
        "a = TrainingArguments(output_dir='a', warmup_ratio=0.1, group_by_length=True, include_inputs_for_metrics=True,"
        " push_to_hub=True, hub_model_id='alice/a')\n"
    )
    found = _hs109(analyze(text, "t.py").findings)
    assert {name: f.fix.applicability for name, f in found.items()} == dict.fromkeys(
        ["warmup_ratio", "group_by_length", "include_inputs_for_metrics"], SAFE
    )
    fixed, _ = fix_all(text, "t.py")
    assert fixed.splitlines()[1] == (
        "a = TrainingArguments(output_dir='a', warmup_steps=0.1, train_sampling_strategy='group_by_length', "
        "include_for_metrics=['inputs'], push_to_hub=True, hub_model_id='alice/a')"
    )
    assert analyze(fixed, "t.py").findings == []


def test_a_value_that_does_not_convert_for_sure_gets_no_fix():
    # warmup_steps=1.0 is one step, not the whole run: no rename keeps the meaning.
    text = "from transformers import TrainingArguments\nTrainingArguments(output_dir='a', warmup_ratio=1.0, group_by_length=flag)\n"
    found = _hs109(analyze(text, "t.py").findings)
    assert {name: f.fix for name, f in found.items()} == {"warmup_ratio": None, "group_by_length": None}
    assert "renamed warmup_steps (convert the value by hand)" in found["warmup_ratio"].message


def test_push_fix_adds_hub_model_id_with_the_login_and_leaves_no_hs103():
    text = 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="runs/qwen-sft")\n'
    [finding] = analyze(text, "t.py", Settings(namespace="alice")).findings
    assert finding.code == "HS101" and finding.fix.applicability is SAFE
    fixed, _ = fix_all(text, "t.py", Settings(namespace="alice"))
    assert fixed.splitlines()[1] == (
        'config = SFTConfig(output_dir="runs/qwen-sft", push_to_hub=True, hub_model_id="alice/qwen-sft")'
    )
    assert analyze(fixed, "t.py", Settings(namespace="alice")).findings == []


def test_without_the_login_the_push_fix_is_a_snippet_fix_all_skips():
    text = 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="qwen")\n'
    [finding] = analyze(text, "t.py").findings
    assert finding.fix.applicability is DISPLAY_ONLY
    assert 'hub_model_id="your-namespace/qwen"' in apply_fix(text, finding.fix)
    assert fix_all(text, "t.py", Settings(unsafe_fixes=True)) == (text, [])


def test_fix_all_drops_a_fix_that_leaves_a_finding_it_cannot_fix():
    # The organization is a placeholder from the docs: moving it into hub_model_id
    # would raise HS204, which has no fix without the login.
    text = (
        "from trl import SFTConfig\n"
        'SFTConfig(output_dir="o", push_to_hub=True, push_to_hub_model_id="m", push_to_hub_organization="my-org")\n'
    )
    findings = [f for f in analyze(text, "t.py").findings if f.code == "HS104"]
    assert len(findings) == 2 and all(f.automatic_fix() for f in findings)
    assert "HS204" in [f.code for f in analyze(apply_fix(text, findings[0].fix), "t.py").findings]
    assert fix_all(text, "t.py") == (text, [])


def test_several_fixes_in_one_pass_match_one_at_a_time():
    text = Path(__file__).parents[1].joinpath("fixtures", "rules", "HS305.py").read_text(encoding="utf-8")
    batched, fixed = fix_all(text, "HS305.py")
    one_by_one = text
    while True:
        candidates = [f for f in analyze(one_by_one, "HS305.py").findings if f.automatic_fix()]
        if not candidates:
            break
        one_by_one = apply_fix(one_by_one, candidates[0].fix)
    assert len(fixed) > 3 and batched == one_by_one


# -- pinned releases (HS109) ---------------------------------------------------------

PINNED = """\
from trl import SFTConfig
from transformers import TrainingArguments
s = SFTConfig(output_dir="s", trust_remote_code=True, push_to_hub=True, hub_model_id="alice/s")
t = TrainingArguments(output_dir="t", warmup_ratio=0.1, activation_checkpointing=True, push_to_hub=True, hub_model_id="alice/t")
"""


def _judged(findings) -> list[tuple[str, str]]:
    return sorted((name, f.message.split("(")[1].split(")")[0]) for name, f in _hs109(findings).items())


def test_bundled_releases_without_a_pin():
    assert _judged(analyze(PINNED, "t.py").findings) == [("warmup_ratio", "transformers 5.24.0")]


def test_notebook_pip_lines_pin_the_release():
    def judged(pip: str):
        return _judged(p.finding for p in analyze_source(Source.cells([Cell(pip), Cell(PINNED)]), "nb.ipynb").findings)

    # trl 0.29 did not know trust_remote_code; TrainingArguments stays transformers 5 (trl 0.29 allows it).
    assert judged("!pip install -q trl==0.29.0") == [
        ("trust_remote_code", "transformers 5.24.0, trl 0.29.1"),
        ("warmup_ratio", "transformers 5.24.0"),
    ]
    assert judged("%pip install transformers==4.57.1 trl") == [("activation_checkpointing", "transformers 4.57.6")]
    assert judged("!pip install transformers==4.46.0") == []  # a release the schema does not know: silent


def test_requirements_next_to_the_script_pin_the_release(tmp_path: Path):
    script = tmp_path / "train.py"
    script.write_text(PINNED, encoding="utf-8")
    settings = Settings(sources=DiskSources())
    (tmp_path / "requirements.txt").write_text("# pinned\ntransformers==4.57.6\ntrl\n", encoding="utf-8")
    assert _judged(analyze(PINNED, str(script), settings).findings) == [("activation_checkpointing", "transformers 4.57.6")]
    (tmp_path / "requirements.txt").write_text("transformers<4.50\n", encoding="utf-8")
    assert _judged(analyze(PINNED, str(script), settings).findings) == []


def test_pyproject_next_to_the_script_pins_the_release(tmp_path: Path):
    script = tmp_path / "train.py"
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["trl==0.29.*"]\n', encoding="utf-8")
    assert ("trust_remote_code", "transformers 5.24.0, trl 0.29.1") in _judged(
        analyze(PINNED, str(script), Settings(sources=DiskSources())).findings
    )
