"""A fragment: the code (Python) or command lines (shell) a file holds, with a map back.

A file kind (`hubsave.kinds.*`) cuts a file into fragments. Every fragment line
comes from one line of one *part* of the file (part 0 for a plain text file, a
cell index for a notebook) and starts at a column of that line: a Markdown block
indented under a list item starts at its indent, a console prompt's command after
`$ `, a Makefile recipe after its tab and `@`. Findings are moved to file
positions with `place`, and an edited fragment text is written back into the
parts it changes with `part_texts`, so rules and fixes never see the kind.

Pure: no LSP, no disk.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from typing import Mapping, Sequence

from ..analysis.findings import Finding, Span

LINE_END = re.compile(r"\r\n|\r|\n")


class CannotWriteBack(ValueError):
    """An edit of a fragment that has no place in the file (spans two cells, rewrites
    a line the fragment does not own such as an IPython magic or a console's output)."""


@dataclass(frozen=True)
class Origin:
    """Where one fragment line comes from."""

    part: int  # 0 for a text file, the cell index for a notebook
    line: int  # the line in that part
    column: int = 0  # the part line's column of the fragment line's column 0
    # The first `masked` characters of the fragment line stand in for something else
    # of the same length (an IPython magic): positions hold, edits must keep them.
    masked: int = 0
    editable: bool = True  # False: a blank stand-in (console output, a block that does not parse)


@dataclass
class Fragment:
    language: str  # "python" or "shell"
    text: str
    origins: Sequence[Origin]  # one per line of `text`
    parts: Mapping[int, tuple[str, ...]]  # the lines of every part the fragment reads, as written
    newlines: dict[int, str] = field(default_factory=dict)  # each part's line end, for added lines
    pieces: tuple[Piece, ...] = ()  # Python: what is blanked alone when the whole does not parse
    # Why pieces were blanked (they do not parse alone), keyed by a label ("cell 3").
    broken: dict[str, str] = field(default_factory=dict)
    # Labels of the pieces that were blanked, by part (a notebook's cell index).
    broken_parts: dict[int, str] = field(default_factory=dict)
    # The file is this fragment (a .py file): a syntax error skips the file, and the
    # analysis may treat it as a job script.
    whole_file: bool = False
    # A piece that does not parse is the user's error (a cell) and is reported; False
    # for examples (a guide's blocks), which are often sketches.
    strict: bool = True
    # Code shown to readers (a guide's blocks), not run as it stands: its placeholders,
    # bare names and configs without a push are deliberate (analysis.fragments.NOT_FOR_EXAMPLES).
    example: bool = False
    # Requirements the file installs for this code (a notebook's `%pip install` lines): HS109
    # judges arguments against those releases.
    requirements: tuple[str, ...] = ()

    # -- positions ----------------------------------------------------------------
    def place(self, span: Span) -> tuple[int, Span]:
        """(part, span in that part); a span running into another part is clipped to the first."""
        start = self.origins[min(span.start_line, len(self.origins) - 1)]
        end_line = min(span.end_line, len(self.origins) - 1)
        end = self.origins[end_line]
        if end.part == start.part and end_line == span.end_line:
            return start.part, Span(start.line, start.column + span.start_col, end.line, end.column + span.end_col)
        last = max((o for o in self.origins if o.part == start.part), key=lambda o: o.line)
        width = len(self.parts[start.part][last.line])
        return start.part, Span(start.line, start.column + span.start_col, last.line, width)

    def placed(self, finding: Finding) -> tuple[int, Finding]:
        part, span = self.place(finding.span)
        related = tuple(replace(r, span=self.place(r.span)[1]) if r.path is None else r for r in finding.related)
        return part, replace(finding, span=span, related=related)

    def to_fragment(self, part: int, span: Span) -> Span | None:
        """A part's span in fragment coordinates (code actions ask about a range), None if outside."""
        rows = [i for i, o in enumerate(self.origins) if o.part == part and span.start_line <= o.line <= span.end_line]
        if not rows:
            return None
        first, last = self.origins[rows[0]], self.origins[rows[-1]]
        start_col = max(0, span.start_col - first.column) if first.line == span.start_line else 0
        end_col = max(0, span.end_col - last.column) if last.line == span.end_line else 1 << 30
        return Span(rows[0], start_col, rows[-1], end_col)

    # -- writing back -------------------------------------------------------------
    def part_texts(self, new_text: str) -> dict[int, str]:
        """The new text of every part that `new_text` (an edit of `text`) changes.

        Raises CannotWriteBack when a changed block of lines has no single place in
        one part. Added lines start as the line above does (its indent, `$ `, tab)."""
        if self.whole_file:
            return {0: new_text} if new_text != self.text else {}
        old_lines = LINE_END.split(self.text)
        new_lines = LINE_END.split(new_text)
        edits: dict[int, list[tuple[int, int, list[str]]]] = {}
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            part, start, end, lines = self._hunk(i1, i2, old_lines, new_lines[j1:j2])
            edits.setdefault(part, []).append((start, end, lines))
        changed: dict[int, str] = {}
        for part, hunks in edits.items():
            lines = list(self.parts[part])
            for start, end, replacement in sorted(hunks, reverse=True):
                lines[start:end] = replacement
            changed[part] = self.newlines.get(part, "\n").join(lines)
        return changed

    def _hunk(self, i1: int, i2: int, old: list[str], new: list[str]) -> tuple[int, int, int, list[str]]:
        """(part, first part line, end part line, replacement part lines) for fragment lines [i1, i2)."""
        if i1 == i2:  # an insertion: it belongs to the line above (or before the first line)
            anchor = self.origins[i1 - 1] if i1 > 0 else self.origins[0]
            if not anchor.editable:
                raise CannotWriteBack("the edit lands on a line this file kind does not own")
            at = anchor.line + 1 if i1 > 0 else anchor.line
            prefix = self.parts[anchor.part][anchor.line][: anchor.column]
            return anchor.part, at, at, [prefix + line for line in new]
        origins = self.origins[i1:i2]
        first = origins[0]
        if any(o.part != first.part for o in origins):
            raise CannotWriteBack("the edit spans two cells")
        if any(not o.editable for o in origins):
            raise CannotWriteBack("the edit rewrites a line this file kind does not own")
        if [o.line for o in origins] != list(range(first.line, first.line + len(origins))):
            raise CannotWriteBack("the edit spans lines that are not next to each other in the file")
        source = self.parts[first.part]
        if len(new) == len(origins):  # line for line: each keeps its own prefix and mask
            out = []
            for origin, old_line, new_line in zip(origins, old[i1:i2], new):
                if origin.masked and new_line[: origin.masked] != old_line[: origin.masked]:
                    raise CannotWriteBack("the edit rewrites an IPython magic")
                written = source[origin.line]
                keep = origin.column + origin.masked
                out.append(written[:keep] + new_line[origin.masked :])
            return first.part, first.line, first.line + len(origins), out
        if any(o.masked for o in origins):
            raise CannotWriteBack("the edit rewrites an IPython magic")
        prefix = source[first.line][: first.column]
        return first.part, first.line, first.line + len(origins), [prefix + line for line in new]


# -- building fragments ------------------------------------------------------------------
@dataclass(frozen=True)
class Piece:
    """Lines that belong together (a cell, a fenced block): for Python, one that does not
    parse is blanked on its own so the others are still checked."""

    label: str
    lines: tuple[str, ...]  # as the fragment will read them
    origins: tuple[Origin, ...]


def join(language: str, pieces: Sequence[Piece], parts: dict[int, tuple[str, ...]],
         newlines: dict[int, str] | None = None, strict: bool = True, example: bool = False) -> Fragment:
    lines = [line for piece in pieces for line in piece.lines]
    origins = tuple(origin for piece in pieces for origin in piece.origins)
    return Fragment(language, "\n".join(lines), origins, parts, newlines or {}, tuple(pieces), strict=strict,
                    example=example)


def blank_broken(fragment: Fragment) -> Fragment:
    """The fragment with the Python pieces that do not parse on their own blanked.

    Pieces that each parse are whole statements, so together they parse too."""
    lines: list[str] = []
    origins: list[Origin] = []
    broken: dict[str, str] = {}
    broken_parts: dict[int, str] = {}
    for piece in fragment.pieces:
        why = syntax_error("\n".join(piece.lines))
        if why is None:
            lines.extend(piece.lines)
            origins.extend(piece.origins)
            continue
        broken[piece.label] = why
        for origin in piece.origins:
            broken_parts.setdefault(origin.part, why)
        lines.extend("" for _ in piece.lines)
        origins.extend(replace(o, editable=False) for o in piece.origins)
    return replace(fragment, text="\n".join(lines), origins=tuple(origins), broken=broken, broken_parts=broken_parts)


def syntax_error(text: str) -> str | None:
    """Why Python text does not parse, None if it does."""
    import ast

    try:
        ast.parse(text)
    except SyntaxError as exc:
        return f"line {exc.lineno}: {exc.msg}"
    except (ValueError, RecursionError, MemoryError) as exc:
        return f"cannot parse: {type(exc).__name__}"
    return None


class _SameLines(Sequence[Origin]):
    """`Origin(0, i)` for each of `count` lines, made when asked for: a whole file's map
    is the identity, and one object per line cost more than the analysis of most
    files (`hubsave check` on a large tree reads every file, and analyses few)."""

    def __init__(self, count: int) -> None:
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return tuple(Origin(0, i) for i in range(self._count)[index])
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        return Origin(0, index)


class _TextLines(Mapping[int, tuple[str, ...]]):
    """`{0: the text's lines}`, split when asked for: the server keeps every open
    document's last analysis, and a tuple of lines costs twice the text."""

    def __init__(self, text: str) -> None:
        self._text = text

    def __getitem__(self, part: int) -> tuple[str, ...]:
        if part != 0:
            raise KeyError(part)
        return file_lines(self._text)[0]

    def __iter__(self):
        return iter((0,))

    def __len__(self) -> int:
        return 1


def whole(text: str, language: str) -> Fragment:
    """A file that is one fragment, line for line (a .py file, a shell script)."""
    if "\r" in text:
        lines, newline = file_lines(text)
        count = len(lines)
    else:
        newline, count = "\n", text.count("\n") + 1
    return Fragment(language, text, _SameLines(count), _TextLines(text), {0: newline}, whole_file=True)


def file_lines(text: str) -> tuple[tuple[str, ...], str]:
    if "\r" not in text:  # most files: str.split is several times faster than the pattern
        return tuple(text.split("\n")), "\n"
    lines = tuple(LINE_END.split(text))
    return lines, (m.group() if (m := LINE_END.search(text)) else "\n")
