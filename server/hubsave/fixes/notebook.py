"""Fixes in notebooks: applied to the combined text, written back into the cells they change."""

from __future__ import annotations

from ..analysis import Settings, analyze
from ..analysis.findings import Finding, FixRequest, Span
from ..analysis.notebook import Combined, CrossesCells
from .apply import apply_fix
from .recipes import FixNotApplicable


def fix_cells(combined: Combined, fix: FixRequest) -> dict[int, str]:
    """New sources of the cells one fix changes; FixNotApplicable or CrossesCells if it cannot."""
    return combined.cell_sources(apply_fix(combined.text, fix))


def fix_all_cells(
    combined: Combined, path: str | None = None, settings: Settings | None = None, rounds: int = 200
) -> tuple[dict[int, str], list[Finding]]:
    """Every fix that can be written back into single cells, one at a time with re-analysis.

    Like `fix_all`, but a fix whose edit would cross cells (or rewrite a magic
    line) is skipped instead of applied.
    """
    text = combined.text
    fixed: list[Finding] = []
    skipped: set[tuple[str, Span]] = set()
    for _ in range(rounds):
        candidates = [
            f for f in analyze(text, path, settings).findings if f.fix is not None and (f.code, f.span) not in skipped
        ]
        if not candidates:
            break
        finding = candidates[0]
        try:
            new = apply_fix(text, finding.fix)  # type: ignore[arg-type]
            combined.cell_sources(new)
        except (FixNotApplicable, CrossesCells):
            new = text
        if new == text:
            skipped.add((finding.code, finding.span))
            continue
        fixed.append(finding)
        text = new
    return (combined.cell_sources(text) if fixed else {}), fixed
