"""Quick fixes, suppression comments and fix-all, built with libcst only when asked for.

One path for every document: a text file of any kind or a notebook cell (a
`DocumentQuery`); a fix is applied to its fragment and written back into the
parts (cells) it changes.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from ..analysis.document import SUPPRESSION
from ..analysis.findings import Finding, Span
from ..fixes.text_edit import TextEdit, minimal_edit
from .convert import Columns, diagnostic
from .edits import workspace_edit
from .query import DocumentQuery

if TYPE_CHECKING:
    from .server import HubsaveServer

log = logging.getLogger(__name__)

FIX_ALL = "source.fixAll.hubsave"


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
        query = ls.query(params.text_document.uri)
        if query is None or not ls.session.enabled:
            return None
        return actions(ls, query, params)


def actions(ls: HubsaveServer, query: DocumentQuery, params: types.CodeActionParams) -> list[types.CodeAction]:
    from ..fixes.fragments import fix_parts
    from ..fixes.registry import FixNotApplicable

    columns = query.columns()
    document_changes = ls.client.document_changes

    def edit_for(changed: dict[int, str]) -> types.WorkspaceEdit | None:
        parts = []
        for part, new in sorted(changed.items()):
            change = minimal_edit(query.texts[part], new)
            if change:
                parts.append(workspace_edit(query.uris[part], query.versions[part], [change], query.columns(part),
                                            document_changes))
        if not parts:
            return None
        if document_changes:
            return types.WorkspaceEdit(document_changes=[c for p in parts for c in p.document_changes or []])
        return types.WorkspaceEdit(changes={u: e for p in parts for u, e in (p.changes or {}).items()})

    only, wanted = params.context.only, columns.span(params.range)
    found: list[types.CodeAction] = []
    if wants(only, types.CodeActionKind.QuickFix):
        for finding in query.findings:
            if not finding.span.overlaps(wanted):
                continue
            diag = diagnostic(finding, columns)
            placed = query.placed(finding)
            for fix in (placed.raw.fix, *placed.raw.alternatives) if placed and placed.raw.fix else ():
                try:  # the first one is preferred
                    edit = edit_for(fix_parts(query.analysis, placed, fix))  # type: ignore[arg-type]
                except FixNotApplicable as exc:
                    log.info("fix for %s not applicable: %s", finding.code, exc)
                    continue
                if edit:
                    found.append(types.CodeAction(
                        title=f"{fix.title} ({finding.code})", kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diag], is_preferred=fix is placed.raw.fix, edit=edit,
                    ))
            suppress = workspace_edit(query.uri, query.versions[query.part], [suppression_edit(finding, columns)],
                                      columns, document_changes)
            found.append(types.CodeAction(
                title=f"Ignore {finding.code} on this line", kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag], edit=suppress,
            ))
    analysis = query.analysis
    if analysis is not None and any(p.finding.fix for p in analysis.findings) and wants(only, FIX_ALL, default=True):
        from ..fixes.fragments import fix_all_source

        settings, _ = ls.session.settings_for(query.path)
        fixed_source, fixed = fix_all_source(analysis.source, query.path, settings)
        changed = {p: t for p, t in fixed_source.parts.items() if t != analysis.source.parts[p]}
        edit = edit_for(changed) if fixed else None
        if edit:
            found.append(types.CodeAction(title="hubsave: fix all auto-fixable problems", kind=FIX_ALL, edit=edit))
    return found


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
