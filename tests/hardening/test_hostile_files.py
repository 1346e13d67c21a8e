"""`hubsave check` on files that are not what they seem: a clear message each, no crash."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BAD = 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="x")\n'


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hubsave", "check", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_binary_and_non_utf8_files_exit_2_and_the_rest_is_checked(tmp_path):
    (tmp_path / "binary.py").write_bytes(b"\x7fELF\x00\x01\x02")
    (tmp_path / "latin1.py").write_bytes("x = 'caf\xe9'\n".encode("latin-1"))
    (tmp_path / "train.py").write_text(BAD)
    result = run(".", "--format", "json", cwd=tmp_path)
    assert result.returncode == 2
    assert "binary.py: cannot read: binary file" in result.stderr
    assert "latin1.py: cannot read: not UTF-8" in result.stderr
    records = json.loads(result.stdout)
    assert [f["code"] for f in records] == [None, None, "HS101"]  # the files not checked are records too
    assert [f["message"].split(":")[0] for f in records[:2]] == ["cannot read", "cannot read"]


def test_huge_generated_file_is_skipped_with_a_message(tmp_path):
    line = "value_%d = SFTConfig  # generated\n"
    with open(tmp_path / "generated.py", "w") as handle:
        handle.writelines(line % i for i in range(1_700_000))  # about 50 MB
    (tmp_path / "train.py").write_text(BAD)
    result = run(".", cwd=tmp_path)
    assert result.returncode == 1
    assert "generated.py: not analysed: larger than 5 MB" in result.stderr
    assert "train.py:2:10: HS101" in result.stdout


def test_broken_pyproject_gives_one_warning_and_the_defaults(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.hubsave\nignore = [")
    (tmp_path / "a.py").write_text(BAD)
    (tmp_path / "b.py").write_text(BAD)
    result = run(".", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("not valid TOML") == 1
    assert result.stdout.count("HS101") == 2


def test_pyproject_settings_apply(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.hubsave]\nignore = ["HS101"]\n')
    (tmp_path / "a.py").write_text(BAD)
    result = run(".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "All checks passed" in result.stdout


def test_syntax_error_is_reported_and_fix_leaves_the_file_alone(tmp_path):
    broken = BAD + "def oops(:\n"
    (tmp_path / "broken.py").write_text(broken)
    result = run("--fix", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert "broken.py:3:1: could not be parsed (line 3: invalid syntax)" in result.stdout
    assert "All checks passed" not in result.stdout
    assert (tmp_path / "broken.py").read_text() == broken


def test_fix_keeps_crlf_and_bom(tmp_path):
    original = "\ufeff" + BAD.replace("\n", "\r\n")
    (tmp_path / "win.py").write_bytes(original.encode("utf-8"))
    # With the namespace known, HS101's fix is safe: push_to_hub and hub_model_id together.
    result = run("--fix", "--config", 'namespace = "alice"', "win.py", cwd=tmp_path)
    assert "Fixed 1 problem." in result.stdout and "All checks passed" in result.stdout  # no HS103 left
    assert result.returncode == 0
    data = (tmp_path / "win.py").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b'SFTConfig(output_dir="x", push_to_hub=True, hub_model_id="alice/x")\r\n' in data
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_usage_errors_exit_2(tmp_path):
    assert run("--format", "yaml", cwd=tmp_path).returncode == 2
    assert run("does-not-exist.py", cwd=tmp_path).returncode == 2
