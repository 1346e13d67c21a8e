"""`hubsave check --stdin-filename NAME -`: standard input checked as if it were the file NAME."""

from __future__ import annotations

import json
import shutil

from .conftest import EXAMPLES

# max_seq_length is gone from SFTConfig: HS109's fix is the known new name.
CONFIG = b'from trl import SFTConfig\nconfig = SFTConfig(output_dir="o", push_to_hub=True, hub_model_id="a/b", max_seq_length=512)\n'
FIXED_CONFIG = CONFIG.replace(b"max_seq_length", b"max_length")


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


def notebook(*cells: str) -> bytes:
    code = [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": c} for c in cells]
    return json.dumps({"cells": code, "metadata": {"language_info": {"name": "python"}}, "nbformat": 4,
                       "nbformat_minor": 5}, indent=1).encode()  # fmt: skip


def test_fix_prints_the_fixed_text_and_writes_nothing(hubsave_process, tmp_path):
    original = notebook("import trl\n", CONFIG.decode())
    (tmp_path / "nb.ipynb").write_bytes(original)
    run = hubsave_process("check", "--fix", "--stdin-filename", "nb.ipynb", "-", cwd=tmp_path, stdin=original)
    assert (tmp_path / "nb.ipynb").read_bytes() == original  # nothing written
    assert run.returncode == 0 and run.stderr.decode().startswith("Fixed 1 problem")  # the report goes to stderr
    assert json.loads(run.stdout)["cells"][1]["source"] == FIXED_CONFIG.decode()
    # The same text `--fix` on the file writes.
    on_disk = hubsave_process("check", "--fix", "nb.ipynb", cwd=tmp_path)
    assert on_disk.returncode == run.returncode
    assert run.stdout == (tmp_path / "nb.ipynb").read_bytes()


def test_fix_of_python_text_then_json_report_on_stderr(hubsave_process, tmp_path):
    text = CONFIG + b"config = SFTConfig(output_dir='out', push_to_hub=False)\n"
    run = hubsave_process("check", "--fix", "--format", "json", "--stdin-filename", "t.py", "-", cwd=tmp_path, stdin=text)
    assert run.stdout.startswith(FIXED_CONFIG)
    assert "HS109" not in {r["code"] for r in json.loads(run.stderr)}  # what is left after the fix


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


def test_shell_script_from_stdin_is_read_as_command_lines(hubsave_process, tmp_path):
    # A job that pushes to the Hub without `--secrets HF_TOKEN`: HS301 on the `hf jobs` line.
    sft = "https://raw.githubusercontent.com/huggingface/trl/main/trl/scripts/sft.py"
    text = f"#!/usr/bin/env bash\nset -e\nhf jobs uv run --flavor a10g-small --timeout 2h {sft} --output_dir out --push_to_hub\n".encode()
    run = hubsave_process("check", "--format", "json", "--stdin-filename", "run.sh", "-", cwd=tmp_path, stdin=text)
    records = json.loads(run.stdout)
    assert ("run.sh", "HS301", 3) in {(r["path"], r["code"], r["line"]) for r in records}
    (tmp_path / "run.sh").write_bytes(text)
    assert records == json.loads(hubsave_process("check", "--format", "json", "run.sh", cwd=tmp_path).stdout)
    # The same text named as Python does not parse: the name decides the kind.
    as_python = hubsave_process("check", "--format", "json", "--stdin-filename", "run.py", "-", cwd=tmp_path, stdin=text)
    assert b"does not parse" in as_python.stderr
