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


class Applicability(enum.Enum):
    """How sure a fix is, graded as ruff grades it.

    SAFE: same meaning, only the mistake changed; fix-all, `--fix` and the
    pre-commit hook apply it. UNSAFE: changes behaviour (a guessed rename, a
    namespace taken from the Hub login, a removed `token=`); applied only with
    `--unsafe-fixes` / the `unsafeFixes` setting, always offered as a quick fix.
    DISPLAY_ONLY: needs the user to finish it (a snippet with a placeholder); only
    an editor that supports snippets offers it, nothing applies it unattended.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


SAFE, UNSAFE, DISPLAY_ONLY = Applicability.SAFE, Applicability.UNSAFE, Applicability.DISPLAY_ONLY

# In a display-only fix's text, what the user types: the editor turns these into
# snippet placeholders (hubsave.lsp.edits). Plain identifiers, so the text still parses.
SNIPPET_NAMESPACE = "your-namespace"
SNIPPET_NAME = "model-name"


@dataclass(frozen=True)
class FixRequest:
    """What a fix should do, cheap to build on the keystroke path.

    `hubsave.fixes` turns the steps into text edits (with libcst) only when the
    user asks for a code action. Params are plain values: spans, names, snippets.
    Every fix says how sure it is (`applicability`); there is no default.
    """

    title: str
    steps: tuple[EditStep, ...]
    applicability: Applicability

    @classmethod
    def make(cls, title: str, applicability: Applicability, kind: str, **params: Any) -> FixRequest:
        return cls(title, (step(kind, **params),), applicability)

    def applies(self, unsafe: bool = False) -> bool:
        """Whether a fix nobody chose one by one (fix-all, `--fix`) may apply it."""
        return self.applicability is SAFE or (unsafe and self.applicability is UNSAFE)


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

    def automatic_fix(self, unsafe: bool = False) -> FixRequest | None:
        """The fix fix-all / `--fix` apply: `fix` when its grade allows, else none."""
        return self.fix if self.fix is not None and self.fix.applies(unsafe) else None

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity)

    def shifted(self, lines: int) -> Finding:
        return replace(self, span=self.span.shifted(lines))
