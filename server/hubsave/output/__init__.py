"""Reports of `hubsave check`, one module per `--format`, plus `--diff` and `--statistics`.

Each format module has `write(results, out)` over the CLI's FileResults (their
`findings` are JSON-ready records). Only SARIF needs each fix's text edit: the
CLI computes edits only for the formats listed in NEEDS_EDITS.
"""

from __future__ import annotations

import importlib
import os
import re
from typing import Callable, TextIO

FORMATS = {"text": "text", "json": "json_report", "sarif": "sarif", "github": "github"}
NEEDS_EDITS = frozenset({"sarif"})


def writer(name: str) -> Callable[[list, TextIO], None]:
    return importlib.import_module(f".{FORMATS[name]}", __name__).write


def display_path(path: str) -> str:
    """Relative to the working directory with `/` (CI checkouts), absolute outside it."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith(os.pardir) else relative.replace(os.sep, "/")


def not_checked(result) -> tuple[str, str] | None:
    """(level, why) for a file whose findings are unknown: unreadable, unparsable or too large."""
    if result.error:
        return "error", result.error
    if result.syntax_error:
        return "error", f"skipped, does not parse ({result.syntax_error})"
    if result.skipped:
        return "warning", result.skipped
    return None


def not_checked_record(result) -> dict | None:
    """A file that was not checked, as a finding-shaped record with no code (as ruff's
    JSON reports a syntax error): `line` is the syntax error's when known, else 1."""
    problem = not_checked(result)
    if problem is None:
        return None
    found = re.search(r"line (\d+)", result.syntax_error or "")
    line = int(found.group(1)) if found and not result.path.endswith(".ipynb") else 1
    return {"path": result.path, "code": None, "severity": problem[0], "message": problem[1], "line": line,
            "column": 1, "end_line": line, "end_column": 1, "fixable": False, "fix_applicability": None}


def cell_prefix(record: dict) -> str:
    """Notebook records (with `cell`) have positions inside a cell, not lines of the .ipynb file:
    reports that can only point at file lines say where in words instead."""
    if "cell" not in record:
        return ""
    return f"cell {record['cell'] + 1}, line {record['line']}, column {record['column']}: "
