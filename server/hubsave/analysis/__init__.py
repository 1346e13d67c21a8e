"""Pure analysis: source text and settings in, findings out. No LSP, no disk, no network."""

from .engine import Analysis, analyze
from .findings import Finding, FixRequest, Severity, Span, Tag
from .settings import Settings

__all__ = ["Analysis", "Finding", "FixRequest", "Settings", "Severity", "Span", "Tag", "analyze"]
