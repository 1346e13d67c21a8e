"""`--format json`: a list of finding records (path, code, severity, message, positions, fixable)."""

from __future__ import annotations

import json
from typing import TextIO


def write(results: list, out: TextIO) -> None:
    json.dump([f for r in results for f in r.findings], out, indent=2)
    out.write("\n")
