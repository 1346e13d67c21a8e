"""Cross-file rules read other files only through `Settings.sources`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field

from hubsave.analysis import Settings, analyze
from hubsave.sources import DiskSources, EditorSources

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SUBMIT = 'run_uv_job("train.py", timeout="2h", secrets={"HF_TOKEN": get_token()})\n'
LOSES = 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="out")\n'
PUSHES = 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="a/out")\n'


@dataclass
class Files:
    """A workspace held in memory: the same interface the CLI and the server provide."""

    files: dict[str, str]
    root: str | None = None  # the project root of every file
    asked: list[str] = field(default_factory=list)

    def read(self, path: str) -> str | None:
        self.asked.append(path)
        return self.files.get(path)

    def project_root(self, path: str) -> str | None:
        return self.root


def _codes(text: str, path: str, sources) -> list[str]:
    return [f.code for f in analyze(text, path, Settings(sources=sources)).findings]


def test_without_sources_nothing_is_read_and_file_rules_stay_silent():
    codes = _codes(SUBMIT, "/ws/submit.py", None)
    assert "HS308" not in codes and "HS310" not in codes


def test_the_script_is_looked_up_next_to_the_file_then_in_its_project_root():
    files = Files({"/root/train.py": LOSES}, root="/root")
    assert "HS308" in _codes(SUBMIT, "/ws/sub/submit.py", files)
    assert files.asked[:2] == ["/ws/sub/train.py", "/root/train.py"]


def test_missing_everywhere_is_hs310_and_not_hs308():
    codes = _codes(SUBMIT, "/ws/submit.py", Files({}, root="/root"))
    assert "HS310" in codes and "HS308" not in codes


def test_editor_text_wins_over_disk(tmp_path):
    (tmp_path / "train.py").write_text(PUSHES, encoding="utf-8")
    submit = str(tmp_path / "submit.py")
    assert "HS308" not in _codes(SUBMIT, submit, DiskSources())
    script = str(tmp_path / "train.py")
    editor = EditorSources(lambda path: LOSES if path == script else None)
    assert "HS308" in _codes(SUBMIT, submit, editor)


def test_hubsave_check_reads_the_script_from_disk(tmp_path):
    (tmp_path / "submit.py").write_text(SUBMIT, encoding="utf-8")
    (tmp_path / "train.py").write_text(LOSES, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "hubsave", "check", "--format", "json", "--select", "HS308", str(tmp_path / "submit.py")],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    findings = json.loads(out.stdout)
    assert [(f["code"], f["line"]) for f in findings] == [("HS308", 1)]
    assert "train.py" in findings[0]["message"] and "line 2" in findings[0]["message"]


def _check(*args: str, cwd) -> list[tuple[str, str, int, int]]:
    run = subprocess.run([sys.executable, "-m", "hubsave", "check", "--format", "json", *args],
                         capture_output=True, text=True, cwd=cwd, timeout=300)
    return sorted((os.path.abspath(os.path.join(cwd, r["path"])), r["code"], r["line"], r["column"])
                  for r in json.loads(run.stdout))


def test_findings_do_not_depend_on_the_current_directory(tmp_path):
    """`hubsave check /abs/path/examples` from elsewhere finds what it finds from the repo
    root: `examples/submit_jobs.py` names "examples/train_dpo_old_args.py", relative to
    the project root (the folder of the nearest pyproject.toml or .git)."""
    examples = os.path.join(ROOT, "examples")
    from_root = _check(examples, cwd=ROOT)
    assert _check(examples, cwd=tmp_path) == from_root
    assert _check(examples, cwd=os.path.join(examples, "seed")) == from_root
    assert not any(code == "HS310" for _, code, _, _ in from_root)


def test_a_path_relative_to_the_project_root_is_found_from_a_subfolder(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "jobs").mkdir()
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "train.py").write_text(LOSES, encoding="utf-8")
    submit = tmp_path / "jobs" / "submit.py"
    submit.write_text(SUBMIT.replace('"train.py"', '"scripts/train.py"'), encoding="utf-8")
    elsewhere = tmp_path.parent
    assert [code for _, code, _, _ in _check(str(submit), cwd=elsewhere)] == ["HS308"]
    (tmp_path / "pyproject.toml").unlink()  # no project root: only the file's folder counts
    assert [code for _, code, _, _ in _check(str(submit), cwd=tmp_path)] == ["HS310"]
