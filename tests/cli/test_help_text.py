"""`hubsave --help` is read in a terminal: plain text, no markdown backticks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hubsave.cli import build_parser

COMMANDS = [[]] + [[name] for name in build_parser()._subparsers._group_actions[0].choices]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "hubsave")
def test_help_has_no_backticks(command):
    out = subprocess.run([sys.executable, "-m", "hubsave", *command, "--help"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("usage: hubsave") and "`" not in out.stdout, out.stdout
