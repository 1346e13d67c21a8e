"""What the server remembers between requests: settings, open documents' last analyses.

No pygls here; the handlers pass in what they read from the workspace.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ..analysis import Settings, analyze
from ..analysis.carry import carry_over
from ..analysis.document import Document
from ..analysis.findings import Finding
from ..analysis.workspace import normalize_path, scripts_run_by
from ..config import build_settings, find_pyproject, load_project, normalize
from ..hub import HubService, LoginState
from ..sources import EditorSources

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
    good_lines: list[str] | None = None
    good_findings: list[Finding] = field(default_factory=list)
    good_document: Document | None = None  # reused by the next parse
    syntax_error: str | None = None
    lines: list[str] = field(default_factory=list)  # the analysed text's lines, for columns
    # HS109 signatures the analysis found no cached answer for (the server looks them up).
    signature_requests: frozenset = frozenset()


@dataclass
class Session:
    editor_settings: dict[str, Any] = field(default_factory=dict)
    roots: tuple[str, ...] = ()  # workspace folders, for relative job script paths
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
        project = load_project(find_pyproject(path)) if path else load_project(None)
        hub: dict[str, Any] = {"live_hub": self.live_hub, "hub_verdicts": dict(self.hub_verdicts)}
        if self.namespaces:
            hub["namespaces"] = self.namespaces
        settings, problems = build_settings(
            project.values,
            self.editor_settings,
            namespace=self.namespace,
            job_scripts=self.job_scripts(),
            environment_signatures=self.trusted,
            sources=EditorSources(self.roots, self.open_text),
            hub=hub,
        )
        messages = [project.warning] if project.warning else []
        messages += [f"hubsave settings: {p}" for p in problems]
        fresh = [m for m in messages if m not in self.warned]
        self.warned.update(fresh)
        return settings, fresh

    def analyse(self, uri: str, path: str | None, text: str, version: int | None) -> tuple[DocumentState, list[str]]:
        """Analyse the document's current text and remember the result."""
        state = self.documents.setdefault(uri, DocumentState())
        messages: list[str] = []
        settings, messages = self.settings_for(path)
        result = analyze(text, path, settings, previous=state.good_document)
        if result.skipped:
            note = f"hubsave: {path or uri}: {result.skipped}"
            if note not in self.warned:
                self.warned.add(note)
                messages.append(note)
        elif path and result.document is not None:
            self.job_scripts_by_uri[uri] = scripts_run_by(result.document, path, self.roots)
        lines = result.document.lines if result.document else text.splitlines()
        state.version, state.lines = version, lines
        state.signature_requests = result.signature_requests
        if result.syntax_error is None:
            state.findings = result.findings
            state.good_lines, state.good_findings = lines, result.findings
            keep = result.document is not None and result.document.has_tree
            state.good_document = result.document if keep else None
            self._keep_tree_for(uri)
            state.syntax_error = None
        else:
            state.syntax_error = result.syntax_error
            state.findings = carry_over(state.good_lines, state.good_findings, lines) if state.good_lines else []
        return state, messages

    def submitters_of(self, path: str | None) -> list[str]:
        """Open documents whose job submissions run `path`: their HS308 depends on it."""
        if not path:
            return []
        key = normalize_path(path)
        return [uri for uri, scripts in self.job_scripts_by_uri.items() if key in scripts]

    def _keep_tree_for(self, uri: str) -> None:
        """Most recently analysed last; older documents drop their trees."""
        self.recent.pop(uri, None)
        self.recent[uri] = None
        while len(self.recent) > TREES_KEPT:
            old = next(iter(self.recent))
            del self.recent[old]
            if old in self.documents:
                self.documents[old].good_document = None

    def forget(self, uri: str) -> None:
        self.recent.pop(uri, None)
        self.documents.pop(uri, None)
        self.job_scripts_by_uri.pop(uri, None)


def path_of(uri: str) -> str | None:
    from pygls.uris import to_fs_path

    path = to_fs_path(uri)
    return os.path.abspath(path) if path else None

