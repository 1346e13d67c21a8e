"""Quick fixes, suppression comments and fix-all, built with libcst only when asked for.

One path for every document: a text file of any kind or a notebook cell (a
`DocumentQuery`); a fix is applied to its fragment and written back into the
parts (cells) it changes. Quick fixes come in every grade (display-only ones as
snippets, for clients that take them); fix-all applies the automatic ones only,
its edit computed on codeAction/resolve when the client resolves edits.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from ..analysis.document import SUPPRESSION
from ..analysis.findings import DISPLAY_ONLY, SAFE, Finding, FixRequest, Span
from ..fixes.text_edit import TextEdit, minimal_edit
from .convert import Columns, diagnostic
from .edits import snippet_workspace_edit, workspace_edit
from .features import FIX_ALL
from .query import DocumentQuery

if TYPE_CHECKING:
    from .server import HubsaveServer

log = logging.getLogger(__name__)

FIX_ALL_TITLE = "hubsave: fix all auto-fixable problems"


def wants(only: list[str] | None, kind: str, default: bool = True) -> bool:
    if not only:
        return default
    return any(kind == o or kind.startswith(f"{o}.") for o in only)


def offered(fix: FixRequest, snippets: bool) -> bool:
    """A quick fix the user may choose: every grade, display-only ones only as snippets."""
    return fix.applicability is not DISPLAY_ONLY or snippets


def fix_all_action(data: dict, edit: types.WorkspaceEdit | None) -> types.CodeAction:
    return types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL, edit=edit, data=data)


def code_actions(ls: HubsaveServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    """textDocument/codeAction (registered in `features`)."""
    query = ls.query(params.text_document.uri)
    if query is None or not ls.session.enabled:
        return None
    return actions(ls, query, params)


def edit_for(ls: HubsaveServer, query: DocumentQuery, changed: dict[int, str],
             snippet: bool = False) -> types.WorkspaceEdit | None:
    """One WorkspaceEdit for the new texts of the parts in `changed` (a cell's, or the document's)."""
    document_changes = ls.client.document_changes
    parts = []
    for part, new in sorted(changed.items()):
        change = minimal_edit(query.texts[part], new)
        if change is None:
            continue
        uri, version, columns = query.uris[part], query.versions[part], query.columns(part)
        if snippet:
            parts.append(snippet_workspace_edit(uri, version, change, columns))
        else:
            parts.append(workspace_edit(uri, version, [change], columns, document_changes))
    if not parts:
        return None
    if document_changes or snippet:
        return types.WorkspaceEdit(document_changes=[c for p in parts for c in p.document_changes or []])
    return types.WorkspaceEdit(changes={u: e for p in parts for u, e in (p.changes or {}).items()})


def actions(ls: HubsaveServer, query: DocumentQuery, params: types.CodeActionParams) -> list[types.CodeAction]:
    columns = query.columns()
    snippets = ls.client.snippet_edits
    only, wanted = params.context.only, columns.span(params.range)
    found: list[types.CodeAction] = []
    if wants(only, types.CodeActionKind.QuickFix):
        for finding in query.findings:
            if not finding.span.overlaps(wanted):
                continue
            diag = diagnostic(finding, columns)
            placed = query.placed(finding)
            for fix in (placed.raw.fix, *placed.raw.alternatives) if placed and placed.raw.fix else ():
                if offered(fix, snippets) and (action := _quick_fix(ls, query, placed, fix, diag)):
                    found.append(action)
            suppress = workspace_edit(query.uri, query.versions[query.part], [suppression_edit(finding, columns)],
                                      columns, ls.client.document_changes)
            found.append(types.CodeAction(
                title=f"Ignore {finding.code} on this line", kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag], edit=suppress,
            ))
    analysis = query.analysis
    settings, _ = ls.session.settings_for(query.path)
    fixable = analysis is not None and any(p.finding.automatic_fix(settings.unsafe_fixes) for p in analysis.findings)
    if fixable and wants(only, FIX_ALL, default=True):
        data = {"uri": query.uri}
        if ls.client.resolve_edits:
            found.append(fix_all_action(data, None))  # the edit comes with codeAction/resolve
        elif action := resolve_fix_all(ls, fix_all_action(data, None)):
            found.append(action)
    return found


def resolve_fix_all(ls: HubsaveServer, action: types.CodeAction) -> types.CodeAction | None:
    """`action` with fix-all's edit for the document named in its data (the text as it
    is now; a cell: its whole notebook); None when there is nothing to fix."""
    from ..fixes.fragments import fix_all_source

    data = action.data if isinstance(action.data, dict) else {}
    uri = data.get("uri")
    if action.kind != FIX_ALL or not isinstance(uri, str):
        return None
    query = ls.query(uri)
    if query is None or query.analysis is None:
        return None
    source = query.analysis.source
    settings, _ = ls.session.settings_for(query.path)
    fixed_source, fixed = fix_all_source(source, query.path, settings)
    changed = {p: t for p, t in fixed_source.parts.items() if t != source.parts[p]}
    edit = edit_for(ls, query, changed) if fixed else None
    if edit is None:
        return None
    action.edit = edit
    return action


def _quick_fix(ls: HubsaveServer, query: DocumentQuery, placed, fix: FixRequest,
               diag: types.Diagnostic) -> types.CodeAction | None:
    """A quick fix; preferred (what "auto fix" picks) only when it is safe, never a guess."""
    from ..fixes.fragments import fix_parts
    from ..fixes.registry import FixNotApplicable

    try:
        changed = fix_parts(query.analysis, placed, fix)  # type: ignore[arg-type]
    except FixNotApplicable as exc:
        log.info("fix for %s not applicable: %s", placed.finding.code, exc)
        return None
    edit = edit_for(ls, query, changed, snippet=fix.applicability is DISPLAY_ONLY)
    if edit is None:
        return None
    return types.CodeAction(
        title=f"{fix.title} ({placed.finding.code})",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diag],
        is_preferred=fix.applicability is SAFE and fix is placed.raw.fix,
        edit=edit,
    )


def suppression_edit(finding: Finding, columns: Columns) -> TextEdit:
    """Add the code to the line's `# hubsave: ignore[...]`, or append one; a line continued
    with a backslash (a command line) gets the comment on a line of its own above it."""
    line = finding.span.start_line
    current = columns.lines[line]
    match = SUPPRESSION.search(current)
    if match and match.group("codes") is not None:
        codes = [c.strip() for c in match.group("codes").split(",") if c.strip()]
        span = Span(line, match.start("codes"), line, match.end("codes"))
        return TextEdit(span, ", ".join([*codes, finding.code]))
    if current.rstrip().endswith("\\"):
        indent = current[: len(current) - len(current.lstrip())]
        return TextEdit(Span(line, 0, line, 0), f"{indent}# hubsave: ignore[{finding.code}]\n")
    end = len(current.rstrip())
    return TextEdit(Span(line, end, line, len(current)), f"  # hubsave: ignore[{finding.code}]")
