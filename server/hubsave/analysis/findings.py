"""Plain data the analysis produces: spans, severities, findings and fix requests.

No LSP types here: the language server and the CLI convert these themselves.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True, order=True)
class Span:
    """0-based lines, character (code point) columns, end exclusive."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int

    def contains(self, line: int, col: int) -> bool:
        """The position is in the span or just after its end (where a cursor stands after typing)."""
        return (self.start_line, self.start_col) <= (line, col) <= (self.end_line, self.end_col)

    def overlaps(self, other: Span) -> bool:
        return (self.start_line, self.start_col) <= (other.end_line, other.end_col) and (
            other.start_line,
            other.start_col,
        ) <= (self.end_line, self.end_col)

    def shifted(self, lines: int) -> Span:
        return Span(self.start_line + lines, self.start_col, self.end_line + lines, self.end_col)


class Severity(enum.IntEnum):
    # Same numbers as LSP's DiagnosticSeverity, so conversion is trivial.
    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4

    @classmethod
    def parse(cls, name: str) -> Severity:
        aliases = {"info": "information", "warn": "warning"}
        key = aliases.get(name.strip().lower(), name.strip().lower())
        return cls[key.upper()]

    @property
    def label(self) -> str:
        return self.name.lower()


class Tag(enum.Enum):
    DEPRECATED = "deprecated"
    UNNECESSARY = "unnecessary"


@dataclass(frozen=True)
class EditStep:
    """One edit of a fix: `kind` names a recipe in `hubsave.fixes.recipes`."""

    kind: str
    params: tuple[tuple[str, Any], ...] = ()

    def param(self, name: str, default: Any = None) -> Any:
        return dict(self.params).get(name, default)


def step(kind: str, **params: Any) -> EditStep:
    return EditStep(kind, tuple(sorted(params.items())))


@dataclass(frozen=True)
class FixRequest:
    """What a fix should do, cheap to build on the keystroke path.

    `hubsave.fixes` turns the steps into text edits (with libcst) only when the
    user asks for a code action. Params are plain values: spans, names, snippets.
    """

    title: str
    steps: tuple[EditStep, ...]

    @classmethod
    def make(cls, title: str, kind: str, **params: Any) -> FixRequest:
        return cls(title, (step(kind, **params),))


@dataclass(frozen=True)
class Related:
    """A second place that explains a finding (the config a job script builds...)."""

    path: str | None
    span: Span
    message: str


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    span: Span
    severity: Severity
    tags: tuple[Tag, ...] = ()
    fix: FixRequest | None = None
    related: tuple[Related, ...] = field(default=())
    # Other fixes offered next to `fix` (another namespace...); fix-all uses only `fix`.
    alternatives: tuple[FixRequest, ...] = field(default=())

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity)

    def shifted(self, lines: int) -> Finding:
        return replace(self, span=self.span.shifted(lines))
