"""IPython syntax in a notebook cell (`!pip`, `%time`, `%%capture`, `obj?`), masked.

Each is replaced by a placeholder of the same length (`0` then spaces), so every
line and column of the masked text is the same line and column of the cell.

Pure: no LSP, no JSON, no disk.
"""

from __future__ import annotations

import ast
import re

# `%%name` cell magics whose body is Python run in the kernel's namespace.
PYTHON_CELL_MAGICS = frozenset({"capture", "time", "timeit", "prun", "debug", "memit", "mprun"})
# `%time stmt`: the statement still runs in the kernel, so it stays analysable.
_TIMING_MAGIC = re.compile(r"%(time|timeit)(?=\s)")
_ASSIGNED_MAGIC = re.compile(r"[\w.\[\], ()*]*[\w\])]\s*=\s*(?=[!%])")
_HELP = re.compile(r"(\?{1,2})?[\w.*%]+(\(\))?(\?{1,2})?\s*$")
_COMPOUND = (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith, ast.Try,
             ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Match)


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
