"""`--statistics`: how often each rule fired, most frequent first (as `ruff --statistics`)."""

from __future__ import annotations

import json
from collections import Counter
from typing import TextIO

from ..analysis.rules import RULES


def counts(results: list) -> list[dict]:
    tally = Counter(f["code"] for r in results for f in r.findings)
    fixable = Counter(f["code"] for r in results for f in r.findings if f["fixable"])
    return [
        {"code": code, "name": RULES[code].name if code in RULES else "", "count": n, "fixable": fixable[code]}
        for code, n in sorted(tally.items(), key=lambda item: (-item[1], item[0]))
    ]


def write(results: list, out: TextIO, fmt: str) -> None:
    rows = counts(results)
    if fmt == "json":
        json.dump(rows, out, indent=2)
        out.write("\n")
        return
    width = max((len(str(row["count"])) for row in rows), default=1)
    for row in rows:
        mark = "[*]" if row["fixable"] == row["count"] else "[-]" if row["fixable"] else "   "
        out.write(f"{row['count']:>{width}}\t{row['code']}\t{mark} {row['name']}\n")
