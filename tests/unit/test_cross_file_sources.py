"""Cross-file rules read other files only through `Settings.sources`."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field

from hubsave.analysis import Settings, analyze
from hubsave.sources import DiskSources, EditorSources

SUBMIT = 'run_uv_job("train.py", timeout="2h", secrets={"HF_TOKEN": get_token()})\n'
LOSES = 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="out")\n'
PUSHES = 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="a/out")\n'


@dataclass
class Files:
    """A workspace held in memory: the same interface the CLI and the server provide."""

    files: dict[str, str]
    roots: tuple[str, ...] = ()
    asked: list[str] = field(default_factory=list)

    def read(self, path: str) -> str | None:
        self.asked.append(path)
        return self.files.get(path)


def _codes(text: str, path: str, sources) -> list[str]:
    return [f.code for f in analyze(text, path, Settings(sources=sources)).findings]


def test_without_sources_nothing_is_read_and_file_rules_stay_silent():
    codes = _codes(SUBMIT, "/ws/submit.py", None)
    assert "HS308" not in codes and "HS310" not in codes


def test_the_script_is_looked_up_next_to_the_file_then_in_each_root():
    files = Files({"/root/train.py": LOSES}, roots=("/root",))
    assert "HS308" in _codes(SUBMIT, "/ws/sub/submit.py", files)
    assert files.asked[:2] == ["/ws/sub/train.py", "/root/train.py"]


def test_missing_everywhere_is_hs310_and_not_hs308():
    codes = _codes(SUBMIT, "/ws/submit.py", Files({}, roots=("/root",)))
    assert "HS310" in codes and "HS308" not in codes


def test_editor_text_wins_over_disk(tmp_path):
    (tmp_path / "train.py").write_text(PUSHES, encoding="utf-8")
    submit = str(tmp_path / "submit.py")
    assert "HS308" not in _codes(SUBMIT, submit, DiskSources())
    script = str(tmp_path / "train.py")
    editor = EditorSources((), lambda path: LOSES if path == script else None)
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
