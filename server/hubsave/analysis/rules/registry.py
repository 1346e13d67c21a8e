"""The rule registry: each rule is a small function over facts, its doc next to it.

A rule module decorates its check functions with `@rule(...)`; the docstring of the
function is the rule's documentation (markdown: first line the summary, then
"Why", "Bad", "Good" and "Fix" sections). `hubsave rules`, hover and
docs/rules.md all read it from here.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

from ..findings import Applicability, Finding, Severity, Tag

if TYPE_CHECKING:
    from ..context import RuleContext

Check = Callable[["RuleContext"], Iterable[Finding]]


@dataclass(frozen=True)
class AnyOf:
    """A trigger met by any of its patterns: each starts with a literal, which `re`
    finds fast, where one alternation (`token|api_key`) is tried at every position."""

    patterns: tuple[re.Pattern[str], ...]

    @property
    def pattern(self) -> str:
        return " | ".join(p.pattern for p in self.patterns)

    def search(self, text: str) -> bool:
        return any(p.search(text) for p in self.patterns)


@dataclass(frozen=True)
class AllOf:
    """A trigger that needs every one of its patterns somewhere in the text: for a
    rule whose finding needs two things that one pattern cannot join (a name where
    a token goes, and a placeholder literal that name can be bound to)."""

    patterns: tuple[re.Pattern[str] | AnyOf, ...]

    @property
    def pattern(self) -> str:  # orders triggers, as re.Pattern.pattern does
        return " & ".join(p.pattern for p in self.patterns)

    def search(self, text: str) -> bool:
        return all(p.search(text) for p in self.patterns)



@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    check: Check
    # Substrings (or compiled patterns, or AllOf) of the source without which the rule
    # cannot fire: a cheap pre-filter that lets most files skip parsing altogether.
    triggers: tuple[str | re.Pattern[str] | AllOf, ...]
    # The grades its fixes can have (hubsave.analysis.findings.Applicability); empty: no fix.
    fixes: tuple[Applicability, ...] = ()
    opt_in: bool = False  # runs only when selected (HS203, the live Hub rules)
    tags: tuple[Tag, ...] = ()
    # Whether its triggers also mark the statements facts are collected from. A rule
    # that picks its own statements (Document.statements_where) says False, so its
    # broad words ("token=", "import") do not make most of a long file relevant.
    reads_facts: bool = True
    live: bool = False  # reads Hub verdicts: also runs when live Hub diagnostics are on

    @property
    def fixable(self) -> bool:
        return bool(self.fixes)

    @property
    def fix_grades(self) -> str:
        """"safe", "unsafe", "safe or unsafe", ... for docs and `hubsave rules`; "" without a fix."""
        return " or ".join(grade.value for grade in self.fixes)

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else self.name


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: Severity,
    *,
    triggers: Iterable[str | re.Pattern[str] | AllOf],
    fixes: Iterable[Applicability] = (),
    opt_in: bool = False,
    tags: Iterable[Tag] = (),
    reads_facts: bool = True,
    live: bool = False,
) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"rule {code} registered twice")
        RULES[code] = Rule(code, name, severity, check, tuple(triggers), tuple(fixes), opt_in, tuple(tags), reads_facts, live)
        return check

    return register


def lookup(code_or_name: str) -> Rule | None:
    key = code_or_name.strip()
    if key.upper() in RULES:
        return RULES[key.upper()]
    for found in RULES.values():
        if found.name == key.lower():
            return found
    return None


def make_finding(code: str, span, message: str, fix=None, related=()) -> Finding:
    """A finding of `code` at its default severity, for checks that work without a RuleContext
    (command lines: `hubsave.analysis.command_lines`)."""
    rule_ = RULES[code]
    return Finding(code, message, span, rule_.severity, rule_.tags, fix, tuple(related))
