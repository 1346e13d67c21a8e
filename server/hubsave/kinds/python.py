"""Python files: the whole file is one Python fragment, and it may be a job script."""

from __future__ import annotations

from .fragment import Fragment, whole


def fragments(text: str) -> list[Fragment]:
    return [whole(text, "python")]
