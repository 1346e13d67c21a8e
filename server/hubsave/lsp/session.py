"""What the server remembers between requests: settings, open documents' last analyses.

No pygls here; the handlers pass in what they read from the workspace.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..analysis import Settings, analyze
from ..analysis.carry import carry_over
from ..analysis.document import Document
from ..analysis.findings import Finding
from ..analysis.workspace import scripts_run_by
from ..config import build_settings, find_pyproject, load_project, normalize

log = logging.getLogger(__name__)


# Below this size a full parse takes a few milliseconds: no tree is kept between versions.
INCREMENTAL_MIN_LINES = 1000


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


@dataclass
class Session:
    editor_settings: dict[str, Any] = field(default_factory=dict)
    roots: tuple[str, ...] = ()  # workspace folders, for relative job script paths
    namespace: str | None = None  # the Hub login's, when known
    documents: dict[str, DocumentState] = field(default_factory=dict)
    job_scripts_by_uri: dict[str, set[str]] = field(default_factory=dict)
    warned: set[str] = field(default_factory=set)

    def update_editor_settings(self, values: Mapping[str, Any] | None) -> None:
        self.editor_settings = normalize(values or {})

    @property
    def enabled(self) -> bool:
        return self.editor_settings.get("enable", True) is not False

    def job_scripts(self) -> frozenset[str]:
        return frozenset(p for paths in self.job_scripts_by_uri.values() for p in paths)

    def settings_for(self, path: str | None) -> tuple[Settings, list[str]]:
        """Settings for a document, and messages to show the user once."""
        project = load_project(find_pyproject(path)) if path else load_project(None)
        settings, problems = build_settings(
            project.values, self.editor_settings, namespace=self.namespace, job_scripts=self.job_scripts()
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
        if result.syntax_error is None:
            state.findings = result.findings
            state.good_lines, state.good_findings = lines, result.findings
            # Keep a parsed tree only where re-parsing costs: memory matters with many files open.
            keep = result.document is not None and result.document.has_tree and len(lines) >= INCREMENTAL_MIN_LINES
            state.good_document = result.document if keep else None
            state.syntax_error = None
        else:
            state.syntax_error = result.syntax_error
            state.findings = carry_over(state.good_lines, state.good_findings, lines) if state.good_lines else []
        return state, messages

    def forget(self, uri: str) -> None:
        self.documents.pop(uri, None)
        self.job_scripts_by_uri.pop(uri, None)


def path_of(uri: str) -> str | None:
    from pygls.uris import to_fs_path

    path = to_fs_path(uri)
    return os.path.abspath(path) if path else None

