"""Rewrite a string literal's text in the user's own spelling (prefix and quotes).

Fixes that change a value (`"every-save"` to `"every_save"`, `"username/x"` to
`"alice/x"`) replace only the literal, so its quotes stay as written. A literal
that is not one plain piece (implicit concatenation, escapes, triple quotes,
line breaks) is not rewritten: the fix is then not offered.
"""

from __future__ import annotations

import re

_LITERAL = re.compile(r"(?P<prefix>[rRuUfF]{0,2})(?P<quote>['\"])(?P<body>[^\n]*)(?P=quote)")


def rewrite(source: str, old: str, new: str) -> str | None:
    """`source` (a plain literal whose text is `old`) with the text `new`; None when unsafe."""
    match = _LITERAL.fullmatch(source)
    if match is None or match["body"] != old or "f" in match["prefix"].lower() or "\\" in old:
        return None
    return _with_body(match, new)


def rewrite_start(source: str, old_start: str, new_start: str) -> str | None:
    """Replace the literal beginning of a string or f-string: `f"username/{x}"` -> `f"alice/{x}"`."""
    match = _LITERAL.fullmatch(source)
    if match is None or not match["body"].startswith(old_start) or any(c in old_start for c in "{}\\"):
        return None
    return _with_body(match, new_start + match["body"][len(old_start) :])


def _with_body(match: re.Match, body: str) -> str | None:
    quote = match["quote"]
    if quote in body or "\\" in body:
        return None
    return f"{match['prefix']}{quote}{body}{quote}"
