"""Makefiles: each recipe line (a tab-indented line under a rule) is a command line.

Make strips the recipe's tab and its `@`/`-`/`+` prefixes before the shell sees
the line, and joins backslash continuations (dropping the tab that starts the
next line), so the fragment starts each line after them. `$(VAR)` and `$$` stay
as written: to the command-line analysis a `$(...)` is a value it cannot know,
which is what a Make variable is here.
"""

from __future__ import annotations

import re

from .fragment import Fragment, Origin, Piece, file_lines, join

# A rule's first line: targets, a colon, not an assignment (`:=`, `::=`).
_RULE = re.compile(r"^[^\t#=:][^#=]*?:(?!=)")
_PREFIX = re.compile(r"\t[@+\-\s]*")


def fragments(text: str) -> list[Fragment]:
    lines, newline = file_lines(text)
    pieces: list[Piece] = []
    in_rule = False
    number = 0
    while number < len(lines):
        line = lines[number]
        if line.startswith("\t") and in_rule:
            column = _PREFIX.match(line).end()  # type: ignore[union-attr]
            rows, origins = [line[column:]], [Origin(0, number, column)]
            while lines[number].endswith("\\") and number + 1 < len(lines):
                number += 1
                follow = lines[number]
                skip = 1 if follow.startswith("\t") else 0
                rows.append(follow[skip:])
                origins.append(Origin(0, number, skip))
            pieces.append(Piece(f"recipe line {number + 1}", tuple(rows), tuple(origins)))
        elif line.strip() and not line.lstrip().startswith("#"):
            in_rule = _RULE.match(line) is not None
        number += 1
    return [join("shell", pieces, {0: lines}, {0: newline})] if pieces else []
