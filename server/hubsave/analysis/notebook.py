"""A notebook's Python cells as one analysable text, and positions back into the cells.

Cells run in one namespace, in order, so they are analysed together: an import in
the first cell resolves a config in the fifth. The combined text is the code
cells' lines joined with "\\n". IPython syntax (`!pip`, `%time`, `%%capture`,
`obj?`) is masked with placeholders of the same length (`0` then spaces), so
every line and column of the combined text is the same line and column of a cell.
Cells that do not parse on their own are blanked (Jupyter would refuse to run
them too) so one half-typed cell never hides the findings of the others.

Pure: no LSP, no JSON, no disk.
"""

from __future__ import annotations

import ast
import bisect
import difflib
import re
from dataclasses import dataclass, field, replace
from typing import Sequence

from .engine import Analysis, analyze
from .findings import Finding, Span
from .pins import pip_install_requirements
from .settings import Settings

_LINE_END = re.compile(r"\r\n|\r|\n")
# `%%name` cell magics whose body is Python run in the kernel's namespace.
PYTHON_CELL_MAGICS = frozenset({"capture", "time", "timeit", "prun", "debug", "memit", "mprun"})
# `%time stmt`: the statement still runs in the kernel, so it stays analysable.
_TIMING_MAGIC = re.compile(r"%(time|timeit)(?=\s)")
_ASSIGNED_MAGIC = re.compile(r"[\w.\[\], ()*]*[\w\])]\s*=\s*(?=[!%])")
_HELP = re.compile(r"(\?{1,2})?[\w.*%]+(\(\))?(\?{1,2})?\s*$")
_COMPOUND = (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith, ast.Try,
             ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Match)


class CrossesCells(Exception):
    """An edit of the combined text cannot be written back into single cells."""


@dataclass(frozen=True)
class Cell:
    source: str
    kind: str = "code"  # "code", "markdown" or "raw" (as .ipynb says; LSP kinds map to these)


@dataclass(frozen=True)
class Segment:
    """One analysed cell's place in the combined text."""

    cell: int  # index in the list given to `combine`
    first_line: int  # the cell's line 0 in the combined text
    lines: tuple[str, ...]  # the cell's own lines, as written
    masked: dict[int, int]  # cell line -> columns [0, n) that are placeholders there
    newline: str  # what the cell ends its lines with, for lines a fix adds

    @property
    def end_line(self) -> int:  # exclusive, in the combined text
        return self.first_line + len(self.lines)


@dataclass
class Combined:
    text: str
    segments: list[Segment]
    broken: dict[int, str] = field(default_factory=dict)  # cell -> why it was blanked

    def locate(self, line: int) -> tuple[Segment, int]:
        """The segment holding combined `line`, and the line inside its cell."""
        starts = [s.first_line for s in self.segments]
        segment = self.segments[max(0, bisect.bisect_right(starts, line) - 1)]
        return segment, line - segment.first_line

    def to_cell(self, span: Span) -> tuple[int, Span] | None:
        """(cell, span inside it); a span running into a later cell is clipped to its cell."""
        if not self.segments:
            return None
        segment, start = self.locate(span.start_line)
        if span.end_line < segment.end_line:
            return segment.cell, Span(start, span.start_col, span.end_line - segment.first_line, span.end_col)
        last = len(segment.lines) - 1
        return segment.cell, Span(start, span.start_col, last, len(segment.lines[last]))

    def finding_in_cell(self, finding: Finding) -> tuple[int, Finding] | None:
        placed = self.to_cell(finding.span)
        if placed is None:
            return None
        cell, span = placed
        return cell, Finding(finding.code, finding.message, span, finding.severity, finding.tags, finding.fix,
                             finding.related)

    def cell_sources(self, new_text: str) -> dict[int, str]:
        """The new source of every cell that `new_text` (an edit of `text`) changes.

        Raises CrossesCells when a changed block of lines spans two cells, or
        rewrites a placeholder (a magic line cannot be written back as Python).
        """
        old_lines = _LINE_END.split(self.text)
        new_lines = _LINE_END.split(new_text)
        edits: dict[int, list[tuple[int, int, list[str]]]] = {}
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            segment = self._segment_for_hunk(i1, i2)
            replacement = self._restore(segment, i1, i2, new_lines[j1:j2])
            edits.setdefault(segment.cell, []).append(
                (i1 - segment.first_line, i2 - segment.first_line, replacement)
            )
        changed: dict[int, str] = {}
        for segment in self.segments:
            if segment.cell not in edits:
                continue
            lines = list(segment.lines)
            for start, end, replacement in sorted(edits[segment.cell], reverse=True):
                lines[start:end] = replacement
            changed[segment.cell] = segment.newline.join(lines)
        return changed

    def _segment_for_hunk(self, i1: int, i2: int) -> Segment:
        if i1 == i2:  # a pure insertion at a cell boundary belongs to the cell above it
            segment, _ = self.locate(max(i1 - 1, 0))
            if segment.cell in self.broken:
                raise CrossesCells(f"the edit lands in cell {segment.cell}, which does not parse")
            return segment
        segment, _ = self.locate(i1)
        if i2 > segment.end_line:
            raise CrossesCells("the edit spans two cells")
        if segment.cell in self.broken:
            raise CrossesCells(f"the edit lands in cell {segment.cell}, which does not parse")
        return segment

    def _restore(self, segment: Segment, i1: int, i2: int, new: list[str]) -> list[str]:
        """The replacement lines with placeholders turned back into what the cell says."""
        touched = [line - segment.first_line for line in range(i1, i2)
                   if line - segment.first_line in segment.masked]
        if not touched:
            return new
        if i2 - i1 != len(new):
            raise CrossesCells("the edit rewrites an IPython magic line")
        restored = list(new)
        combined_lines = _LINE_END.split(self.text)
        for cell_line in touched:
            width = segment.masked[cell_line]
            index = cell_line + segment.first_line - i1
            placeholder = combined_lines[cell_line + segment.first_line][:width]
            if not restored[index].startswith(placeholder):
                raise CrossesCells("the edit rewrites an IPython magic line")
            restored[index] = segment.lines[cell_line][:width] + restored[index][width:]
        return restored


@dataclass
class NotebookAnalysis:
    combined: Combined
    analysis: Analysis
    findings: list[tuple[int, Finding]]  # (cell, finding with a span inside that cell)


def combine(cells: Sequence[Cell]) -> Combined:
    """The code cells' text joined, with IPython syntax masked."""
    segments: list[Segment] = []
    masked_lines: list[str] = []
    for index, cell in enumerate(cells):
        if cell.kind != "code":
            continue
        lines = _LINE_END.split(cell.source)
        masked = mask_ipython(lines)
        if masked is None:
            continue
        text_lines, widths = masked
        newline = m.group() if (m := _LINE_END.search(cell.source)) else "\n"
        segments.append(Segment(index, len(masked_lines), tuple(lines), widths, newline))
        masked_lines.extend(text_lines)
    return Combined("\n".join(masked_lines), segments)


def with_pins(combined: Combined, settings: Settings | None) -> Settings:
    """`settings` plus the requirements the notebook's `%pip install` lines install (HS109)."""
    settings = settings or Settings()
    found = [
        spec
        for segment in combined.segments
        for number in segment.masked
        for spec in pip_install_requirements(segment.lines[number])
    ]
    return replace(settings, requirements=tuple(found)) if found else settings


def analyze_notebook(cells: Sequence[Cell], path: str | None = None, settings: Settings | None = None) -> NotebookAnalysis:
    combined = combine(cells)
    settings = with_pins(combined, settings)
    analysis = analyze(combined.text, path, settings)
    if analysis.syntax_error:  # only then pay for parsing cells one by one
        combined = blank_broken_cells(combined)
        analysis = analyze(combined.text, path, settings)
    findings = [placed for f in analysis.findings if (placed := combined.finding_in_cell(f))]
    return NotebookAnalysis(combined, analysis, findings)


# -- IPython syntax -------------------------------------------------------------
def mask_ipython(lines: list[str]) -> tuple[list[str], dict[int, int]] | None:
    """Lines with IPython syntax replaced by same-length placeholders, and where.

    None when the cell is not Python at all (`%%bash`, `%%writefile`...).
    """
    out = list(lines)
    widths: dict[int, int] = {}
    first = lines[0].lstrip() if lines else ""
    start = 0
    if first.startswith("%%"):
        name = first[2:].split(None, 1)[0] if first[2:].strip() else ""
        if name not in PYTHON_CELL_MAGICS:
            return None
        _mask(out, widths, 0, lines[0].index("%%"), len(lines[0]))
        start = 1
    scanner = _Scanner()
    number = start
    while number < len(lines):
        line = lines[number]
        if scanner.at_statement_start:
            magic = _magic_start(line)
            if magic is not None:
                column, keep_from = magic
                number = _mask_magic(lines, out, widths, number, column, keep_from)
                continue
        scanner.feed(line)
        number += 1
    return out, widths


def _magic_start(line: str) -> tuple[int, int | None] | None:
    """(column where IPython syntax starts, column where Python resumes or None)."""
    stripped = line.lstrip()
    indent = len(line) - len(stripped)
    if not stripped:
        return None
    if stripped[0] in "!%/,;" and not stripped.startswith("%%"):
        timing = _TIMING_MAGIC.match(stripped)
        if timing and _is_simple_statement(stripped[timing.end():]):
            return indent, indent + timing.end()
        return indent, None
    if stripped.startswith("%%"):
        return indent, None
    assigned = _ASSIGNED_MAGIC.match(stripped)
    if assigned:
        return indent + assigned.end(), None
    if "?" in stripped and _HELP.fullmatch(stripped) and not stripped.startswith("#"):
        return indent, None
    return None


def _is_simple_statement(rest: str) -> bool:
    rest = rest.strip()
    if not rest or rest.startswith("-"):
        return False
    try:
        body = ast.parse(rest).body
    except SyntaxError:
        return False
    return len(body) == 1 and not isinstance(body[0], _COMPOUND)


def _mask_magic(lines: list[str], out: list[str], widths: dict[int, int], number: int, column: int,
                keep_from: int | None) -> int:
    """Mask the magic on `number` and its backslash continuations; return the next line."""
    line = lines[number]
    if keep_from is not None:  # `%time stmt`: `0;` keeps the statement after it valid
        out[number] = line[:column] + "0;" + " " * (keep_from - column - 2) + line[keep_from:]
        widths[number] = keep_from
        return number + 1
    _mask(out, widths, number, column, len(line))
    while lines[number].endswith("\\") and number + 1 < len(lines):
        number += 1
        out[number] = " " * len(lines[number])
        widths[number] = len(lines[number])
        if lines[number].endswith("\\"):
            out[number] = out[number][:-1] + "\\"
    return number + 1


def _mask(out: list[str], widths: dict[int, int], number: int, column: int, end: int) -> None:
    """`0` at `column`, spaces to `end`; a trailing backslash stays to join the next line."""
    line = out[number]
    continued = line.endswith("\\") and end == len(line) and end - column > 1
    body = "0" + " " * (end - column - 1 - continued) + ("\\" if continued else "")
    out[number] = line[:column] + body + line[end:]
    widths[number] = end


class _Scanner:
    """Just enough of Python's tokenizer to know whether a line starts a new statement.

    A line inside a triple-quoted string, brackets or a backslash continuation is
    never IPython syntax.
    """

    def __init__(self) -> None:
        self.quote: str | None = None  # the open string's delimiter
        self.depth = 0
        self.continued = False

    @property
    def at_statement_start(self) -> bool:
        return self.quote is None and self.depth == 0 and not self.continued

    def feed(self, line: str) -> None:
        index, size = 0, len(line)
        self.continued = False
        while index < size:
            char = line[index]
            if self.quote:
                if char == "\\":
                    index += 2
                    continue
                if line.startswith(self.quote, index):
                    index += len(self.quote)
                    self.quote = None
                    continue
                index += 1
                continue
            if char == "#":
                return
            if char in "\"'":
                triple = line[index : index + 3]
                self.quote = triple if triple in ('"""', "'''") else char
                index += len(self.quote)
                continue
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            elif char == "\\" and index == size - 1:
                self.continued = True
            index += 1
        if self.quote in ('"', "'"):  # a one-line string ends with its line unless continued
            if not line.endswith("\\"):
                self.quote = None


# -- cells that do not parse ---------------------------------------------------
def blank_broken_cells(combined: Combined) -> Combined:
    """Blank the cells that do not parse on their own.

    Cells that each parse are whole statements, so together they parse too.
    """
    lines = _LINE_END.split(combined.text)
    broken: dict[int, str] = {}
    for segment in combined.segments:
        error = _syntax_error("\n".join(lines[segment.first_line : segment.end_line]))
        if error is not None:
            broken[segment.cell] = error
            _blank(lines, segment)
    return Combined("\n".join(lines), combined.segments, broken)


def _blank(lines: list[str], segment: Segment) -> None:
    lines[segment.first_line : segment.end_line] = [""] * len(segment.lines)


def _syntax_error(text: str) -> str | None:
    try:
        ast.parse(text)
    except SyntaxError as exc:
        return f"line {exc.lineno}: {exc.msg}"
    except (ValueError, RecursionError, MemoryError) as exc:
        return f"cannot parse: {type(exc).__name__}"
    return None
