"""The one entry point: source text and settings in, findings out."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .context import RuleContext
from .document import Document
from .findings import Finding
from .rules import RULES, Rule
from .settings import Settings
from .signatures import SignatureRequest
from .triggers import TriggerScreen


# Generated or data files this large are not training scripts; parsing them would
# cost seconds and gigabytes.
MAX_ANALYZED_CHARS = 5_000_000


@dataclass
class Analysis:
    findings: list[Finding] = field(default_factory=list)
    syntax_error: str | None = None  # set when the text does not parse: findings are empty
    document: Document | None = None
    skipped: str | None = None  # why the text was not analyzed at all
    # Config classes whose signature in the user's environment is not known yet
    # (Settings.environment_signatures): HS109 was silent for them.
    signature_requests: frozenset[SignatureRequest] = frozenset()


@lru_cache(maxsize=4)
def _screen(rule_count: int) -> TriggerScreen:
    """Every rule's distinct triggers, built once (again if rules were registered since)."""
    return TriggerScreen.of(t for r in RULES.values() for t in r.triggers)


def active_rules(text: str, settings: Settings) -> list[Rule]:
    """Rules that can fire on `text`: those with a trigger in it (most files have none)."""
    enabled = [rule for rule in RULES.values() if settings.enabled(rule.code, rule.opt_in, rule.live)]
    return _screen(len(RULES)).triggered(text, enabled)


def analyze(
    text: str, path: str | None = None, settings: Settings | None = None, previous: Document | None = None
) -> Analysis:
    """Findings for `text`. `previous`, the last version's parsed document, lets the
    parse reuse unchanged top-level statements (and is consumed by it)."""
    settings = settings or Settings()
    doc = Document(text, path, previous=previous)
    if len(text) > MAX_ANALYZED_CHARS:
        return Analysis(document=doc, skipped=f"not analysed: larger than {MAX_ANALYZED_CHARS // 1_000_000} MB")
    rules = active_rules(text, settings)
    if not rules:
        return Analysis(document=doc)  # mentions nothing we watch: no parse at all
    if not doc.parsed():
        return Analysis(syntax_error=doc.syntax_error, document=doc)
    ctx = RuleContext(doc, settings)
    findings: list[Finding] = []
    for rule in rules:
        for found in rule.check(ctx):
            if doc.is_suppressed(found.code, found.span.start_line):
                continue
            severity = settings.severity_for(found.code, found.severity)
            findings.append(found if severity == found.severity else found.with_severity(severity))
    findings.sort(key=lambda f: (f.span.start_line, f.span.start_col, f.code))
    return Analysis(findings, document=doc, signature_requests=frozenset(ctx.signature_requests))
