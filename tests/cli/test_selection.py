"""`--select`, `--ignore`, `--config`, `--exit-zero` and `--statistics`, as ruff users expect them."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path

import pytest

from hubsave.analysis import Settings
from hubsave.cli_settings import CheckSettings

# One script with findings of five rules: HS101 is not among them (it pushes).
SCRIPT = '''from huggingface_hub import run_uv_job
from trl import SFTConfig

config = SFTConfig(output_dir="o", push_to_hub=True, push_to_hub_token=None)
run_uv_job("train.py", secrets={"HF_TOKEN": "$HF_TOKEN"})
hf_jobs("uv", {"script": "https://example.com/train.py"})
'''
ALL_CODES = {"HS103", "HS104", "HS301", "HS304", "HS306"}


@pytest.fixture
def folder(tmp_path) -> Path:
    (tmp_path / "train.py").write_text(SCRIPT)
    return tmp_path


def codes(hubsave, folder: Path, *args: str) -> set[str]:
    run = hubsave("--format", "json", *args, ".", cwd=folder)
    assert run.code in (0, 1), run.err
    return {f["code"] for f in json.loads(run.out)}


def test_the_script_has_findings_of_every_family(hubsave, folder):
    assert codes(hubsave, folder) == ALL_CODES


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--select", "HS1"], {"HS103", "HS104"}),
        (["--select", "HS104,HS3"], {"HS104", "HS301", "HS304", "HS306"}),
        (["--select", "HS104", "--select", "HS301"], {"HS104", "HS301"}),  # repeatable, like ruff
        (["--select", "hs30"], {"HS301", "HS304", "HS306"}),
        (["--select", "ALL", "--ignore", "HS3"], {"HS103", "HS104"}),
        (["--ignore", "HS1,HS306"], {"HS301", "HS304"}),
        (["--select", "HS1", "--ignore", "HS104"], {"HS103"}),
        (["--select", "HS104", "--ignore", "HS1"], {"HS104"}),  # the more specific code wins
        (["--select", "HS104", "--ignore", "HS104"], set()),  # a tie: ignore wins
    ],
)
def test_command_line_selection(hubsave, folder, args, expected):
    assert codes(hubsave, folder, *args) == expected


def test_command_line_layers_over_the_project(hubsave, folder):
    (folder / "pyproject.toml").write_text('[tool.hubsave]\nselect = ["HS1", "HS30"]\nignore = ["HS103"]\n')
    assert codes(hubsave, folder) == {"HS104", "HS301", "HS304", "HS306"}
    # --ignore adds to the project's ignore list.
    assert codes(hubsave, folder, "--ignore", "HS304") == {"HS104", "HS301", "HS306"}
    # --ignore of a broad prefix beats a project's narrower select: it is a later layer.
    (folder / "pyproject.toml").write_text('[tool.hubsave]\nselect = ["HS104", "HS301"]\n')
    assert codes(hubsave, folder, "--ignore", "HS1") == {"HS301"}
    # --select starts over: the project's select and ignore no longer apply.
    (folder / "pyproject.toml").write_text('[tool.hubsave]\nselect = ["HS3"]\nignore = ["HS103"]\n')
    assert codes(hubsave, folder, "--select", "HS1") == {"HS103", "HS104"}


def test_project_select_with_a_narrower_select_than_ignore():
    settings = Settings(select=frozenset({"HS104"}), ignore=frozenset({"HS1"}))
    assert settings.enabled("HS104") and not settings.enabled("HS103")
    assert not Settings(ignore=frozenset({"HS1"})).enabled("HS104")
    assert not Settings().enabled("HS999", opt_in=True)
    assert Settings(select=frozenset({"HS9"})).enabled("HS999", opt_in=True)


@pytest.mark.parametrize("flag", ["--select", "--ignore"])
def test_an_unknown_code_is_a_usage_error(hubsave, folder, flag):
    run = hubsave(flag, "HS9", ".", cwd=folder)
    assert run.code == 2
    assert "HS9" in run.err and run.out == ""


def test_config_file_replaces_discovery(hubsave, folder):
    (folder / "pyproject.toml").write_text('[tool.hubsave]\nselect = ["HS3"]\n')
    (folder / "hubsave.toml").write_text('select = ["HS1"]\nignore = ["HS103"]\n')
    other = folder / "ci" / "pyproject.toml"
    other.parent.mkdir()
    other.write_text('[tool.hubsave]\nselect = ["HS306"]\n[tool.other]\nx = 1\n')
    assert codes(hubsave, folder) == {"HS301", "HS304", "HS306"}
    assert codes(hubsave, folder, "--config", "hubsave.toml") == {"HS104"}
    assert codes(hubsave, folder, "--config", "ci/pyproject.toml") == {"HS306"}
    # `key = value` overrides one setting on top of the file; the command line comes last.
    assert codes(hubsave, folder, "--config", "hubsave.toml", "--config", "ignore = []") == {"HS103", "HS104"}
    assert codes(hubsave, folder, "--config", "hubsave.toml", "--select", "HS306") == {"HS306"}


def test_config_severity_override(hubsave, folder):
    run = hubsave("--format", "json", "--config", 'severity = { HS304 = "error" }', ".", cwd=folder)
    severities = {f["code"]: f["severity"] for f in json.loads(run.out)}
    assert severities["HS304"] == "error" and severities["HS103"] == "warning"


@pytest.mark.parametrize(
    ("config", "files", "message"),
    [
        ("missing.toml", {}, "cannot read"),
        ("bad.toml", {"bad.toml": "select = [\n"}, "not valid TOML"),
        ("not a = toml = line", {}, "neither a file nor a TOML"),
        ("pyproject.toml", {"pyproject.toml": "[tool]\nhubsave = 3\n"}, "not a table"),
    ],
)
def test_config_errors_are_usage_errors(hubsave, folder, config, files, message):
    for name, text in files.items():
        (folder / name).write_text(text)
    run = hubsave("--config", config, ".", cwd=folder)
    assert run.code == 2 and message in run.err and run.out == ""


def test_two_config_files_are_refused(hubsave, folder):
    (folder / "a.toml").write_text("")
    (folder / "b.toml").write_text("")
    run = hubsave("--config", "a.toml", "--config", "b.toml", ".", cwd=folder)
    assert run.code == 2 and "only one" in run.err


def test_exit_zero(hubsave, folder):
    assert hubsave(".", cwd=folder).code == 1
    assert hubsave("--exit-zero", ".", cwd=folder).code == 0
    (folder / "binary.py").write_bytes(b"\x00")
    assert hubsave("--exit-zero", ".", cwd=folder).code == 2  # an unreadable file is not a finding


def test_statistics(hubsave, folder):
    (folder / "more.py").write_text(SCRIPT)
    records = json.loads(hubsave("--format", "json", ".", cwd=folder).out)
    expected = Counter(r["code"] for r in records)
    rows = json.loads(hubsave("--statistics", "--format", "json", ".", cwd=folder).out)
    assert {r["code"]: r["count"] for r in rows} == expected
    assert [r["count"] for r in rows] == sorted(expected.values(), reverse=True)
    text = hubsave("--statistics", ".", cwd=folder)
    assert text.code == 1
    first = text.out.splitlines()[0].split("\t")
    assert first[0] == str(rows[0]["count"]) and first[1] == rows[0]["code"]
    assert hubsave("--statistics", "--format", "sarif", ".", cwd=folder).code == 2


def test_each_project_in_one_run_gets_its_own_settings(hubsave, tmp_path):
    """Settings are built once per project file (cli_settings.for_path), not per path."""
    for name, select in (("a", "HS1"), ("b", "HS3")):
        (tmp_path / name / "pkg").mkdir(parents=True)
        (tmp_path / name / "pyproject.toml").write_text(f'[tool.hubsave]\nselect = ["{select}"]\n')
        for script in ("train.py", "pkg/train.py"):
            (tmp_path / name / script).write_text(SCRIPT)
    run = hubsave("--format", "json", ".", cwd=tmp_path)
    found = {(Path(f["path"]).parts[0], f["code"][:3]) for f in json.loads(run.out)}
    assert found == {("a", "HS1"), ("b", "HS3")}


def test_a_changed_project_file_is_read_again_by_the_same_options(tmp_path):
    (tmp_path / "train.py").write_text(SCRIPT)
    options, problems = CheckSettings(), []
    path = str(tmp_path / "train.py")
    (tmp_path / "pyproject.toml").write_text('[tool.hubsave]\nselect = ["HS1"]\n')
    first = options.for_path(path, frozenset(), problems)
    assert options.for_path(path, frozenset(), problems) is first
    assert first == CheckSettings().for_path(path, frozenset(), [])
    (tmp_path / "pyproject.toml").write_text('[tool.hubsave]\nselect = ["HS3", "HS104"]\n')
    later = time.time() + 5  # a new mtime even on a coarse clock
    os.utime(tmp_path / "pyproject.toml", (later, later))
    assert options.for_path(path, frozenset(), problems).select == frozenset({"HS3", "HS104"})
