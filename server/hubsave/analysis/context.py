"""What a rule sees: the parsed document, its facts and the settings."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cached_property

from .document import Document
from .facts import Facts
from .findings import Finding, FixRequest, Related, Severity, Span
from .rules.registry import RULES
from .settings import Settings
from .signatures import SignatureRequest
from .symbols import callee_name
from .workspace import normalize_path


@dataclass
class RuleContext:
    doc: Document
    settings: Settings
    # Environment signatures HS109 wanted but found no cached answer for: the caller
    # looks them up off the keystroke path and analyzes again.
    signature_requests: set[SignatureRequest] = field(default_factory=set)

    @cached_property
    def facts(self) -> Facts:
        return Facts.of(self.doc)

    @cached_property
    def job_script(self) -> bool:
        """Runs in a throw-away container, so losing results is an error, not a warning."""
        if self.settings.ephemeral or self.doc.inline_script is not None:
            return True
        path = self.doc.path
        return bool(path) and normalize_path(path) in self.settings.job_scripts

    def finding(
        self,
        code: str,
        where: ast.AST | Span,
        message: str,
        *,
        fix: FixRequest | None = None,
        severity: Severity | None = None,
        related: tuple[Related, ...] = (),
        alternatives: tuple[FixRequest, ...] = (),
    ) -> Finding:
        rule = RULES[code]
        span = where if isinstance(where, Span) else self.doc.span(where)
        return Finding(code, message, span, severity or rule.severity, rule.tags, fix, related, alternatives)

    def at_call(self, call: ast.Call) -> dict:
        """Step params that find this call again: its start and its callee's name."""
        return {"call": self.doc.span(call), "callee": callee_name(call)}

    def source(self, node: ast.AST) -> str:
        return self.doc.source(node)
