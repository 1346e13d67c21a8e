"""Each fixable finding's own edit, for reports that carry fixes (SARIF).

Computed with hubsave.fixes (the fix applied to its fragment, written back into
the file, then the smallest edit between the two texts), only when a report
asks for it: the plain check path never imports libcst.
"""

from __future__ import annotations

from ..analysis.fragments import Placed, SourceAnalysis
from ..fixes.fragments import fix_parts
from ..fixes.registry import FixNotApplicable
from ..fixes.text_edit import minimal_edit


def edit_record(analysis: SourceAnalysis, placed: Placed, unsafe: bool = False) -> dict | None:
    """{title, line, column, end_line, end_column (1-based, end exclusive), new_text} of the
    fix `--fix` would apply (safe, or also unsafe with `unsafe`), in the finding's part (a
    notebook's cell)."""
    fix = placed.raw.automatic_fix(unsafe)
    if fix is None:
        return None
    try:
        changed = fix_parts(analysis, placed, fix)
    except FixNotApplicable:
        return None
    if set(changed) != {placed.part}:
        return None
    edit = minimal_edit(analysis.source.parts[placed.part], changed[placed.part])
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
