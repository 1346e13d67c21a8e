"""Pure analysis: source text and settings in, findings out. No LSP, no disk, no network.

`analyze` and `Analysis` (the engine with every rule) are imported on first use, so
that importing the settings or the findings types (the language server before its
first document) does not import every rule.
"""

from .findings import Finding, FixRequest, Severity, Span, Tag
from .settings import Settings

__all__ = ["Analysis", "Finding", "FixRequest", "Settings", "Severity", "Span", "Tag", "analyze"]


def __getattr__(name: str):
    if name in ("Analysis", "analyze"):
        from . import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'hubsave.analysis' has no attribute {name!r}")
