"""`--diff`: the fixes as a unified diff, written nowhere but stdout (as `ruff --diff`).

Headers name the path relative to the working directory (`--- dir/a.py` /
`+++ dir/a.py`, absolute outside it), so the output applies with `patch -p0` or
`git apply -p0` from the same directory. Line ends are kept
as they are in the file, and a last line without one gets patch's marker.
"""

from __future__ import annotations

import difflib
from typing import TextIO

from . import display_path

NO_NEWLINE = "\\ No newline at end of file\n"


def _lines(text: str) -> list[str]:
    """Split after each \\n only: patch counts lines the same way."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def unified_diff(path: str, old: str, new: str) -> str:
    path = display_path(path)
    out = []
    for line in difflib.unified_diff(_lines(old), _lines(new), fromfile=path, tofile=path):
        out.append(line if line.endswith("\n") else line + "\n" + NO_NEWLINE)
    return "".join(out)


def write(results: list, out: TextIO, err: TextIO) -> bool:
    """Print every file's diff; True when there is anything to fix."""
    changed = [r for r in results if r.diff]
    for result in changed:
        out.write(result.diff)
    fixes = sum(r.fixed for r in changed)
    if fixes:
        err.write(f"Would fix {fixes} problem{'s' * (fixes != 1)} in {len(changed)} file(s).\n")
    else:
        err.write("No fixes to apply.\n")
    return bool(changed)
