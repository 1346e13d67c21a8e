"""The pygls server: document sync, diagnostics (push or pull), settings.

Handlers stay thin: they read the workspace, ask the session to analyze, and
convert. Analysis of a changed document is coalesced: a burst of didChange
notifications is analyzed once, at its newest version.

Nothing the `initialize` answer does not need is imported before it: the analysis,
the Hub, notebooks and the request features (`features`) load with the first
document or request that uses them (docs/performance.md, "Cold start").
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import sys
from collections.abc import Coroutine
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from .. import __version__
from ..analysis.workspace import normalize_path
from . import features, stdio
from .client_features import ClientFeatures
from .debounce import Debouncer
from .session import DocumentState, Session, path_of
from .settings_index import WATCHED_GLOB

if TYPE_CHECKING:
    from ..analysis.document import Document
    from ..analysis.hub_sites import RepoSite
    from ..hub import LoginState, PushVerdict, ReferenceVerdict
    from .convert import Columns
    from .live import LiveLookups
    from .notebooks import Notebooks
    from .query import DocumentQuery

log = logging.getLogger(__name__)


class HubsaveProtocol(LanguageServerProtocol):
    # A request read before `shutdown` is answered first: pygls's shutdown cancels what is
    # still running, and with messages read in batches (stdio.py) the hovers sent just
    # before it may not have started yet. Each is bounded by its own work (a Hub call by
    # the Hub timeout); this only keeps a stuck one from holding the exit for good.
    SHUTDOWN_GRACE = 30.0
    requests_at_shutdown: list = []
    shutdown_answer: concurrent.futures.Future | None = None

    def _execute_handler(self, msg_id, handler, callback, args=None, kwargs=None):
        """pygls 2.1 files the future of every handler it runs in `_request_futures` but
        removes it only when it answers a request: a notification's future (every
        didChange's: pygls's own didChange is a generator) stayed for good, about 2 kB a
        keystroke. Forget each one once its handler is done."""
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        future = self._request_futures.get(msg_id)
        if future is not None:
            # Later, not in the callback: pygls may be iterating the dict (shutdown cancels all).
            loop = asyncio.get_running_loop()
            future.add_done_callback(lambda _: loop.call_soon_threadsafe(self._request_futures.pop, msg_id, None))

    def handle_message(self, msg):
        method = getattr(msg, "method", None)
        if method == types.EXIT and self.shutdown_answer is not None and not self.shutdown_answer.done():
            asyncio.ensure_future(self._exit_after_shutdown(msg))  # read in the same batch as the shutdown
            return
        if method == types.SHUTDOWN:
            self.requests_at_shutdown = [f for f in self._request_futures.values() if isinstance(f, asyncio.Task) and not f.done()]
        super().handle_message(msg)
        if method == types.SHUTDOWN:
            self.shutdown_answer = self._request_futures.get(msg.id)

    async def answer_requests_at_shutdown(self) -> None:
        if self.requests_at_shutdown:
            await asyncio.wait(self.requests_at_shutdown, timeout=self.SHUTDOWN_GRACE)

    async def _exit_after_shutdown(self, msg) -> None:
        answer = asyncio.wrap_future(self.shutdown_answer)  # type: ignore[arg-type]  # pygls's is a concurrent Future
        await asyncio.wait([answer], timeout=self.SHUTDOWN_GRACE + 1)
        # Not from this task: the SystemExit pygls raises would be kept in it, and logged.
        asyncio.get_running_loop().call_soon(super().handle_message, msg)


class HubsaveServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "hubsave",
            __version__,
            protocol_cls=HubsaveProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            notebook_document_sync=features.NOTEBOOK_SYNC,
        )
        self.client = ClientFeatures()  # resolved at initialize
        self.session = Session()
        self.session.open_text = self.open_text
        self._debouncer = Debouncer(self._run_scheduled)
        self._signature_lookups: set = set()  # SignatureRequests jedi is answering now
        self._tasks: set[asyncio.Task[Any]] = set()

    # Made on first use, with their modules (they import the analysis).
    @cached_property
    def notebooks(self) -> Notebooks:
        from .notebooks import Notebooks

        notebooks = Notebooks(self)
        notebooks.debouncer.batched_reads = self._debouncer.batched_reads
        return notebooks

    @cached_property
    def live(self) -> LiveLookups:
        from .live import LiveLookups

        return LiveLookups(self)

    def start_io(self, stdin=None, stdout=None) -> None:
        stdin, stdout = stdin or sys.stdin.buffer, stdout or sys.stdout.buffer
        if not stdio.pipe_reader_possible(stdin, stdout):
            super().start_io(stdin, stdout)
            return
        self._debouncer.batched_reads = True  # the notebooks' debouncer takes it when made
        stdio.serve(self, stdin, stdout)

    # -- capabilities ------------------------------------------------------
    @property
    def encoding(self) -> str:
        return str(self.workspace.position_encoding or "utf-16")

    # -- analysis ------------------------------------------------------------
    def open_text(self, path: str) -> str | None:
        """The editor's text of the document at `path`, if it is open."""
        key = normalize_path(path)
        for uri, document in list(self.workspace.text_documents.items()):
            opened = path_of(uri)
            if opened and normalize_path(opened) == key:
                return document.source
        return None

    def script_changed(self, uri: str) -> None:
        """A job script changed: the documents that submit it report on it (HS308)."""
        others = [u for u in self.session.submitters_of(path_of(uri)) if u != uri]
        for other in others:
            if other in self.workspace.notebook_documents:
                self.notebooks.recheck(other)
            else:
                if other in self.session.documents:  # its command lines read the script: no reuse
                    self.session.documents[other].analysis = None
                self.schedule(other)
        if others and self.client.pull_diagnostics:
            self.request_refresh()

    def request_refresh(self) -> None:
        """Ask a pull client to pull again (every pull client accepts this, see ClientFeatures.pull_diagnostics)."""
        asyncio.get_running_loop().call_soon(lambda: self.workspace_diagnostic_refresh(None))

    def columns(self, uri: str) -> Columns:
        from .convert import Columns

        state = self.session.documents.get(uri)
        if state and state.text:
            return Columns(state.lines, self.encoding)
        return Columns(self.workspace.get_text_document(uri).source.splitlines(), self.encoding)

    def is_open(self, uri: str) -> bool:
        return unquote(uri) in self.workspace.text_documents  # pygls keys them unquoted

    def analyze(self, uri: str) -> DocumentState:
        document = self.workspace.get_text_document(uri)
        state, messages = self.session.analyze(uri, path_of(uri), document.source, document.version, self.kind(uri))
        for message in messages:
            self.window_show_message(types.ShowMessageParams(types.MessageType.Warning, message))
        self.look_up_signatures(state.signature_requests)
        if not self.is_open(uri):  # a request about a closed file: answered, not remembered
            self.session.forget(uri)
        return state

    def look_up_signatures(self, requests) -> None:
        """HS109 used only cached signatures: read the missing ones from the user's
        environment in the background (jedi, once per class, in a child process), then
        analyze again."""
        from .. import envsig

        envsig.isolate()
        loop = asyncio.get_running_loop()
        for request in requests:
            if request in self._signature_lookups:
                continue
            self._signature_lookups.add(request)

            def landed(_future, request=request) -> None:
                loop.call_soon_threadsafe(self._signature_landed, request)

            envsig.submit(request.qualname, request.python).add_done_callback(landed)

    def _signature_landed(self, request) -> None:
        from .. import envsig

        self._signature_lookups.discard(request)
        problem = envsig.problem(request.python)
        if problem:  # e.g. the interpreter setting names something that is not a Python
            message = f"hubsave: {problem}; HS109 uses the bundled schema"
            if message not in self.session.warned:
                self.session.warned.add(message)
                self.window_show_message(types.ShowMessageParams(types.MessageType.Warning, message))
        self.refresh_all()

    def query(self, uri: str) -> DocumentQuery | None:
        """The request's document as a part of its analyzed source (a cell: of its notebook)."""
        from .query import DocumentQuery

        if self.notebooks.owns(uri):
            return self.notebooks.query(uri)
        state = self.current(uri)
        document = self.workspace.get_text_document(uri)
        return DocumentQuery(
            uri, 0, path_of(uri), state.findings, state.analysis if state.syntax_error is None else None,
            {0: uri}, {0: document.version}, {0: document.source}, self.encoding,
            script=self.kind(uri) == "python",
        )

    def kind(self, uri: str) -> str:
        """The document's file kind; a file of no kind ("other": a YAML file that is no
        workflow) is not analyzed, a document with no name or language is Python."""
        from ..kinds import kind_of

        document = self.workspace.get_text_document(uri)
        kind = kind_of(path_of(uri), document.language_id)
        return kind or ("python" if document.language_id in (None, "", "python") else "other")

    def current(self, uri: str) -> DocumentState:
        """The analysis of the document's current version (analyzed now if stale)."""
        state = self.session.documents.get(uri)
        if state is None or state.version != self.workspace.get_text_document(uri).version:
            state = self.analyze(uri)
        return state

    def parsed(self, uri: str) -> Document | None:
        """The current text parsed, for the Hub features (hover, completion, hints, live lookups).

        A Python file's is its analysis's own document (parsed once per version, there); a
        notebook cell's is the cell alone (the notebook's analysis reads all cells as one).
        None when the text is no Python that parses.
        """
        from ..analysis.document import Document
        from ..analysis.engine import MAX_ANALYZED_CHARS

        if self.notebooks.owns(uri):
            text = self.workspace.get_text_document(uri).source
            document: Document | None = Document(text, path_of(uri)) if len(text) <= MAX_ANALYZED_CHARS else None
        else:
            analysis = self.current(uri).analysis
            document = analysis.script if analysis is not None and not analysis.skipped else None
        return document if document is not None and document.parsed() else None

    def diagnostics(self, uri: str, state: DocumentState) -> list[types.Diagnostic]:
        from .convert import diagnostic

        if not self.session.enabled:
            return []
        columns = self.columns(uri)
        path = path_of(uri)
        return [diagnostic(f, columns, uri, path) for f in state.findings]

    def schedule(self, uri: str) -> None:
        """Analyze soon, once, at the newest version (stale versions are never analyzed)."""
        self._debouncer.schedule(uri)

    def _run_scheduled(self, uri: str) -> None:
        if not self.is_open(uri):
            return
        try:
            state = self.analyze(uri)
        except Exception:  # a bug must cost one analysis, never the server
            log.exception("analysis failed for %s", uri)
            return
        self.live.look_up(uri)
        if not self.client.pull_diagnostics:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=self.diagnostics(uri, state), version=state.version)
            )

    def refresh_all(self) -> None:
        """Settings changed: re-analyze open documents and tell pull clients to ask again."""
        for uri in [document.uri for document in self.workspace.text_documents.values()]:  # as the client sent it
            if not self.notebooks.owns(uri):  # cells are analyzed with their notebook
                self.schedule(uri)
        self.notebooks.refresh()
        if self.client.pull_diagnostics:
            self.request_refresh()

    # -- the Hub ---------------------------------------------------------------
    def note_login(self, state: LoginState | None) -> None:
        """A login answer arrived: fixes and hints use its namespaces from now on."""
        if state is not None and self.session.note_login(state):
            self.refresh_all()
            if self.client.inlay_hint_refresh:
                self.workspace_inlay_hint_refresh(None)  # the hints show the login's namespace

    def note_hub_answer(self, site: RepoSite, verdict: PushVerdict | ReferenceVerdict | None) -> None:
        """A hover asked the Hub: the login and the verdict serve fixes and live diagnostics too."""
        self.note_login(self.session.hub.peek_login())
        if verdict is not None:
            self.live.store(site.key, verdict)

    def spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run ``work`` in the background (Hub lookups): no request waits for it."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)  # keep a reference until it is done
        task.add_done_callback(self._tasks.discard)

    async def start_hub(self) -> None:
        """After `initialized`: import huggingface_hub and learn the login, in the background."""
        from ..hub.fetch import is_offline

        hub = self.session.hub
        if not hub.enabled or is_offline():
            return
        try:
            await hub.warm_up()
            self.note_login(await hub.whoami())
        except Exception:  # the Hub is optional: a failure here must not cost the server
            log.exception("Hub warm-up failed")


def create_server() -> HubsaveServer:
    server = HubsaveServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: HubsaveServer, params: types.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict):
            ls.session.trusted = options.get("workspaceTrusted") is not False
            ls.session.update_editor_settings(options.get("settings", options))
        ls.client = ClientFeatures.of(params.capabilities)
        if ls.client.pull_diagnostics:  # registered here, before pygls computes the capabilities
            ls.feature(
                types.TEXT_DOCUMENT_DIAGNOSTIC,
                types.DiagnosticOptions(identifier="hubsave", inter_file_dependencies=True, workspace_diagnostics=False),
            )(pull_diagnostics)

    @server.feature(types.SHUTDOWN)
    async def shutdown(ls: HubsaveServer, *args) -> None:
        await ls.protocol.answer_requests_at_shutdown()

    @server.feature(types.INITIALIZED)
    async def initialized(ls: HubsaveServer, params: types.InitializedParams) -> None:
        ls.spawn(watch_pyproject(ls))  # in the background: the settings must not wait for it
        await pull_configuration(ls)
        if ls.workspace.text_documents or ls.workspace.notebook_documents:  # opened before the settings arrived
            ls.refresh_all()
        ls.spawn(ls.start_hub())

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: HubsaveServer, params: types.DidChangeConfigurationParams) -> None:
        settings = params.settings
        if isinstance(settings, dict) and isinstance(settings.get("hubsave"), dict):
            ls.session.update_editor_settings(settings["hubsave"])
        else:
            await pull_configuration(ls)
        ls.refresh_all()
        ls.spawn(ls.start_hub())  # the Hub may have just been turned on (the login is cached)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: HubsaveServer, params: types.DidChangeWatchedFilesParams) -> None:
        paths = [p for p in (path_of(change.uri) for change in params.changes) if p]
        if ls.session.settings_index.changed(paths):
            ls.refresh_all()  # a pyproject.toml changed: open documents get its settings

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: HubsaveServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)
        ls.script_changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: HubsaveServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)
        ls.script_changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: HubsaveServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)
        ls.script_changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: HubsaveServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.session.forget(uri)
        if not ls.client.pull_diagnostics:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        ls.script_changed(uri)  # its text on disk counts again

    @server.feature(HUB_LOGIN)
    async def hub_login(ls: HubsaveServer, params: Any) -> dict[str, Any]:
        """The Hub login (never its token); `{"refresh": true}` asks the Hub again."""
        if _param(params, "refresh") is True:
            ls.session.hub.invalidate()
        state = await ls.session.hub.whoami()
        ls.note_login(state)
        return state.to_json()

    features.register(server)
    return server


def pull_diagnostics(ls: HubsaveServer, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
    uri = params.text_document.uri
    if ls.notebooks.owns(uri):
        diagnostics = ls.notebooks.pulled(uri)
    else:
        document = ls.workspace.get_text_document(uri)
        state = ls.session.documents.get(uri)
        stale = uri in ls._debouncer  # e.g. a job script it submits just changed
        if stale or state is None or state.version != document.version:
            state = ls.analyze(uri)
        diagnostics = ls.diagnostics(uri, state)
    result_id = _result_id(diagnostics)
    if params.previous_result_id == result_id:
        return types.UnchangedDocumentDiagnosticReport(result_id=result_id)
    return types.FullDocumentDiagnosticReport(items=diagnostics, result_id=result_id)


def _result_id(diagnostics: list[types.Diagnostic]) -> str:
    import hashlib

    text = repr([(d.range, d.code, d.message, d.severity, d.related_information) for d in diagnostics])
    return hashlib.sha1(text.encode()).hexdigest()[:16]


HUB_LOGIN = "hubsave/hubLogin"


def _param(params: Any, name: str) -> Any:
    if isinstance(params, dict):
        return params.get(name)
    return getattr(params, name, None)


async def watch_pyproject(ls: HubsaveServer) -> None:
    """Ask the client to report pyproject.toml changes, when it lets servers register
    watchers; the settings index then trusts what it read until told otherwise."""
    if not ls.client.watches_files:
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=WATCHED_GLOB)]
    )
    registration = types.Registration(id="hubsave-pyproject", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                      register_options=options)
    try:
        await asyncio.wait_for(
            ls.client_register_capability_async(types.RegistrationParams(registrations=[registration])), timeout=5
        )
    except Exception as exc:  # not watched: the index keeps checking the files' modification times
        log.warning("could not register the pyproject.toml watcher: %s", exc)
        return
    ls.session.settings_index.watched = True


async def pull_configuration(ls: HubsaveServer) -> None:
    """Ask the client for the `hubsave` section; clients without it keep what they sent."""
    if not ls.client.configuration:
        return
    try:
        result = await asyncio.wait_for(
            ls.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section="hubsave")])
            ),
            timeout=5,
        )
    except Exception as exc:  # a client that errors or never answers keeps its old settings
        log.warning("workspace/configuration failed: %s", exc)
        return
    if result and isinstance(result[0], dict):
        ls.session.update_editor_settings(result[0])
