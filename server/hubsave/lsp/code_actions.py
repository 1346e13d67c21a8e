"""Quick fixes, suppression comments and fix-all, built with libcst only when asked for."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from lsprotocol import types

from ..analysis.findings import DISPLAY_ONLY, SAFE, Finding, FixRequest, Span
from ..fixes.text_edit import TextEdit, minimal_edit
from .convert import Columns, diagnostic
from .edits import snippet_workspace_edit, workspace_edit
from .session import path_of

if TYPE_CHECKING:
    from .server import HubsaveServer

log = logging.getLogger(__name__)

FIX_ALL = "source.fixAll.hubsave"
FIX_ALL_TITLE = "hubsave: fix all auto-fixable problems"
_IGNORE = re.compile(r"#\s*hubsave:\s*ignore\[(?P<codes>[^\]]*)\]", re.I)


def wants(only: list[str] | None, kind: str, default: bool = True) -> bool:
    if not only:
        return default
    return any(kind == o or kind.startswith(f"{o}.") for o in only)


def resolves_edits(server: HubsaveServer) -> bool:
    """The client asks for a code action's edit only once the user picks it."""
    caps = server.client_capabilities
    action = caps and caps.text_document and caps.text_document.code_action
    support = action and action.resolve_support
    return bool(support and "edit" in support.properties)


def document_changes(server: HubsaveServer) -> bool:
    caps = server.client_capabilities
    return bool(
        caps and caps.workspace and caps.workspace.workspace_edit and caps.workspace.workspace_edit.document_changes
    )


def snippet_edits(server: HubsaveServer) -> bool:
    """The client can apply a snippet (placeholders to type in) from a code action's edit."""
    caps = server.client_capabilities
    edit = caps and caps.workspace and caps.workspace.workspace_edit
    return bool(edit and edit.snippet_edit_support and edit.document_changes)


def offered(fix: FixRequest, snippets: bool) -> bool:
    """A quick fix the user may choose: every grade, display-only ones only as snippets."""
    return fix.applicability is not DISPLAY_ONLY or snippets


def fix_all_action(data: dict, edit: types.WorkspaceEdit | None) -> types.CodeAction:
    return types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL, edit=edit, data=data)


def register(server: HubsaveServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=True),
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
        changes, snippets = document_changes(ls), snippet_edits(ls)

        def edit_for(new_text: str, snippet: bool = False) -> types.WorkspaceEdit | None:
            change = minimal_edit(text, new_text)
            if change is None:
                return None
            if snippet:
                return snippet_workspace_edit(uri, document.version, change, columns)
            return workspace_edit(uri, document.version, [change], columns, changes)

        def suppress(finding: Finding, diag: types.Diagnostic) -> types.CodeAction:
            edit = workspace_edit(uri, document.version, [suppression_edit(finding, columns)], columns, changes)
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
                    for fix in (finding.fix, *finding.alternatives):
                        if offered(fix, snippets):
                            action = _quick_fix(finding, fix, text, diag, edit_for)
                            if action:
                                actions.append(action)
                actions.append(suppress(finding, diag))
        settings, _ = ls.session.settings_for(path_of(uri))
        fixable = state.syntax_error is None and any(f.automatic_fix(settings.unsafe_fixes) for f in state.findings)
        if fixable and wants(only, FIX_ALL, default=True):
            data = {"uri": uri}
            if resolves_edits(ls):
                actions.append(fix_all_action(data, None))  # the edit comes with codeAction/resolve
            elif action := resolve_fix_all(ls, fix_all_action(data, None)):
                actions.append(action)
        return actions

    @server.feature(types.CODE_ACTION_RESOLVE)
    def resolve(ls: HubsaveServer, action: types.CodeAction) -> types.CodeAction:
        return resolve_fix_all(ls, action) or action


def resolve_fix_all(ls: HubsaveServer, action: types.CodeAction) -> types.CodeAction | None:
    """`action` with fix-all's edit for the document named in its data (the text as it
    is now); None when there is nothing to fix."""
    data = action.data if isinstance(action.data, dict) else {}
    uri = data.get("uri")
    if action.kind != FIX_ALL or not isinstance(uri, str):
        return None
    if ls.notebooks.owns(uri):
        edit = ls.notebooks.fix_all_edit(uri)
    else:
        from ..fixes.apply import fix_all

        document = ls.workspace.get_text_document(uri)
        text = document.source
        settings, _ = ls.session.settings_for(path_of(uri))
        new_text, fixed = fix_all(text, path_of(uri), settings)
        change = minimal_edit(text, new_text) if fixed else None
        edit = (
            workspace_edit(uri, document.version, [change], ls.columns(uri), document_changes(ls)) if change else None
        )
    if edit is None:
        return None
    action.edit = edit
    return action


def touches(span: Span, wanted: Span) -> bool:
    return (span.start_line, span.start_col) <= (wanted.end_line, wanted.end_col) and (
        wanted.start_line,
        wanted.start_col,
    ) <= (span.end_line, span.end_col)


def _quick_fix(finding: Finding, fix: FixRequest, text: str, diag: types.Diagnostic, edit_for) -> types.CodeAction | None:
    """A quick fix; preferred (what "auto fix" picks) only when it is safe, never a guess."""
    from ..fixes.apply import FixNotApplicable, apply_fix

    try:
        new_text = apply_fix(text, fix)
    except FixNotApplicable as exc:
        log.info("fix for %s not applicable: %s", finding.code, exc)
        return None
    edit = edit_for(new_text, snippet=fix.applicability is DISPLAY_ONLY)
    if edit is None:
        return None
    return types.CodeAction(
        title=f"{fix.title} ({finding.code})",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diag],
        is_preferred=fix.applicability is SAFE and fix is finding.fix,
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
