"""Editing a PEP 723 `# /// script` block: the block is comment text, not Python, so
this works on lines and keeps the list's own layout (one line, or one entry per line)."""

from __future__ import annotations

import re

from ..analysis.document import Document
from ..analysis.findings import EditStep, Span
from .registry import FixNotApplicable, lines_with_endings, recipe

_DEPENDENCIES = re.compile(r"^#\s*dependencies\s*=\s*\[")
_CLOSING = re.compile(r"^#\s*\]")
_STRING = re.compile(r"""("[^"]*"|'[^']*')""")


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]


def _one_line(line: str, name: str) -> str | None:
    """`# dependencies = ["trl"]` -> `# dependencies = ["trl", "name"]`."""
    body = line.rstrip("\r\n")
    start = body.index("[")
    end = _closing_bracket(body, start)
    if end is None:
        return None
    inside = body[start + 1 : end]
    strings = _STRING.findall(inside)
    quote = strings[0][0] if strings else '"'
    entry = f"{quote}{name}{quote}"
    if not strings:
        new_inside = entry
    else:
        last = inside.rindex(strings[-1]) + len(strings[-1])
        new_inside = f"{inside[:last]}, {entry}{inside[last:]}"
    return f"{body[: start + 1]}{new_inside}{body[end:]}{_ending(line)}"


def _closing_bracket(body: str, start: int) -> int | None:
    """The `]` closing the list opened at `start`, skipping strings (`"trl[peft]"`)."""
    quote = None
    for index in range(start + 1, len(body)):
        char = body[index]
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "]":
            return index
    return None


def _many_lines(lines: list[str], open_at: int, close_at: int, name: str) -> None:
    """An entry per line: the new one goes last, indented and quoted like the others."""
    entries = [i for i in range(open_at + 1, close_at) if _STRING.search(lines[i])]
    if entries:
        last = entries[-1]
        body = lines[last].rstrip("\r\n")
        match = re.match(r"^#(\s*)", body)
        indent = match.group(1) if match else "     "
        quote = _STRING.search(body).group(0)[0]  # type: ignore[union-attr]
        string_end = body.rindex(_STRING.findall(body)[-1]) + len(_STRING.findall(body)[-1])
        had_comma = body[string_end:].lstrip().startswith(",")
        if not had_comma:
            lines[last] = f"{body[:string_end]},{body[string_end:]}{_ending(lines[last])}"
        new = f"#{indent}{quote}{name}{quote}{',' if had_comma else ''}"
    else:
        new = f'#     "{name}",'
    lines.insert(close_at, new + (_ending(lines[open_at]) or "\n"))


@recipe("add_inline_dependency")
def add_inline_dependency(text: str, edit: EditStep) -> str:
    block: Span = edit.param("block")
    name: str = edit.param("name")
    lines = lines_with_endings(text)
    if block.end_line >= len(lines) or not lines[block.start_line].startswith("# /// script"):
        raise FixNotApplicable("no script block there")
    for index in range(block.start_line + 1, block.end_line):
        if not _DEPENDENCIES.match(lines[index]):
            continue
        one_line = _one_line(lines[index], name)
        if one_line is not None:
            lines[index] = one_line
        else:
            close_at = next((i for i in range(index + 1, block.end_line) if _CLOSING.match(lines[i])), None)
            if close_at is None:
                raise FixNotApplicable("dependencies list without its closing bracket")
            _many_lines(lines, index, close_at, name)
        break
    else:
        raise FixNotApplicable("the block has no dependencies list")
    new = "".join(lines)
    script = Document(new).inline_script
    if script is None or script.dependencies is None or name not in script.dependencies:
        raise FixNotApplicable("the edited block does not read back")  # never write a broken block
    return new
