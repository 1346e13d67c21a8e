"""Read an `.ipynb` file's cells, and write new cell sources back without touching anything else.

Writing splices the new `source` values into the original text at their byte
positions, so outputs, metadata, key order, indentation and the final newline
stay exactly as they were. A `source` written as a list of lines stays a list
(lines that did not change keep their original JSON spelling); a string stays
a string.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .notebook import Cell

_WS = re.compile(r"[ \t\n\r]*")
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_DECODER = json.JSONDecoder()


class NotebookError(ValueError):
    """Not a notebook this tool can read: bad JSON, or JSON of another shape."""


@dataclass(frozen=True)
class SourceValue:
    start: int  # where the JSON value starts and ends in the file's text
    end: int
    items: tuple[tuple[str, str], ...] | None  # (string, raw JSON) per list item; None for a string


@dataclass
class NotebookFile:
    text: str
    cells: list[Cell]
    sources: list[SourceValue]
    python: bool  # the kernel's language is Python (or unstated)

    def with_sources(self, new: dict[int, str]) -> str:
        """The file's text with these cells' sources replaced, nothing else changed."""
        out, position = [], 0
        for index in sorted(new):
            value = self.sources[index]
            out.append(self.text[position : value.start])
            out.append(self._encode(value, new[index]))
            position = value.end
        out.append(self.text[position:])
        return "".join(out)

    def _encode(self, value: SourceValue, source: str) -> str:
        ascii_only = self.text.isascii() and "\\u" in self.text
        if value.items is None:
            return json.dumps(source, ensure_ascii=ascii_only)
        known = dict(value.items)  # unchanged lines keep their original spelling
        items = [known.get(line) or json.dumps(line, ensure_ascii=ascii_only) for line in _LINES.findall(source)]
        raw = self.text[value.start : value.end]
        opening, closing = _list_layout(raw, self.text, value.start)
        if not items:
            return "[]"
        separator = "," + opening
        return "[" + opening + separator.join(items) + closing + "]"


def _list_layout(raw: str, text: str, start: int) -> tuple[str, str]:
    """The whitespace after `[` and before `]` of a list, or nbformat's when it was empty."""
    inner = raw[1:-1]
    if inner.strip():
        opening = inner[: len(inner) - len(inner.lstrip())]
        closing = inner[len(inner.rstrip()) :]
        return opening, closing
    line_start = text.rfind("\n", 0, start) + 1
    indent = re.match(r"[ \t]*", text[line_start:]).group()  # type: ignore[union-attr]
    return "\n" + indent + " ", "\n" + indent


def read_notebook(text: str) -> NotebookFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"invalid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        if isinstance(data, dict) and "worksheets" in data:
            raise NotebookError("nbformat 3 notebooks are not supported (save it as nbformat 4)")
        raise NotebookError("not a Jupyter notebook (no list of cells)")
    cells: list[Cell] = []
    for number, cell in enumerate(data["cells"]):
        source = cell.get("source") if isinstance(cell, dict) else None
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise NotebookError(f"cell {number + 1} has no readable source")
        cells.append(Cell(source, str(cell.get("cell_type", "code"))))
    sources = _source_values(text)
    if len(sources) != len(cells):
        raise NotebookError("a cell has more than one source")
    return NotebookFile(text, cells, sources, _is_python(data))


def _is_python(data: dict) -> bool:
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    for key in ("language_info", "kernelspec"):
        info = metadata.get(key)
        language = info.get("name" if key == "language_info" else "language") if isinstance(info, dict) else None
        if isinstance(language, str) and language:
            return language.lower() == "python"
    return True


# -- positions of the cells' sources in the text (json gives values, not places) --
def _source_values(text: str) -> list[SourceValue]:
    found: list[SourceValue] = []
    for key, start in _members(text, _skip_ws(text, 0)):
        if key != "cells":
            continue
        for cell_start in _items(text, start):
            for cell_key, value_start in _members(text, cell_start):
                if cell_key == "source":
                    found.append(_source_value(text, value_start))
    return found


def _source_value(text: str, start: int) -> SourceValue:
    _, end = _DECODER.raw_decode(text, start)
    if text[start] != "[":
        return SourceValue(start, end, None)
    items = []
    for item_start in _items(text, start):
        value, item_end = _DECODER.raw_decode(text, item_start)
        items.append((value, text[item_start:item_end]))
    return SourceValue(start, end, tuple(items))


def _skip_ws(text: str, index: int) -> int:
    return _WS.match(text, index).end()  # type: ignore[union-attr]


def _members(text: str, index: int):
    """(key, value start) of each member of the object at `index`; values are skipped."""
    assert text[index] == "{"
    index = _skip_ws(text, index + 1)
    if text[index] == "}":
        return
    while True:
        key, index = json.decoder.scanstring(text, index + 1)
        index = _skip_ws(text, _skip_ws(text, index) + 1)  # past ':'
        yield key, index
        _, index = _DECODER.raw_decode(text, index)
        index = _skip_ws(text, index)
        if text[index] == "}":
            return
        index = _skip_ws(text, index + 1)  # past ','


def _items(text: str, index: int):
    """Start index of each item of the array at `index`."""
    assert text[index] == "["
    index = _skip_ws(text, index + 1)
    if text[index] == "]":
        return
    while True:
        yield index
        _, index = _DECODER.raw_decode(text, index)
        index = _skip_ws(text, index)
        if text[index] == "]":
            return
        index = _skip_ws(text, index + 1)
