"""The hook definitions and the documented CI snippets use commands that `hubsave check` accepts."""

from __future__ import annotations

import re
import shlex

import yaml

from hubsave.cli import build_parser

from .conftest import ROOT

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
CI_DOC = (ROOT / "docs" / "ci.md").read_text()


def check_args(command: str):
    words = shlex.split(command.split(">")[0])
    assert words[:2] == ["hubsave", "check"], command
    return build_parser().parse_args(words[1:])


def test_hooks():
    assert {h["id"]: h["entry"] for h in HOOKS} == {"hubsave": "hubsave check", "hubsave-fix": "hubsave check --fix"}
    for hook in HOOKS:
        assert hook["language"] == "python" and hook["types_or"] == ["python", "jupyter", "shell", "makefile", "markdown", "yaml"] and hook["require_serial"] is True
        args = check_args(hook["entry"] + " train.py")
        assert args.fix == (hook["id"] == "hubsave-fix") and args.paths == ["train.py"]


def test_workflow_uploads_the_sarif_it_writes():
    workflow = yaml.safe_load((ROOT / "docs" / "github-actions.yml").read_text())
    (job,) = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    steps = job["steps"]
    runs = [s["run"] for s in steps if "hubsave check" in s.get("run", "")]
    (upload,) = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    sarif_step = check_args(runs[0])
    assert sarif_step.format == "sarif" and sarif_step.exit_zero
    assert runs[0].endswith("> " + upload["with"]["sarif_file"])
    assert steps.index(upload) < [s.get("run") for s in steps].index(runs[1])
    gate = check_args(runs[1])
    assert gate.format == "github" and not gate.exit_zero


def test_documented_commands_parse():
    commands = re.findall(r"^(?:\s*- run: )?(hubsave check[^#\n]*)", CI_DOC, re.M)
    assert len(commands) >= 6
    for command in commands:
        check_args(command)


def test_documented_pre_commit_config_names_the_hooks():
    snippet = re.search(r"## pre-commit.*?```yaml\n(.*?)```", CI_DOC, re.S).group(1)
    (repo,) = yaml.safe_load(snippet)["repos"]
    ids = {h["id"] for h in HOOKS}
    assert {h["id"] for h in repo["hooks"]} <= ids
    assert "id: hubsave-fix" in snippet
