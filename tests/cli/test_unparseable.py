"""A file hubsave has to read that does not parse is never reported as clean: every format
says so, exit 1. One that mentions nothing a rule watches cannot have a finding, parsed or
not: it is not parsed at all (as in the editor), so the Python tools report its error."""

from __future__ import annotations

import json

import pytest

# A job submission and a training script, each left half-typed.
PLAIN = 'run_uv_job("train.py", flavor=(\n'
UNRELATED = "x = (\n"  # mentions nothing a rule watches
HALF_TYPED = 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="out"\n'
CLEAN = "print('hello')\n"


@pytest.mark.parametrize("text, line", [(PLAIN, 1), (HALF_TYPED, 2)], ids=["plain", "half-typed"])
def test_text_says_the_file_could_not_be_parsed(hubsave, tmp_path, text, line):
    (tmp_path / "broken.py").write_text(text)
    (tmp_path / "clean.py").write_text(CLEAN)
    run = hubsave("broken.py", "clean.py", cwd=tmp_path)
    assert run.code == 1
    assert "All checks passed" not in run.out
    lines = run.out.splitlines()
    assert lines[0] == f"broken.py:{line}:1: could not be parsed (line {line}: '(' was never closed)"
    assert lines[-1] == "1 file could not be parsed."


def test_findings_and_a_broken_file_are_both_in_the_summary(hubsave, tmp_path):
    (tmp_path / "a.py").write_text(PLAIN)
    (tmp_path / "b.py").write_text('from trl import SFTConfig\nconfig = SFTConfig(output_dir="x")\n')
    run = hubsave("a.py", "b.py", cwd=tmp_path)
    assert run.code == 1
    summary = run.out.splitlines()[-1]
    assert summary.startswith("Found 1 problem in 1 file(s)") and summary.endswith(". 1 file could not be parsed.")


def test_json_carries_the_parse_error_as_a_record(hubsave, tmp_path):
    (tmp_path / "broken.py").write_text(PLAIN)
    run = hubsave("--format", "json", "broken.py", cwd=tmp_path)
    assert run.code == 1
    assert json.loads(run.out) == [{
        "path": "broken.py", "code": None, "severity": "error",
        "message": "skipped, does not parse (line 1: '(' was never closed)",
        "line": 1, "column": 1, "end_line": 1, "end_column": 1, "fixable": False, "fix_applicability": None,
    }]


def test_sarif_and_github_carry_it_too(hubsave, tmp_path):
    (tmp_path / "broken.py").write_text(PLAIN)
    run = hubsave("--format", "sarif", "broken.py", cwd=tmp_path)
    assert run.code == 1
    notes = json.loads(run.out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [(n["level"], n["message"]["text"]) for n in notes] == [
        ("error", "skipped, does not parse (line 1: '(' was never closed)")]
    run = hubsave("--format", "github", "broken.py", cwd=tmp_path)
    assert run.code == 1
    assert run.out == "::error file=broken.py,title=hubsave::skipped, does not parse (line 1: '(' was never closed)\n"


def test_exit_zero_still_reports_it(hubsave, tmp_path):
    (tmp_path / "broken.py").write_text(PLAIN)
    run = hubsave("--exit-zero", "broken.py", cwd=tmp_path)
    assert run.code == 0 and "1 file could not be parsed." in run.out


def test_a_broken_file_that_mentions_nothing_watched_is_not_parsed(hubsave, tmp_path):
    (tmp_path / "unrelated.py").write_text(UNRELATED)
    run = hubsave("unrelated.py", cwd=tmp_path)
    assert run.code == 0 and run.out == "All checks passed (1 file).\n"
