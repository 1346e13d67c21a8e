"""`--format json`: a list of finding records (path, code, severity, message, positions, fixable).

A file that was not checked (does not parse, cannot be read, too large) is one record
too, with `"code": null` and the reason as its message, as ruff reports a syntax error.
"""

from __future__ import annotations

import json
from typing import TextIO

from . import not_checked_record


def write(results: list, out: TextIO) -> None:
    records = []
    for result in results:
        unchecked = not_checked_record(result)
        records += ([unchecked] if unchecked else []) + result.findings
    json.dump(records, out, indent=2)
    out.write("\n")
