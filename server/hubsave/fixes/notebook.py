"""Fixes in notebooks: applied to the combined text, written back into the cells they change."""

from __future__ import annotations

from ..analysis import Settings
from ..analysis.findings import Finding, FixRequest
from ..analysis.notebook import Combined, CrossesCells, with_pins
from .apply import apply_fix, fix_all
from .recipes import FixNotApplicable


def fix_cells(combined: Combined, fix: FixRequest) -> dict[int, str]:
    """New sources of the cells one fix changes; FixNotApplicable or CrossesCells if it cannot."""
    return combined.cell_sources(apply_fix(combined.text, fix))


def fix_all_cells(
    combined: Combined, path: str | None = None, settings: Settings | None = None, rounds: int = 50
) -> tuple[dict[int, str], list[Finding]]:
    """Every automatic fix that can be written back into single cells.

    Like `fix_all`, but a fix whose edit would cross cells (or rewrite a magic
    line) is skipped instead of applied.
    """

    def fits_cells(new_text: str) -> None:
        try:
            combined.cell_sources(new_text)
        except CrossesCells as exc:
            raise FixNotApplicable(str(exc)) from exc

    text, fixed = fix_all(combined.text, path, with_pins(combined, settings), rounds, accept=fits_cells)
    return (combined.cell_sources(text) if fixed else {}), fixed
