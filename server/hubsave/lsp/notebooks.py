"""Notebook documents: the Python cells analyzed together, diagnostics and edits per cell.

The client syncs a notebook with notebookDocument/* and each cell is a text
document of its own URI. Requests (pull diagnostics, code actions, hover) arrive
for a cell URI: the whole notebook is analyzed (once per notebook version) as a
source whose parts are the cells (`kinds.notebook`), and the request is answered
by the same code as a text document's, over a `DocumentQuery` for the cell.
Pushed diagnostics are sent only for cells whose diagnostics changed, including
cells that have none any more.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote  # pygls keys cell documents by the unquoted URI

from lsprotocol import types

from ..analysis.findings import Finding
from ..analysis.fragments import SourceAnalysis, analyze_source
from ..kinds import Source
from ..kinds.notebook import Cell
from ..sources import project_root
from .convert import diagnostic
from .debounce import Debouncer
from .query import DocumentQuery
from .session import path_of

if TYPE_CHECKING:
    from .server import HubsaveServer

log = logging.getLogger(__name__)

@dataclass
class NotebookState:
    key: tuple  # notebook version and each analyzed cell's (uri, version)
    cells: list[str]  # analyzed cells' URIs, in the order given to the analysis
    texts: list[str]
    versions: list[int | None]
    result: SourceAnalysis  # parts are indexes into `cells`
    by_uri: dict[str, list[Finding]] = field(default_factory=dict)  # spans inside the cell
    reported: dict[str, list[types.Diagnostic]] = field(default_factory=dict)  # last pushed or pulled


class Notebooks:
    def __init__(self, server: HubsaveServer) -> None:
        self.server = server
        self.states: dict[str, NotebookState] = {}
        self.debouncer = Debouncer(self._run_scheduled)

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
        """The notebook's analysis at its current version (analyzed now if stale)."""
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
        result = analyze_source(Source.cells([Cell(t) for t in texts]), path, settings)
        self.server.look_up_signatures(result.signature_requests)
        new = NotebookState(key, [uri for uri, _ in cells], texts, [doc.version for _, doc in cells], result)
        new.reported = state.reported if state else {}
        for placed in result.findings:
            new.by_uri.setdefault(new.cells[placed.part], []).append(placed.finding)
        if path and not result.skipped:
            session.job_scripts_by_uri[notebook.uri] = result.scripts_run(path, project_root(path))
        self.states[notebook.uri] = new
        return new

    def diagnostics(self, state: NotebookState, cell_uri: str) -> list[types.Diagnostic]:
        if not self.server.session.enabled or cell_uri not in state.cells:
            return []
        columns = self._query(state, cell_uri).columns()
        return [diagnostic(f, columns) for f in state.by_uri.get(cell_uri, [])]

    def _query(self, state: NotebookState, cell_uri: str) -> DocumentQuery:
        notebook = self.notebook_of(cell_uri)
        parts = range(len(state.cells))
        return DocumentQuery(
            cell_uri, state.cells.index(cell_uri), path_of(notebook.uri) if notebook else None,
            state.by_uri.get(cell_uri, []), state.result, dict(zip(parts, state.cells)),
            dict(zip(parts, state.versions)), dict(zip(parts, state.texts)), self.server.encoding,
        )

    # -- scheduling and push ----------------------------------------------------
    def schedule(self, notebook_uri: str) -> None:
        self.debouncer.schedule(notebook_uri)

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
        if self.server.client.pull_diagnostics:  # such a client accepts a refresh
            self.server.workspace_diagnostic_refresh(None)
            return
        for uri, diagnostics in changed:
            version = state.versions[state.cells.index(uri)] if uri in state.cells else None
            self.server.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
            )
            _remember(state, uri, diagnostics)

    def recheck(self, notebook_uri: str) -> None:
        """Something it reads changed (a job script it submits): analyze it again at the same version."""
        state = self.states.get(notebook_uri)
        if state is not None:
            state.key = ()
        self.schedule(notebook_uri)

    def refresh(self) -> None:
        """Settings changed: analyze every open notebook again, even at the same version."""
        for state in self.states.values():
            state.key = ()
        for uri in list(self.server.workspace.notebook_documents):
            self.schedule(uri)

    def close(self, notebook: types.NotebookDocumentIdentifier) -> None:
        state = self.states.pop(notebook.uri, None)
        self.server.session.job_scripts_by_uri.pop(notebook.uri, None)
        if state is None or self.server.client.pull_diagnostics:
            return
        for uri, diagnostics in state.reported.items():
            if diagnostics:
                self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    # -- requests for a cell ------------------------------------------------------
    def _state_for_cell(self, cell_uri: str) -> NotebookState | None:
        notebook = self.notebook_of(cell_uri)
        return self.current(notebook.uri) if notebook else None

    def query(self, cell_uri: str) -> DocumentQuery | None:
        """A request about a cell, as a part of its analyzed notebook (None: not a Python cell)."""
        state = self._state_for_cell(cell_uri)
        if state is None or cell_uri not in state.cells:
            return None
        return self._query(state, cell_uri)

    def pulled(self, cell_uri: str) -> list[types.Diagnostic]:
        """A cell's diagnostics for a pull (remembered: a later change is then reported)."""
        state = self._state_for_cell(cell_uri)
        diagnostics = self.diagnostics(state, cell_uri) if state else []
        if state:
            _remember(state, cell_uri, diagnostics)
        return diagnostics


def _remember(state: NotebookState, uri: str, diagnostics: list[types.Diagnostic]) -> None:
    if diagnostics:
        state.reported[uri] = diagnostics
    else:
        state.reported.pop(uri, None)

