"""What the server remembers between requests: settings, open documents' last analyses.

No pygls here; the handlers pass in what they read from the workspace. The analysis
and the Hub are imported when first used (a document, a Hub request), not before the
server's `initialize` answer.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Mapping

from ..analysis.workspace import normalize_path
from ..config import normalize
from .settings_index import SettingsIndex

if TYPE_CHECKING:
    from ..analysis import Settings
    from ..analysis.document import Document
    from ..analysis.findings import Finding
    from ..analysis.fragments import SourceAnalysis
    from ..hub import HubService, LoginState

log = logging.getLogger(__name__)


# Parsed trees are kept for the documents edited last (the ones being typed in), so
# their next version re-parses only the edited statements; others keep no tree.
TREES_KEPT = 4


@dataclass
class DocumentState:
    version: int | None = None
    findings: list[Finding] = field(default_factory=list)
    # The last text that parsed, and its findings: the base for carrying findings
    # over while the current text does not parse.
    good_text: str | None = None
    good_findings: list[Finding] = field(default_factory=list)
    good_document: Document | None = None  # reused by the next parse
    syntax_error: str | None = None
    # The analyzed text, for columns. Texts, not lists of lines: the string is the one
    # the editor's document holds (no copy), and a list of lines costs twice its size
    # per open document.
    text: str = ""
    # HS109 signatures the analysis found no cached answer for (the server looks them up).
    signature_requests: frozenset = frozenset()
    analysis: SourceAnalysis | None = None  # the last one (fixes read its fragments)

    @property
    def lines(self) -> list[str]:
        from ..analysis.document import split_lines

        return split_lines(self.text)


@dataclass
class Session:
    editor_settings: dict[str, Any] = field(default_factory=dict)
    namespace: str | None = None  # the Hub login's, when known
    namespaces: tuple[str, ...] = ()  # every namespace the login may push to, its own first
    documents: dict[str, DocumentState] = field(default_factory=dict)
    job_scripts_by_uri: dict[str, set[str]] = field(default_factory=dict)
    warned: set[str] = field(default_factory=set)
    # The text of an open document by its path (None when not open): cross-file
    # rules read what the editor shows, not what was last saved.
    open_text: Callable[[str], str | None] = field(default=lambda path: None)
    recent: dict[str, None] = field(default_factory=dict)  # insertion-ordered: oldest first
    # The last Hub answer per repo id (RepoSite.key), for the live rules HS701/HS702.
    hub_verdicts: dict[tuple[str, str, str], Any] = field(default_factory=dict)
    settings_index: SettingsIndex = field(default_factory=SettingsIndex)  # pyproject.toml per folder
    _hub: HubService | None = None
    # False when the editor runs this workspace untrusted (VS Code's restricted mode,
    # initializationOptions.workspaceTrusted): no environment lookups (jedi) at all, and
    # workspace settings cannot choose where the Hub token goes (docs/security.md).
    trusted: bool = True

    def update_editor_settings(self, values: Mapping[str, Any] | None) -> None:
        self.editor_settings = normalize(values or {})
        if self._hub is not None:
            hub = self.hub_settings
            self._hub.configure(enabled=self.hub_enabled, timeout=self._hub_timeout(hub), endpoint=hub.get("endpoint") or None)
        if not self.live_hub:
            self.hub_verdicts.clear()

    # -- the Hub -----------------------------------------------------------------
    @property
    def hub_settings(self) -> Mapping[str, Any]:
        hub = self.editor_settings.get("hub")
        hub = hub if isinstance(hub, Mapping) else {}
        return hub if self.trusted else {k: v for k, v in hub.items() if k != "endpoint"}

    @property
    def hub_enabled(self) -> bool:
        return self.hub_settings.get("enabled") is not False

    @property
    def live_hub(self) -> bool:
        return self.hub_enabled and self.hub_settings.get("live_diagnostics") is True

    @staticmethod
    def _hub_timeout(hub: Mapping[str, Any]) -> float:
        value = hub.get("timeout")
        return float(value) if isinstance(value, (int, float)) and 0 < value <= 60 else 3.0

    @property
    def hub(self) -> HubService:
        """The Hub client, made on first use (huggingface_hub is imported later still)."""
        if self._hub is None:
            from ..hub import HubService

            hub = self.hub_settings
            self._hub = HubService(enabled=self.hub_enabled, timeout=self._hub_timeout(hub),
                                   endpoint=hub.get("endpoint") or None)
        return self._hub

    def note_login(self, state: LoginState) -> bool:
        """Remember the login's namespaces (fixes use them); True when they changed."""
        login = state.login
        before = (self.namespace, self.namespaces)
        if login is not None:
            self.namespace, self.namespaces = login.name, tuple(login.writable_namespaces())
        elif state.problem is None or state.problem.kind in ("disabled", "unauthorized"):
            self.namespace, self.namespaces = None, ()  # logged out (a timeout keeps what we knew)
        return (self.namespace, self.namespaces) != before

    @property
    def enabled(self) -> bool:
        return self.editor_settings.get("enable", True) is not False

    def job_scripts(self) -> frozenset[str]:
        return frozenset(p for paths in self.job_scripts_by_uri.values() for p in paths)

    def settings_for(self, path: str | None) -> tuple[Settings, list[str]]:
        """Settings for a document, and messages to show the user once."""
        from ..sources import EditorSources

        project, configured, problems = self.settings_index.settings_for(path, self.editor_settings)
        # What changes between analyzes (the login, the Hub's answers, open documents)
        # on top of the configured settings.
        settings = replace(
            configured,
            namespace=self.namespace or configured.namespace,
            namespaces=self.namespaces or configured.namespaces,
            job_scripts=self.job_scripts(),
            environment_signatures=self.trusted,
            sources=EditorSources(self.open_text),
            live_hub=self.live_hub,
            hub_verdicts=dict(self.hub_verdicts),
        )
        messages = [project.warning] if project.warning else []
        messages += [f"hubsave settings: {p}" for p in problems]
        fresh = [m for m in messages if m not in self.warned]
        self.warned.update(fresh)
        return settings, fresh

    def analyze(self, uri: str, path: str | None, text: str, version: int | None,
                kind: str = "python") -> tuple[DocumentState, list[str]]:
        """Analyze the document's current text (a file of `kind`) and remember the result."""
        from ..analysis.carry import carry_over
        from ..analysis.document import split_lines
        from ..analysis.fragments import analyze_source
        from ..kinds import Source
        from ..sources import project_root

        state = self.documents.setdefault(uri, DocumentState())
        settings, messages = self.settings_for(path)
        result = analyze_source(Source.text(kind, text), path, settings, previous=state.good_document,
                                last=state.analysis)
        script = result.script
        if result.skipped:
            note = f"hubsave: {path or uri}: {result.skipped}"
            if note not in self.warned:
                self.warned.add(note)
                messages.append(note)
        elif path:
            self.job_scripts_by_uri[uri] = result.scripts_run(path, project_root(path))
        state.version, state.text, state.analysis = version, text, result
        state.signature_requests = result.signature_requests
        if result.syntax_error is None or script is None:  # a cut file's broken block is blanked, not fatal
            state.findings = result.in_part(0)
            state.good_text, state.good_findings = text, state.findings
            keep = script is not None and script.has_tree
            state.good_document = script if keep else None
            self._keep_tree_for(uri)
            state.syntax_error = None
        else:
            state.syntax_error = result.syntax_error
            good = state.good_text
            state.findings = carry_over(split_lines(good), state.good_findings, split_lines(text)) if good else []
        return state, messages

    def submitters_of(self, path: str | None) -> list[str]:
        """Open documents whose job submissions run `path`: their HS308 depends on it."""
        if not path:
            return []
        key = normalize_path(path)
        return [uri for uri, scripts in self.job_scripts_by_uri.items() if key in scripts]

    def _keep_tree_for(self, uri: str) -> None:
        """Most recently analyzed last; older documents drop their trees."""
        self.recent.pop(uri, None)
        self.recent[uri] = None
        while len(self.recent) > TREES_KEPT:
            old = next(iter(self.recent))
            del self.recent[old]
            state = self.documents.get(old)
            if state is not None:
                state.good_document = None
                for document in state.analysis.documents if state.analysis else ():
                    document.release()  # a hover there parses again

    def forget(self, uri: str) -> None:
        self.recent.pop(uri, None)
        self.documents.pop(uri, None)
        self.job_scripts_by_uri.pop(uri, None)


def path_of(uri: str) -> str | None:
    from pygls.uris import to_fs_path

    path = to_fs_path(uri)
    return os.path.abspath(path) if path else None

