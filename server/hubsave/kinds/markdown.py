"""Markdown: fenced code blocks. Python blocks are one Python fragment (a guide reads
top to bottom: an import in one block serves a config in the next), each shell
block is command lines.

The fences are found by a line scan (CommonMark's rules for fences: three or
more backticks or tildes, closed by the same character at least as long, an
unclosed fence running to the end; fences in block quotes `> ` too). Measured on
the 536 Markdown files of the TRL, PEFT, accelerate, datasets and huggingface_hub
repositories and packages: the same blocks as markdown-it-py in 529 files (the
others: fences indented 4+ spaces under list items, which the scan also reads),
in 0.3 s against markdown-it-py's 14 s, and no dependency. Prompts are
stripped: `$ ` and `>>> ` in shell blocks (`console` blocks keep only prompted lines and
their continuations), `>>> `/`... ` in Python blocks written as a doctest,
whose output lines are not code.
"""

from __future__ import annotations

import re

from .fragment import Fragment, Origin, Piece, file_lines, join

_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})\s*(?P<info>\{[^}]*\}|[^\s`{]*)")
_QUOTE = re.compile(r" {0,3}> ?")  # one block quote marker
PYTHON = frozenset({"python", "py", "python3", "py3", "pycon", "ipython", "python-repl"})
SHELL = frozenset({"sh", "bash", "shell", "console", "shell-session", "shellsession", "zsh", "terminal"})
_SESSION = frozenset({"console", "shell-session", "shellsession", "terminal"})
# `>>> ` too: huggingface_hub's Jobs guide writes its `hf jobs` commands after it.
_SHELL_PROMPTS = ("$", ">>>")


def blocks(lines: tuple[str, ...]):
    """(language info, first content line, end line exclusive, fence indent, quote depth) per fenced block."""
    number, count = 0, len(lines)
    while number < count:
        depth, quote = _quote(lines[number])
        line = lines[number][quote:]
        match = _FENCE.match(line)
        if match is None or (match.group("fence")[0] == "`" and "`" in line[match.end("fence"):]):
            number += 1
            continue
        fence, indent = match.group("fence"), len(match.group("indent"))
        info = match.group("info").strip("{}").split(",")[0].strip().lower()
        start = end = number + 1
        while end < count:
            inner = _quote(lines[end], depth)
            if inner[0] < depth:  # a quoted block ends with its quote
                break
            close = lines[end][inner[1]:].lstrip(" ")
            if close.startswith(fence[0] * len(fence)) and not close.strip(fence[0] + " \t"):
                break
            end += 1
        yield info, start, end, indent, depth
        number = end + 1


def _quote(line: str, most: int = 1 << 30) -> tuple[int, int]:
    """(how many `>` markers, up to `most`, start the line; the column after them)."""
    depth = column = 0
    while depth < most and (match := _QUOTE.match(line, column)):
        depth, column = depth + 1, match.end()
    return depth, column


def fragments(text: str) -> list[Fragment]:
    lines, newline = file_lines(text)
    parts, newlines = {0: lines}, {0: newline}
    python: list[Piece] = []
    shell: list[Fragment] = []
    for info, start, end, indent, depth in blocks(lines):
        if info in PYTHON:
            python.append(_python_piece(lines, start, end, indent, depth))
        elif info in SHELL:
            piece = _shell_piece(lines, start, end, indent, depth, session=info in _SESSION)
            shell.append(join("shell", [piece], parts, newlines, example=True))
    return ([join("python", python, parts, newlines, strict=False, example=True)] if python else []) + shell


def _content(line: str, indent: int, depth: int) -> int:
    """The column where a block line's content starts (the fence's quote markers and indent
    are not content)."""
    quote = _quote(line, depth)[1] if depth else 0
    rest = line[quote:]
    return quote + min(indent, len(rest) - len(rest.lstrip(" ")))


def _python_piece(lines, start: int, end: int, indent: int, depth: int) -> Piece:
    rows, origins = [], []
    doctest = any(line.lstrip().startswith(">>>") for line in lines[start:end])
    for number in range(start, end):
        line = lines[number]
        column = _content(line, indent, depth)
        body = line[column:]
        if doctest:
            prompt = body[:4] if body[:4] in (">>> ", "... ") else body[:3] if body.rstrip() in (">>>", "...") else None
            if prompt is None:  # output
                rows.append("")
                origins.append(Origin(0, number, column, editable=False))
                continue
            column, body = column + len(prompt), body[len(prompt):]
        rows.append(body)
        origins.append(Origin(0, number, column))
    return Piece(f"block at line {start}", tuple(rows), tuple(origins))


def _shell_piece(lines, start: int, end: int, indent: int, depth: int, session: bool) -> Piece:
    rows, origins = [], []
    continued = False
    for number in range(start, end):
        line = lines[number]
        column = _content(line, indent, depth)
        body = line[column:]
        prompt = next((p for p in _SHELL_PROMPTS if body.startswith(p + " ") or body == p), None)
        if prompt is not None:
            skip = min(len(prompt) + 1, len(body))
            column, body = column + skip, body[skip:]
        elif session and not continued:  # a console's output
            rows.append("")
            origins.append(Origin(0, number, column, editable=False))
            continue
        rows.append(body)
        origins.append(Origin(0, number, column))
        continued = body.endswith("\\")
    return Piece(f"block at line {start}", tuple(rows), tuple(origins))
