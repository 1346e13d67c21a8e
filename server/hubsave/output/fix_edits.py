"""Each fixable finding's own edit, for reports that carry fixes (SARIF).

Computed with hubsave.fixes on the original text (apply_fix, then the smallest
edit between the two texts), only when a report asks for it: the plain check
path never imports libcst.
"""

from __future__ import annotations

from ..analysis.findings import Finding
from ..fixes.apply import apply_fix
from ..fixes.recipes import FixNotApplicable
from ..fixes.text_edit import minimal_edit


def edit_record(text: str, finding: Finding, unsafe: bool = False) -> dict | None:
    """{title, line, column, end_line, end_column (1-based, end exclusive), new_text}
    of the fix `--fix` would apply (safe, or also unsafe with `unsafe`)."""
    fix = finding.automatic_fix(unsafe)
    if fix is None:
        return None
    try:
        edit = minimal_edit(text, apply_fix(text, fix))
    except FixNotApplicable:
        return None
    if edit is None:
        return None
    span = edit.span
    return {
        "title": fix.title,
        "line": span.start_line + 1,
        "column": span.start_col + 1,
        "end_line": span.end_line + 1,
        "end_column": span.end_col + 1,
        "new_text": edit.new_text,
    }
