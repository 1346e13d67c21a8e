"""Per-workspace settings index: which pyproject.toml governs a file, its `[tool.hubsave]`,
and the typed `Settings` that layer and the editor's make together.

Looked up once per folder and kept; the merged `Settings` are built once per project
file and editor settings, not at every analysis. A client that sends
`workspace/didChangeWatchedFiles` for `pyproject.toml` (the server registers the watcher
when the client allows it) tells the index when to forget; without that, every look-up
checks the files on disk again (their modification time), as `hubsave check` does.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Mapping

from ..analysis.workspace import normalize_path
from ..config import (
    ProjectConfig,
    build_settings,
    find_pyproject,
    forget_project,
    load_project,
)

if TYPE_CHECKING:
    from ..analysis import Settings

WATCHED_GLOB = "**/pyproject.toml"
NO_PROJECT = ProjectConfig(None)


class SettingsIndex:
    def __init__(self) -> None:
        self.watched = False  # the client reports pyproject.toml changes
        self._nearest: dict[str, str | None] = {}  # folder -> its nearest pyproject.toml
        self._projects: dict[str, ProjectConfig] = {}  # pyproject.toml -> its settings
        # pyproject.toml (None: none) -> (the project layer, the editor layer, merged, problems)
        self._merged: dict[str | None, tuple[ProjectConfig, Mapping[str, Any], Settings, list[str]]] = {}

    def settings_for(self, path: str | None, editor: Mapping[str, Any]) -> tuple[ProjectConfig, Settings, list[str]]:
        """The project layer for the file at `path`, and the settings it and the editor's
        layer (a new mapping whenever the editor's settings change) make: built-in, then
        pyproject.toml, then the editor. Returns (project, settings, problems)."""
        project = self.project_for(path)
        cached = self._merged.get(project.path)
        if cached is None or cached[0] is not project or cached[1] is not editor:
            settings, problems = build_settings(project.values, editor, environment_signatures=True)
            cached = self._merged[project.path] = (project, editor, settings, problems)
        return project, cached[2], cached[3]

    def project_for(self, path: str | None) -> ProjectConfig:
        """The `[tool.hubsave]` that applies to the file at `path`."""
        if path is None:
            return NO_PROJECT
        folder = os.path.dirname(os.path.abspath(path))
        if not self.watched:
            found = find_pyproject(folder)
            return load_project(found) if found else NO_PROJECT
        if folder not in self._nearest:
            self._nearest[folder] = find_pyproject(folder)
        pyproject = self._nearest[folder]
        if pyproject is None:
            return NO_PROJECT
        key = normalize_path(pyproject)
        if key not in self._projects:
            self._projects[key] = load_project(pyproject)
        return self._projects[key]

    def changed(self, paths: list[str]) -> bool:
        """pyproject.toml files created, changed or deleted; True when settings may differ."""
        relevant = [p for p in paths if os.path.basename(p) == "pyproject.toml"]
        if relevant:
            # A new or deleted file can change which one is nearest to any folder.
            self._nearest.clear()
            for path in relevant:
                self._projects.pop(normalize_path(path), None)
                forget_project(path)
        return bool(relevant)
