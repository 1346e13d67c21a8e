"""Hover: the documentation of the rule behind a diagnostic under the cursor, and for a
repo id, what the Hub says about it (the two combine)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from ..analysis.findings import Finding, Span
from ..analysis.hardware import DETAILS
from ..analysis.hub_sites import is_repo_id, repo_sites, site_at
from ..analysis.rules import RULES
from .hub_hover import hub_markdown

if TYPE_CHECKING:
    from .server import HubsaveServer


def rule_markdown(finding: Finding) -> str:
    rule = RULES[finding.code]
    return f"**{rule.code} {rule.name}** ({finding.severity.label})\n\n{rule.doc}"


def flavor_markdown(flavor: str) -> str:
    detail = DETAILS.get(flavor)
    if detail is None:
        return f"**{flavor}** · not an HF Jobs flavor (`hf jobs hardware` lists them)"
    return f"**{flavor}** · HF Jobs flavor\n\n{detail}"


async def hover_at(ls: HubsaveServer, params: types.HoverParams) -> types.Hover | None:
    """textDocument/hover (registered in `features`)."""
    uri = params.text_document.uri
    query = ls.query(uri)
    if query is None:
        return None
    columns = query.columns()
    line = params.position.line
    col = columns.from_client(line, params.position.character)
    here = query.at(line, col)
    parts = [rule_markdown(f) for f in here]
    span: Span | None = here[0].span if here else None
    site = None
    if ls.session.enabled and query.script:
        document = ls.parsed(uri)
        site = site_at(repo_sites(document), line, col) if document is not None else None
    elif ls.session.enabled:  # a command line: `--flavor x`, `--hub_model_id x`...
        slot = query.command_line_slot(line, col)
        if slot is not None and slot.kind == "flavor" and slot.text:
            parts.insert(0, flavor_markdown(slot.text))
            span = slot.content
        site = slot.site if slot is not None else None
    if site is not None and is_repo_id(site.repo_id):
        markdown, verdict = await hub_markdown(ls.session.hub, site)
        ls.note_hub_answer(site, verdict)
        parts.insert(0, markdown)  # the id's facts first: that is what the cursor is on
        span = site.span
    if not parts or span is None:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)),
        range=columns.range(span),
    )
