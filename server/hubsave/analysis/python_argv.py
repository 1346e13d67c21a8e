"""Python list literals as argvs (`script_args=[...]`, `command=[...]`,
`subprocess.run(["hf", "jobs", ...])`): each element a `Word`, so `job_argv` reads
them as it reads shell words. A non-string element is an unknown word; `*rest`
may add any number of them."""

from __future__ import annotations

import ast

from .document import Document
from .shell_words import UNKNOWN_PART, Word


def list_words(doc: Document, node: ast.expr | None) -> list[Word] | None:
    """The words of a list or tuple literal; None when `node` is not one."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    words = []
    for element in node.elts:
        span = doc.span(element)
        raw = doc.source(element)
        if isinstance(element, ast.Constant) and isinstance(element.value, str):
            words.append(Word(element.value, span, raw))
        elif isinstance(element, ast.Constant) and isinstance(element.value, (int, float)) and not isinstance(element.value, bool):
            words.append(Word(str(element.value), span, raw))
        else:
            words.append(Word(UNKNOWN_PART, span, raw, splat=isinstance(element, ast.Starred)))
    return words
