"""A text edit, and the smallest one between two texts. No libcst here."""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.findings import Span


@dataclass(frozen=True)
class TextEdit:
    span: Span  # in the old text; character columns
    new_text: str


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
