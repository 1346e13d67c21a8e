"""`--format text`: one `path:line:col: CODE message` line per finding, then a summary.

A file that does not parse gets a `path:line:col: could not be parsed (...)` line, and
the summary says how many; it never says "All checks passed" while one was skipped.
"""

from __future__ import annotations

from typing import TextIO

from . import not_checked_record


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def summary(results: list) -> str:
    findings = [f for r in results for f in r.findings]
    fixed = sum(r.fixed for r in results)
    broken = sum(1 for r in results if r.syntax_error)
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
    unreadable = sum(1 for r in results if r.error)
    skipped = sum(1 for r in results if r.skipped)
    if broken:
        parts.append(f"{_plural(broken, 'file')} could not be parsed.")
    if unreadable:
        parts.append(f"{_plural(unreadable, 'file')} could not be read.")
    if skipped:
        parts.append(f"{_plural(skipped, 'file')} not analyzed (too large).")
    if not (findings or broken or unreadable or skipped):
        parts.append(f"All checks passed ({_plural(len(results), 'file')}).")
    return " ".join(parts)


def write(results: list, out: TextIO) -> None:
    for result in results:
        for f in result.findings:
            where = f"{f['path']}:cell {f['cell'] + 1}" if "cell" in f else f["path"]  # notebooks: 1-based cell
            out.write(f"{where}:{f['line']}:{f['column']}: {f['code']} {f['message']}\n")
        if result.syntax_error:  # (a notebook's other cells were checked: their findings come first)
            record = not_checked_record(result)
            out.write(f"{result.path}:{record['line']}:1: could not be parsed ({result.syntax_error})\n")
    out.write(summary(results) + "\n")
