"""Per-workspace settings index: which pyproject.toml governs a file, and its `[tool.hubsave]`.

Looked up once per folder and kept. A client that sends `workspace/didChangeWatchedFiles`
for `pyproject.toml` (the server registers the watcher when the client allows it) tells
the index when to forget; without that, every look-up checks the files on disk again
(their modification time), as `hubsave check` does.
"""

from __future__ import annotations

import os

from ..analysis.workspace import normalize_path
from ..config import ProjectConfig, find_pyproject, forget_project, load_project

WATCHED_GLOB = "**/pyproject.toml"


class SettingsIndex:
    def __init__(self) -> None:
        self.watched = False  # the client reports pyproject.toml changes
        self._nearest: dict[str, str | None] = {}  # folder -> its nearest pyproject.toml
        self._projects: dict[str, ProjectConfig] = {}  # pyproject.toml -> its settings

    def project_for(self, path: str | None) -> ProjectConfig:
        """The `[tool.hubsave]` that applies to the file at `path`."""
        if path is None:
            return ProjectConfig(None)
        folder = os.path.dirname(os.path.abspath(path))
        if not self.watched:
            return load_project(find_pyproject(folder))
        if folder not in self._nearest:
            self._nearest[folder] = find_pyproject(folder)
        pyproject = self._nearest[folder]
        if pyproject is None:
            return ProjectConfig(None)
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
