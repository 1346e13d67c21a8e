"""The recipe table and what every recipe module shares (below `recipes` and `pep723`).

A recipe turns one EditStep into new text; a module registers its recipes with
`@recipe("kind")`. `apply` imports every recipe module, so the table is complete there.
"""

from __future__ import annotations

import re
from typing import Callable

from ..analysis.findings import EditStep


class FixNotApplicable(Exception):
    pass


Recipe = Callable[[str, EditStep], str]
RECIPES: dict[str, Recipe] = {}


def recipe(kind: str) -> Callable[[Recipe], Recipe]:
    def register(fn: Recipe) -> Recipe:
        RECIPES[kind] = fn
        return fn

    return register


def lines_with_endings(text: str) -> list[str]:
    """Lines with their endings, split where `ast` and LSP split (not on \\f or \\x1c)."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", text)
