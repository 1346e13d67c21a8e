"""`hubsave check` run in-process (its real argument parsing, files and output) from a folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from hubsave.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_DIRS = [ROOT / "examples", ROOT / "tests" / "fixtures" / "seed", ROOT / "tests" / "fixtures" / "rules"]


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def hubsave(capsys, monkeypatch):
    """hubsave(*args, cwd=PATH) -> Run(code, out, err)."""

    def run(*args: str, cwd: Path) -> Run:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(["check", *args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
