"""Notebook documents: the Python cells analysed together, diagnostics and edits per cell.

The client syncs a notebook with notebookDocument/* and each cell is a text
document of its own URI. Requests (pull diagnostics, code actions, hover) arrive
for a cell URI: the whole notebook is analysed (once per notebook version), and
positions are mapped between the combined text and the cell by
`analysis.notebook`. Pushed diagnostics are sent only for cells whose
diagnostics changed, including cells that have none any more.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote  # pygls keys cell documents by the unquoted URI

from lsprotocol import types

from ..analysis.findings import DISPLAY_ONLY, SAFE, Finding
from ..analysis.notebook import Cell, CrossesCells, NotebookAnalysis, analyze_notebook
from ..analysis.workspace import scripts_run_by
from ..fixes.text_edit import minimal_edit
from .code_actions import FIX_ALL, fix_all_action, resolves_edits, suppression_edit, touches, wants
from .convert import Columns, diagnostic
from .debounce import Debouncer
from .edits import workspace_edit
from .hover import rule_markdown
from .session import path_of

if TYPE_CHECKING:
    from .server import HubsaveServer

log = logging.getLogger(__name__)

_LINE_END = re.compile(r"\r\n|\r|\n")
# Any notebook type (Jupyter, Colab...), its Python cells. "*" rather than no notebook
# filter: lsprotocol-based clients cannot read a selector without one.
SYNC_OPTIONS = types.NotebookDocumentSyncOptions(
    notebook_selector=[
        types.NotebookDocumentFilterWithNotebook(notebook="*", cells=[types.NotebookCellLanguage(language="python")])
    ],
    save=True,
)


@dataclass
class NotebookState:
    key: tuple  # notebook version and each analysed cell's (uri, version)
    cells: list[str]  # analysed cells' URIs, in the order given to the analysis
    texts: list[str]
    versions: list[int | None]
    result: NotebookAnalysis
    by_uri: dict[str, list[Finding]] = field(default_factory=dict)  # spans inside the cell
    reported: dict[str, list[types.Diagnostic]] = field(default_factory=dict)  # last pushed or pulled


class Notebooks:
    def __init__(self, server: HubsaveServer) -> None:
        self.server = server
        self.states: dict[str, NotebookState] = {}
        self._debouncer = Debouncer(self._run_scheduled)

    # -- which notebook -----------------------------------------------------
    def notebook_of(self, cell_uri: str) -> types.NotebookDocument | None:
        return self.server.workspace.get_notebook_document(cell_uri=cell_uri)

    def owns(self, uri: str) -> bool:
        return self.notebook_of(uri) is not None

    # -- analysis -------------------------------------------------------------
    def _python_cells(self, notebook: types.NotebookDocument):
        for cell in notebook.cells:
            document = self.server.workspace.text_documents.get(unquote(cell.document))
            if cell.kind == types.NotebookCellKind.Code and document and document.language_id in (None, "python"):
                yield cell.document, document

    def current(self, notebook_uri: str) -> NotebookState | None:
        """The notebook's analysis at its current version (analysed now if stale)."""
        notebook = self.server.workspace.get_notebook_document(notebook_uri=notebook_uri)
        if notebook is None:
            return None
        cells = list(self._python_cells(notebook))
        key = (notebook.version, tuple((uri, doc.version) for uri, doc in cells))
        state = self.states.get(notebook.uri)
        if state is not None and state.key == key:
            return state
        texts = [doc.source for _, doc in cells]
        path = path_of(notebook.uri)
        session = self.server.session
        settings, messages = session.settings_for(path)
        for message in messages:
            self.server.window_show_message(types.ShowMessageParams(types.MessageType.Warning, message))
        result = analyze_notebook([Cell(t) for t in texts], path, settings)
        self.server.look_up_signatures(result.analysis.signature_requests)
        new = NotebookState(key, [uri for uri, _ in cells], texts, [doc.version for _, doc in cells], result)
        new.reported = state.reported if state else {}
        for index, finding in result.findings:
            new.by_uri.setdefault(new.cells[index], []).append(finding)
        document = result.analysis.document
        if path and document is not None and not result.analysis.skipped:
            session.job_scripts_by_uri[notebook.uri] = scripts_run_by(document, path, session.roots)
        self.states[notebook.uri] = new
        return new

    def cell_columns(self, state: NotebookState, cell_uri: str) -> Columns:
        index = state.cells.index(cell_uri)
        return Columns(_LINE_END.split(state.texts[index]), self.server.encoding)

    def diagnostics(self, state: NotebookState, cell_uri: str) -> list[types.Diagnostic]:
        if not self.server.session.enabled or cell_uri not in state.cells:
            return []
        columns = self.cell_columns(state, cell_uri)
        return [diagnostic(f, columns) for f in state.by_uri.get(cell_uri, [])]

    # -- scheduling and push ----------------------------------------------------
    def schedule(self, notebook_uri: str) -> None:
        self._debouncer.schedule(notebook_uri)

    def _run_scheduled(self, notebook_uri: str) -> None:
        try:
            state = self.current(notebook_uri)
        except Exception:  # a bug must cost one analysis, never the server
            log.exception("analysis failed for %s", notebook_uri)
            return
        if state is not None:
            self.report_changes(state)

    def report_changes(self, state: NotebookState) -> None:
        """Push the cells whose diagnostics changed; a pull client is asked to pull again."""
        changed = []
        for uri in dict.fromkeys([*state.cells, *state.reported]):
            diagnostics = self.diagnostics(state, uri)
            if diagnostics != state.reported.get(uri, []):
                changed.append((uri, diagnostics))
        if not changed:
            return
        if self.server.pulls_diagnostics:  # such a client accepts a refresh
            self.server.workspace_diagnostic_refresh(None)
            return
        for uri, diagnostics in changed:
            version = state.versions[state.cells.index(uri)] if uri in state.cells else None
            self.server.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
            )
            _remember(state, uri, diagnostics)

    def recheck(self, notebook_uri: str) -> None:
        """Something it reads changed (a job script it submits): analyse it again at the same version."""
        state = self.states.get(notebook_uri)
        if state is not None:
            state.key = ()
        self.schedule(notebook_uri)

    def refresh(self) -> None:
        """Settings changed: analyse every open notebook again, even at the same version."""
        for state in self.states.values():
            state.key = ()
        for uri in list(self.server.workspace.notebook_documents):
            self.schedule(uri)

    def close(self, notebook: types.NotebookDocumentIdentifier) -> None:
        state = self.states.pop(notebook.uri, None)
        self.server.session.job_scripts_by_uri.pop(notebook.uri, None)
        if state is None or self.server.pulls_diagnostics:
            return
        for uri, diagnostics in state.reported.items():
            if diagnostics:
                self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    # -- requests for a cell ------------------------------------------------------
    def _state_for_cell(self, cell_uri: str) -> NotebookState | None:
        notebook = self.notebook_of(cell_uri)
        return self.current(notebook.uri) if notebook else None

    def pull(self, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
        uri = params.text_document.uri
        state = self._state_for_cell(uri)
        diagnostics = self.diagnostics(state, uri) if state else []
        result_id = _result_id(diagnostics)
        if state:
            _remember(state, uri, diagnostics)
        if params.previous_result_id == result_id:
            return types.UnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.FullDocumentDiagnosticReport(items=diagnostics, result_id=result_id)

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        state = self._state_for_cell(uri)
        if state is None or uri not in state.cells:
            return None
        columns = self.cell_columns(state, uri)
        line, col = params.position.line, columns.from_client(params.position.line, params.position.character)
        here = [
            f
            for f in state.by_uri.get(uri, [])
            if (f.span.start_line, f.span.start_col) <= (line, col) <= (f.span.end_line, f.span.end_col)
        ]
        if not here:
            return None
        return types.Hover(
            contents=types.MarkupContent(types.MarkupKind.Markdown, "\n\n---\n\n".join(rule_markdown(f) for f in here)),
            range=columns.range(here[0].span),
        )

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        state = self._state_for_cell(uri)
        if state is None or uri not in state.cells or not self.server.session.enabled:
            return None
        from ..fixes.notebook import fix_cells
        from ..fixes.recipes import FixNotApplicable

        columns = self.cell_columns(state, uri)
        combined = state.result.combined
        only, wanted = params.context.only, columns.span(params.range)
        actions: list[types.CodeAction] = []
        for finding in state.by_uri.get(uri, []) if wants(only, types.CodeActionKind.QuickFix) else []:
            if not touches(finding.span, wanted):
                continue
            diag = diagnostic(finding, columns)
            # Snippets are not written back into cells: display-only fixes are not offered here.
            if finding.fix is not None and finding.fix.applicability is not DISPLAY_ONLY:
                try:
                    edit = self._edit(state, fix_cells(combined, finding.fix))
                except (FixNotApplicable, CrossesCells) as exc:
                    log.info("fix for %s not applicable in a notebook: %s", finding.code, exc)
                    edit = None
                if edit:
                    actions.append(types.CodeAction(
                        title=f"{finding.fix.title} ({finding.code})", kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diag], is_preferred=finding.fix.applicability is SAFE, edit=edit,
                    ))
            suppress = self._cell_edit(state, uri, [suppression_edit(finding, columns)])
            actions.append(types.CodeAction(
                title=f"Ignore {finding.code} on this line", kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag], edit=suppress,
            ))
        settings, _ = self.server.session.settings_for(path_of(self.notebook_of(uri).uri))  # type: ignore[union-attr]
        fixable = any(f.automatic_fix(settings.unsafe_fixes) for _, f in state.result.findings)
        if fixable and wants(only, FIX_ALL, default=True):
            if resolves_edits(self.server):
                actions.append(fix_all_action({"uri": uri}, None))  # the edit comes with codeAction/resolve
            elif edit := self.fix_all_edit(uri):
                actions.append(fix_all_action({"uri": uri}, edit))
        return actions

    def fix_all_edit(self, uri: str) -> types.WorkspaceEdit | None:
        """Fix-all's edit for the notebook that `uri` (one of its cells) belongs to."""
        from ..fixes.notebook import fix_all_cells

        state = self._state_for_cell(uri)
        if state is None:
            return None
        path = path_of(self.notebook_of(uri).uri)  # type: ignore[union-attr]
        settings, _ = self.server.session.settings_for(path)
        sources, fixed = fix_all_cells(state.result.combined, path, settings)
        return self._edit(state, sources) if fixed else None

    # -- edits ------------------------------------------------------------------------
    def _document_changes(self) -> bool:
        caps = self.server.client_capabilities
        return bool(
            caps and caps.workspace and caps.workspace.workspace_edit and caps.workspace.workspace_edit.document_changes
        )

    def _cell_edit(self, state: NotebookState, uri: str, edits) -> types.WorkspaceEdit:
        index = state.cells.index(uri)
        return workspace_edit(uri, state.versions[index], edits, self.cell_columns(state, uri), self._document_changes())

    def _edit(self, state: NotebookState, sources: dict[int, str]) -> types.WorkspaceEdit | None:
        """One WorkspaceEdit changing each cell in `sources` (cell index -> new source)."""
        parts = []
        for index, new in sorted(sources.items()):
            change = minimal_edit(state.texts[index], new)
            if change:
                parts.append(self._cell_edit(state, state.cells[index], [change]))
        if not parts:
            return None
        if self._document_changes():
            return types.WorkspaceEdit(document_changes=[c for p in parts for c in p.document_changes or []])
        return types.WorkspaceEdit(changes={u: e for p in parts for u, e in (p.changes or {}).items()})


def _remember(state: NotebookState, uri: str, diagnostics: list[types.Diagnostic]) -> None:
    if diagnostics:
        state.reported[uri] = diagnostics
    else:
        state.reported.pop(uri, None)


def _result_id(diagnostics: list[types.Diagnostic]) -> str:
    text = repr([(d.range, d.code, d.message, d.severity) for d in diagnostics])
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def register(server: HubsaveServer) -> None:
    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def did_open(ls: HubsaveServer, params: types.DidOpenNotebookDocumentParams) -> None:
        ls.notebooks.schedule(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def did_change(ls: HubsaveServer, params: types.DidChangeNotebookDocumentParams) -> None:
        ls.notebooks.schedule(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    def did_save(ls: HubsaveServer, params: types.DidSaveNotebookDocumentParams) -> None:
        ls.notebooks.schedule(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def did_close(ls: HubsaveServer, params: types.DidCloseNotebookDocumentParams) -> None:
        ls.notebooks.close(params.notebook_document)
