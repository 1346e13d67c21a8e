"""Hover: the documentation of the rule behind a diagnostic under the cursor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from ..analysis.findings import Finding
from ..analysis.rules import RULES

if TYPE_CHECKING:
    from .server import HubsaveServer


def rule_markdown(finding: Finding) -> str:
    rule = RULES[finding.code]
    return f"**{rule.code} {rule.name}** ({finding.severity.label})\n\n{rule.doc}"


def register(server: HubsaveServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: HubsaveServer, params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        if ls.notebooks.owns(uri):
            return ls.notebooks.hover(params)
        state = ls.session.documents.get(uri)
        document = ls.workspace.get_text_document(uri)
        if state is None or state.version != document.version:
            state = ls.analyse(uri)
        columns = ls.columns(uri)
        line = params.position.line
        col = columns.from_client(line, params.position.character)
        here = [
            f
            for f in state.findings
            if (f.span.start_line, f.span.start_col) <= (line, col) <= (f.span.end_line, f.span.end_col)
        ]
        if not here:
            return None
        text = "\n\n---\n\n".join(rule_markdown(f) for f in here)
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
            range=columns.range(here[0].span),
        )
