"""Shell scripts (`.sh`, `.bash`, a sh/bash shebang): the whole file is command lines."""

from __future__ import annotations

import re

from .fragment import Fragment, whole

SHEBANG = re.compile(rb"#![ \t]*(?:/usr)?/bin/(?:env[ \t]+(?:-S[ \t]+)?)?(?:ba|da|z|k)?sh\b")


def fragments(text: str) -> list[Fragment]:
    return [whole(text, "shell")]


def has_shell_shebang(head: bytes) -> bool:
    return SHEBANG.match(head) is not None
