"""`hubsave check --stdin-filename NAME -`: standard input checked as if it were the file NAME."""

from __future__ import annotations

import json
import shutil

from .conftest import EXAMPLES


def test_python_file_from_stdin_is_reported_as_that_file(hubsave_process):
    text = (EXAMPLES / "train_sft.py").read_bytes()
    from_stdin = hubsave_process("check", "--format", "json", "--stdin-filename", "train_sft.py", "-", cwd=EXAMPLES, stdin=text)
    from_disk = hubsave_process("check", "--format", "json", "train_sft.py", cwd=EXAMPLES)
    assert from_stdin.returncode == from_disk.returncode == 1
    records = json.loads(from_stdin.stdout)
    assert records == json.loads(from_disk.stdout) and records
    assert {r["path"] for r in records} == {"train_sft.py"}


def test_notebook_from_stdin_has_cell_records(hubsave_process):
    text = (EXAMPLES / "course_trainer.ipynb").read_bytes()
    run = hubsave_process("check", "--format", "json", "--stdin-filename", "course_trainer.ipynb", "-", cwd=EXAMPLES, stdin=text)
    records = json.loads(run.stdout)
    assert records == json.loads(hubsave_process("check", "--format", "json", "course_trainer.ipynb", cwd=EXAMPLES).stdout)
    assert [(r["cell"], r["code"]) for r in records] == [(5, "HS102")]


def test_fix_prints_the_fixed_text_and_writes_nothing(hubsave_process, tmp_path):
    shutil.copy(EXAMPLES / "course_trainer.ipynb", tmp_path / "nb.ipynb")
    original = (tmp_path / "nb.ipynb").read_bytes()
    run = hubsave_process("check", "--fix", "--stdin-filename", "nb.ipynb", "-", cwd=tmp_path, stdin=original)
    assert (tmp_path / "nb.ipynb").read_bytes() == original  # nothing written
    # The report goes to stderr: what was fixed, and what is left (HS103, no hub_model_id).
    assert run.stderr.decode().startswith("nb.ipynb:cell 6:3:51: HS103 ")
    # The same text `--fix` on the file writes.
    on_disk = hubsave_process("check", "--fix", "nb.ipynb", cwd=tmp_path)
    assert on_disk.returncode == run.returncode
    assert run.stdout == (tmp_path / "nb.ipynb").read_bytes() != original


def test_fix_of_python_text_then_json_report_on_stderr(hubsave_process, tmp_path):
    text = b'from trl import SFTConfig\nconfig = SFTConfig(output_dir="out", push_to_hub=False)\n'
    run = hubsave_process("check", "--fix", "--format", "json", "--stdin-filename", "t.py", "-", cwd=tmp_path, stdin=text)
    assert run.stdout == text.replace(b"push_to_hub=False", b"push_to_hub=True")
    assert [r["code"] for r in json.loads(run.stderr)] == ["HS103"]  # what is left: no hub_model_id


def test_the_name_decides_the_project_settings(hubsave_process, tmp_path):
    (tmp_path / "quiet").mkdir()
    (tmp_path / "quiet" / "pyproject.toml").write_text('[tool.hubsave]\nignore = ["HS102"]\n')
    text = b'from trl import SFTConfig\nconfig = SFTConfig(output_dir="out", push_to_hub=False)\n'
    loud = hubsave_process("check", "--format", "json", "--stdin-filename", "t.py", "-", cwd=tmp_path, stdin=text)
    quiet = hubsave_process("check", "--format", "json", "--stdin-filename", "quiet/t.py", "-", cwd=tmp_path, stdin=text)
    assert [r["code"] for r in json.loads(loud.stdout)] == ["HS102"]
    assert json.loads(quiet.stdout) == [] and quiet.returncode == 0


def test_bad_input_loses_nothing(hubsave_process, tmp_path):
    binary = b"\x00\x01not text"
    run = hubsave_process("check", "--fix", "--stdin-filename", "x.py", "-", cwd=tmp_path, stdin=binary)
    assert run.returncode == 2 and b"binary file" in run.stderr
    assert run.stdout == binary  # a pipe through --fix gets its bytes back
    other = hubsave_process("check", "--stdin-filename", "x.py", "a.py", cwd=tmp_path)
    assert other.returncode == 2 and b"give `-` or no path" in other.stderr


def test_plain_dash_reads_python(hubsave_process, tmp_path):
    text = b'from trl import SFTConfig\nconfig = SFTConfig(output_dir="out", push_to_hub=False)\n'
    run = hubsave_process("check", "--format", "json", "-", cwd=tmp_path, stdin=text)
    assert [(r["path"], r["code"]) for r in json.loads(run.stdout)] == [("-", "HS102")]
