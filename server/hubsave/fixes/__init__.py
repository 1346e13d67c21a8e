"""Fixes: turn a finding's FixRequest into text edits, built only when asked for.

libcst is imported here, never on the keystroke path.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis import Settings, analyze
from ..analysis.findings import Finding, FixRequest, Span
from .recipes import RECIPES, FixNotApplicable

__all__ = ["FixNotApplicable", "TextEdit", "apply_fix", "fix_all", "minimal_edit"]


@dataclass(frozen=True)
class TextEdit:
    span: Span  # in the old text; character columns
    new_text: str


def apply_fix(text: str, fix: FixRequest) -> str:
    """The text after every step of `fix`; FixNotApplicable when a step cannot apply."""
    for edit in fix.steps:
        text = RECIPES[edit.kind](text, edit)
    return text


def _position(text: str, offset: int) -> tuple[int, int]:
    """0-based line and character column of an offset, with \\r\\n, \\r and \\n as line ends."""
    line, start, index = 0, 0, 0
    while True:
        cr, lf = text.find("\r", index, offset), text.find("\n", index, offset)
        found = [i for i in (cr, lf) if i != -1]
        if not found:
            return line, offset - start
        index = min(found)
        end = index + 2 if text.startswith("\r\n", index) else index + 1
        if end > offset:  # offset sits between \r and \n: treat as the line's end
            return line, index - start
        line, start, index = line + 1, end, end


def minimal_edit(old: str, new: str) -> TextEdit | None:
    """One edit that turns `old` into `new`, covering only what differs."""
    if old == new:
        return None
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    # Never split a \r\n pair: LSP clients count it as one line end.
    if prefix and old[prefix - 1] == "\r" and old[prefix : prefix + 1] == "\n":
        prefix -= 1
    start = _position(old, prefix)
    end = _position(old, len(old) - suffix)
    return TextEdit(Span(*start, *end), new[prefix : len(new) - suffix])


def fix_all(text: str, path: str | None = None, settings: Settings | None = None, rounds: int = 200) -> tuple[str, list[Finding]]:
    """Apply every available fix, one at a time, re-analysing after each.

    One at a time because fixes may touch the same call; re-analysis gives the
    next fix positions in the new text. Returns the text and the findings fixed.
    """
    fixed: list[Finding] = []
    skipped: set[tuple[str, Span]] = set()
    for _ in range(rounds):
        analysis = analyze(text, path, settings)
        candidates = [f for f in analysis.findings if f.fix is not None and (f.code, f.span) not in skipped]
        if not candidates:
            break
        finding = candidates[0]
        try:
            new = apply_fix(text, finding.fix)  # type: ignore[arg-type]
        except FixNotApplicable:
            new = text
        if new == text:
            skipped.add((finding.code, finding.span))
            continue
        fixed.append(finding)
        text = new
    return text, fixed
