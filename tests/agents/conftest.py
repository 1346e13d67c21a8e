"""The real `hubsave` command, run as a process (true standard input and output)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture
def hubsave_process():
    """hubsave_process(*args, cwd=PATH, stdin=BYTES) -> CompletedProcess (bytes)."""

    def run(*args: str, cwd: Path, stdin: bytes = b"") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "hubsave", *args], cwd=cwd, input=stdin, capture_output=True, timeout=120, check=False
        )

    return run
