"""Apply fixes: one finding's, or every fixable finding of a file (fix-all)."""

from __future__ import annotations

from typing import Callable

from ..analysis import Settings, analyze
from ..analysis.findings import Finding, FixRequest, Span
from .recipes import RECIPES, FixNotApplicable


def apply_fix(text: str, fix: FixRequest) -> str:
    """The text after every step of `fix`; FixNotApplicable when a step cannot apply."""
    for edit in fix.steps:
        text = RECIPES[edit.kind](text, edit)
    return text


def fix_all(
    text: str,
    path: str | None = None,
    settings: Settings | None = None,
    rounds: int = 200,
    accept: Callable[[str], object] | None = None,
    findings_of: Callable[[str], list[Finding]] | None = None,
) -> tuple[str, list[Finding]]:
    """Apply every available fix, one at a time, re-analysing after each.

    One at a time because fixes may touch the same call; re-analysis gives the
    next fix positions in the new text. `accept` may reject a fixed text by raising
    FixNotApplicable (a notebook: an edit that crosses cells); that fix is skipped.
    `findings_of` analyses a text that is not Python (command lines). Returns the text and the findings fixed.
    """
    fixed: list[Finding] = []
    skipped: set[tuple[str, Span]] = set()
    for _ in range(rounds):
        findings = findings_of(text) if findings_of is not None else analyze(text, path, settings).findings
        candidates = [f for f in findings if f.fix is not None and (f.code, f.span) not in skipped]
        if not candidates:
            break
        finding = candidates[0]
        try:
            new = apply_fix(text, finding.fix)  # type: ignore[arg-type]
            if accept is not None:
                accept(new)
        except FixNotApplicable:
            new = text
        if new == text:
            skipped.add((finding.code, finding.span))
            continue
        fixed.append(finding)
        text = new
    return text, fixed
