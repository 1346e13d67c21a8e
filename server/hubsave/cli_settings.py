"""The settings `hubsave check` uses for one file: project file, `--config`, `--select`/`--ignore`.

Without `--config PATH` each file gets the nearest pyproject.toml's `[tool.hubsave]`;
with it, that one file for every path. `--config "key = value"` overrides one key on
top, and the command line's rule selection comes last (see `selection`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Mapping

from .analysis import Settings
from .config import ConfigError, ProjectConfig, build_settings, find_pyproject, load_config_file, load_project, parse_override
from .selection import Selection
from .sources import DiskSources


@lru_cache(maxsize=4096)
def _pyproject_for_folder(folder: str) -> str | None:
    """One look-up per folder: a run over thousands of files asks for every one."""
    return find_pyproject(folder)


@dataclass(frozen=True)
class CheckSettings:
    selection: Selection = Selection()
    config: ProjectConfig | None = None  # --config PATH: used instead of discovery
    overrides: tuple[Mapping[str, Any], ...] = ()  # --config "key = value", then --unsafe-fixes
    # --python / HUBSAVE_PYTHON: the environment HS109 reads (None: the one running hubsave).
    # Only the user gives it: project files cannot (config.USER_ONLY_KEYS).
    python: str | None = None
    _built: dict = field(default_factory=dict, compare=False, repr=False)  # see for_path

    @classmethod
    def from_flags(
        cls,
        select: Iterable[str] | None,
        ignore: Iterable[str] | None,
        configs: Iterable[str] | None,
        unsafe_fixes: bool | None = None,
        python: str | None = None,
    ) -> CheckSettings:
        """ConfigError (or ValueError for an unknown rule code) on a usage error."""
        config: ProjectConfig | None = None
        overrides = []
        for value in configs or ():
            if os.path.isfile(value) or "=" not in value:
                if config is not None:
                    raise ConfigError(f"--config {value}: only one configuration file can be given")
                config = load_config_file(value)
            else:
                overrides.append(parse_override(value))
        if unsafe_fixes is not None:
            overrides.append({"unsafe_fixes": unsafe_fixes})
        return cls(Selection.parse(select, ignore), config, tuple(overrides), os.path.abspath(python) if python else None)

    def for_path(self, path: str, job_scripts: frozenset[str], problems: list[str]) -> Settings:
        project = self.config or load_project(_pyproject_for_folder(os.path.dirname(os.path.abspath(path))))
        if project.warning and project.warning not in problems:
            problems.append(project.warning)
        # One Settings per project file (and job scripts), not per path: building them for
        # each of thousands of files cost more than screening them, and the workers get
        # one pickled copy per chunk of files instead of one per file.
        key = (project.path, job_scripts)
        known = self._built.get(key)
        if known is None or known[0] != project:  # the file changed since
            known = self._built[key] = (project, *self._build(project, job_scripts))
        settings, issues = known[1], known[2]
        problems.extend(i for i in issues if i not in problems)
        return settings

    def _build(self, project: ProjectConfig, job_scripts: frozenset[str]) -> tuple[Settings, list[str]]:
        layers = (project.values, *self.overrides)
        # Cross-file rules (HS308, HS310, HS501) read other files from disk; relative
        # paths from the file's folder and its project root, never the current directory.
        return build_settings(
            *layers,
            self.selection.overrides(*layers),
            {"interpreter": self.python},
            job_scripts=job_scripts,
            sources=DiskSources(),
            environment_signatures=True,
        )
