"""Notebooks: the Python cells as one fragment, shell cells and `!` lines as command lines.

Cells run in one namespace, in order, so the Python cells are analyzed together:
an import in the first cell resolves a config in the fifth. Their lines are
joined with "\\n", IPython syntax masked (`kinds.ipython`), and a cell that does
not parse alone is blanked (Jupyter would refuse to run it too) so one half-typed
cell never hides the findings of the others. A `%%bash` cell and a `!hf jobs ...`
line are command lines.

Parts are cell indexes (every cell counts, Markdown included, as the file does).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from .fragment import LINE_END, Fragment, Origin, Piece, join
from ..analysis.pins import pip_install_requirements
from .ipython import mask_ipython

SHELL_CELL_MAGICS = frozenset({"bash", "sh", "script bash", "script sh"})


@dataclass(frozen=True)
class Cell:
    source: str
    kind: str = "code"  # "code", "markdown" or "raw" (as .ipynb says; LSP kinds map to these)


def fragments(cells: Sequence[Cell]) -> list[Fragment]:
    parts: dict[int, tuple[str, ...]] = {}
    newlines: dict[int, str] = {}
    python: list[Piece] = []
    shell: list[Piece] = []
    pins: list[str] = []
    for index, cell in enumerate(cells):
        if cell.kind != "code":
            continue
        lines = LINE_END.split(cell.source)
        parts[index] = tuple(lines)
        newlines[index] = m.group() if (m := LINE_END.search(cell.source)) else "\n"
        masked = mask_ipython(lines)
        if masked is None:
            magic = lines[0].strip()[2:].strip()
            if magic in SHELL_CELL_MAGICS:
                origins = (Origin(index, 0, editable=False), *(Origin(index, i) for i in range(1, len(lines))))
                shell.append(Piece(f"cell {index + 1}", ("", *lines[1:]), origins))
            continue
        text_lines, widths = masked
        pins += [spec for number in widths for spec in pip_install_requirements(lines[number])]
        origins = tuple(Origin(index, i, masked=widths.get(i, 0)) for i in range(len(lines)))
        python.append(Piece(f"cell {index + 1}", tuple(text_lines), origins))
        shell.extend(_bang_lines(index, lines, widths))
    found = [replace(join("python", python, parts, newlines), requirements=tuple(pins))] if python else []
    found += [join("shell", [piece], parts, newlines) for piece in shell]
    return found


def _bang_lines(index: int, lines: list[str], widths: dict[int, int]) -> list[Piece]:
    """`!hf jobs uv run ...` lines (with their backslash continuations) as command lines."""
    pieces = []
    number = 0
    while number < len(lines):
        stripped = lines[number].lstrip()
        if number not in widths or not stripped.startswith("!"):
            number += 1
            continue
        column = len(lines[number]) - len(stripped) + 1
        rows, origins = [lines[number][column:]], [Origin(index, number, column)]
        while lines[number].endswith("\\") and number + 1 < len(lines):
            number += 1
            rows.append(lines[number])
            origins.append(Origin(index, number))
        pieces.append(Piece(f"cell {index + 1}", tuple(rows), tuple(origins)))
        number += 1
    return pieces
