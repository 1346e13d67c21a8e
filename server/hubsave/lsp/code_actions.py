"""Quick fixes, suppression comments and fix-all, built with libcst only when asked for."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from lsprotocol import types

from ..analysis.findings import Finding, FixRequest, Span
from ..fixes.text_edit import TextEdit, minimal_edit
from .convert import Columns, diagnostic
from .edits import workspace_edit
from .session import path_of

if TYPE_CHECKING:
    from .server import HubsaveServer

log = logging.getLogger(__name__)

FIX_ALL = "source.fixAll.hubsave"
_IGNORE = re.compile(r"#\s*hubsave:\s*ignore\[(?P<codes>[^\]]*)\]", re.I)


def wants(only: list[str] | None, kind: str, default: bool = True) -> bool:
    if not only:
        return default
    return any(kind == o or kind.startswith(f"{o}.") for o in only)


def register(server: HubsaveServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=False),
    )
    def code_action(ls: HubsaveServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        if ls.notebooks.owns(uri):
            return ls.notebooks.code_actions(params)
        document = ls.workspace.get_text_document(uri)
        state = ls.session.documents.get(uri)
        if state is None or state.version != document.version:
            state = ls.analyse(uri)
        if not ls.session.enabled:
            return None
        text, columns = document.source, ls.columns(uri)
        caps = ls.client_capabilities
        document_changes = bool(
            caps and caps.workspace and caps.workspace.workspace_edit and caps.workspace.workspace_edit.document_changes
        )

        def edit_for(new_text: str) -> types.WorkspaceEdit | None:
            change = minimal_edit(text, new_text)
            return workspace_edit(uri, document.version, [change], columns, document_changes) if change else None

        def suppress(finding: Finding, diag: types.Diagnostic) -> types.CodeAction:
            edit = workspace_edit(uri, document.version, [suppression_edit(finding, columns)], columns, document_changes)
            return types.CodeAction(
                title=f"Ignore {finding.code} on this line", kind=types.CodeActionKind.QuickFix, diagnostics=[diag], edit=edit
            )

        only = params.context.only
        wanted = columns.span(params.range)
        actions: list[types.CodeAction] = []
        if wants(only, types.CodeActionKind.QuickFix):
            for finding in state.findings:
                if not touches(finding.span, wanted):
                    continue
                diag = diagnostic(finding, columns)
                if finding.fix is not None and state.syntax_error is None:
                    for fix in (finding.fix, *finding.alternatives):  # the first one is preferred
                        action = _quick_fix(finding, fix, text, diag, edit_for, preferred=fix is finding.fix)
                        if action:
                            actions.append(action)
                actions.append(suppress(finding, diag))
        fixable = state.syntax_error is None and any(f.fix for f in state.findings)
        if fixable and wants(only, FIX_ALL, default=True):
            from ..fixes.apply import fix_all

            settings, _ = ls.session.settings_for(path_of(uri))
            new_text, fixed = fix_all(text, path_of(uri), settings)
            edit = edit_for(new_text) if fixed else None
            if edit:
                actions.append(types.CodeAction(title="hubsave: fix all auto-fixable problems", kind=FIX_ALL, edit=edit))
        return actions


def touches(span: Span, wanted: Span) -> bool:
    return (span.start_line, span.start_col) <= (wanted.end_line, wanted.end_col) and (
        wanted.start_line,
        wanted.start_col,
    ) <= (span.end_line, span.end_col)


def _quick_fix(finding: Finding, fix: FixRequest, text: str, diag: types.Diagnostic, edit_for,
               preferred: bool) -> types.CodeAction | None:
    from ..fixes.apply import FixNotApplicable, apply_fix

    try:
        new_text = apply_fix(text, fix)
    except FixNotApplicable as exc:
        log.info("fix for %s not applicable: %s", finding.code, exc)
        return None
    edit = edit_for(new_text)
    if edit is None:
        return None
    return types.CodeAction(
        title=f"{fix.title} ({finding.code})",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diag],
        is_preferred=preferred,
        edit=edit,
    )


def suppression_edit(finding: Finding, columns: Columns) -> TextEdit:
    """Add the code to the line's `# hubsave: ignore[...]`, or append one."""
    line = finding.span.start_line
    current = columns.lines[line]
    match = _IGNORE.search(current)
    if match:
        codes = [c.strip() for c in match.group("codes").split(",") if c.strip()]
        span = Span(line, match.start("codes"), line, match.end("codes"))
        return TextEdit(span, ", ".join([*codes, finding.code]))
    end = len(current.rstrip())
    return TextEdit(Span(line, end, line, len(current)), f"  # hubsave: ignore[{finding.code}]")
