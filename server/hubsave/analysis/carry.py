"""Keep findings while the user types and the file does not parse.

Findings before the edited lines stay, findings after them move with the text,
findings inside them wait for the next successful parse.
"""

from __future__ import annotations

from .findings import Finding


def carry_over(old_lines: list[str], findings: list[Finding], new_lines: list[str]) -> list[Finding]:
    limit = min(len(old_lines), len(new_lines))
    prefix = 0
    while prefix < limit and old_lines[prefix] == new_lines[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old_lines[-1 - suffix] == new_lines[-1 - suffix]:
        suffix += 1
    first_unchanged_after = len(old_lines) - suffix  # old line index where the tail begins
    delta = len(new_lines) - len(old_lines)
    kept: list[Finding] = []
    for finding in findings:
        if finding.span.end_line < prefix:
            kept.append(finding)
        elif finding.span.start_line >= first_unchanged_after:
            kept.append(finding.shifted(delta))
    return kept
