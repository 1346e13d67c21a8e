"""`--format text`: one `path:line:col: CODE message` line per finding, then a summary."""

from __future__ import annotations

from typing import TextIO


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def summary(results: list) -> str:
    findings = [f for r in results for f in r.findings]
    fixed = sum(r.fixed for r in results)
    parts = []
    if fixed:
        parts.append(f"Fixed {_plural(fixed, 'problem')}.")
    if findings:
        fixable = sum(1 for f in findings if f["fixable"])
        parts.append(
            f"Found {_plural(len(findings), 'problem')} in {len({f['path'] for f in findings})} file(s)"
            + (f" ({fixable} fixable with `hubsave check --fix`)." if fixable else ".")
        )
        # As ruff: unsafe fixes are there, but only for those who opt in.
        hidden = sum(1 for f in findings if not f["fixable"] and f.get("fix_applicability") == "unsafe")
        if hidden:
            parts.append(f"{hidden} hidden fix{'es' * (hidden != 1)} can be enabled with the `--unsafe-fixes` option.")
    elif not any(r.error for r in results):
        parts.append(f"All checks passed ({_plural(len(results), 'file')}).")
    return " ".join(parts)


def write(results: list, out: TextIO) -> None:
    for result in results:
        for f in result.findings:
            where = f"{f['path']}:cell {f['cell'] + 1}" if "cell" in f else f["path"]  # notebooks: 1-based cell
            out.write(f"{where}:{f['line']}:{f['column']}: {f['code']} {f['message']}\n")
    out.write(summary(results) + "\n")
