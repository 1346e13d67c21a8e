"""Settings from `[tool.hubsave]` in the nearest pyproject.toml and from the editor.

Layers, each overriding the one before key by key: the built-in defaults, the project
file, then the editor settings the user set (an editor sends only those: an unset
setting is absent, not empty). `extend-*` lists add up across layers instead
(`extend-placeholder-namespaces` adds to whichever `placeholder-namespaces` list wins).
Keys may be written kebab-case (pyproject) or camelCase (editor settings). A broken
file gives one warning and the defaults, never an exception.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from .analysis.findings import Severity
    from .analysis.settings import Settings
    from .analysis.workspace import SourceReader


def _toml():
    """The TOML reader, imported with the first file read: the language server needs
    `normalize` for its `initialize` answer and reads no file before it."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    return tomllib


@dataclass(frozen=True)
class ProjectConfig:
    path: str | None
    values: Mapping[str, Any] = field(default_factory=dict)
    warning: str | None = None


_cache: dict[str, tuple[float, ProjectConfig]] = {}


def _key(name: str) -> str:
    """`placeholder-namespaces` and `placeholderNamespaces` -> `placeholder_namespaces`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).replace("-", "_").lower()


def normalize(values: Mapping[str, Any] | None) -> dict[str, Any]:
    if not isinstance(values, Mapping):
        return {}
    return {_key(k): (normalize(v) if isinstance(v, Mapping) and _key(k) != "severity" else v) for k, v in values.items()}


def find_pyproject(start: str) -> str | None:
    """The nearest pyproject.toml at or above `start` (a file or a folder)."""
    folder = start if os.path.isdir(start) else os.path.dirname(os.path.abspath(start))
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def load_project(path: str | None) -> ProjectConfig:
    """`[tool.hubsave]` of a pyproject.toml, cached until the file changes."""
    if path is None:
        return ProjectConfig(None)
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return ProjectConfig(path)
    cached = _cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    try:
        with open(path, "rb") as handle:
            data = _toml().load(handle)
        section = data.get("tool", {}).get("hubsave", {})
        if not isinstance(section, dict):
            raise ValueError("[tool.hubsave] is not a table")
        values, warning = _without_user_only_keys(normalize(section), path)
        config = ProjectConfig(path, values, warning)
    except (OSError, ValueError, UnicodeDecodeError) as exc:  # TOMLDecodeError is a ValueError
        config = ProjectConfig(path, {}, f"{path}: ignored, not valid TOML ({exc}); using the defaults")
    _cache[path] = (mtime, config)
    return config


# Keys only the user may set (editor settings, the command line): they name a program
# hubsave would start, or where the Hub token is sent. A file in the checked tree must
# not decide either (docs/security.md): a project file's value is dropped with a warning.
USER_ONLY_KEYS = {
    ("interpreter",): "it names a program hubsave would run; give it with --python / HUBSAVE_PYTHON "
    "or the editor's hubsave.interpreter setting",
    ("hub", "endpoint"): "the Hub login token is sent there; use HF_ENDPOINT or the editor's settings",
}


def _without_user_only_keys(values: dict[str, Any], path: str) -> tuple[dict[str, Any], str | None]:
    reasons = []
    for keys, why in USER_ONLY_KEYS.items():
        *parents, last = keys
        table = values
        for parent in parents:
            table = table.get(parent) if isinstance(table, dict) else None
        if isinstance(table, dict) and last in table:
            del table[last]  # `values` is this load's own copy (normalize builds new dicts)
            reasons.append(f"`{'.'.join(keys).replace('_', '-')}` is ignored: {why}")
    return values, (f"{path}: [tool.hubsave] " + "; ".join(reasons)) if reasons else None


def forget_project(path: str) -> None:
    """Drop a cached pyproject.toml (the editor said it changed: its mtime may not show it)."""
    _cache.pop(path, None)


def _codes(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return frozenset()
    return frozenset(str(v).strip().upper() for v in value if str(v).strip())


def _severities(value: Any, problems: list[str]) -> dict[str, Severity]:
    from .analysis.findings import Severity

    found: dict[str, Severity] = {}
    if not isinstance(value, Mapping):
        return found
    for code, name in value.items():
        try:
            found[str(code).upper()] = Severity.parse(str(name))
        except KeyError:
            problems.append(f"unknown severity {name!r} for {code}")
    return found


def _names(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def build_settings(
    *layers: Mapping[str, Any],
    namespace: str | None = None,
    job_scripts: frozenset[str] = frozenset(),
    sources: SourceReader | None = None,
    environment_signatures: bool = False,
    hub: Mapping[str, Any] | None = None,
) -> tuple[Settings, list[str]]:
    """Merge normalized setting layers, later ones winning. Returns settings and problems.

    `environment_signatures`: HS109 may use config signatures read (by jedi) from the
    `interpreter` setting's environment; the language server and the CLI turn it on.
    `hub`: what the language server knows from the Hub (`namespaces`, `live_hub`,
    `hub_verdicts`), passed through to Settings.
    """
    from .analysis.settings import DEFAULT_PLACEHOLDER_NAMESPACES, Settings

    merged: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if value is None:
                continue
            if key == "severity" and isinstance(value, Mapping):
                merged["severity"] = {**merged.get("severity", {}), **value}
            elif key.startswith("extend_") and isinstance(value, list):
                merged[key] = [*merged.get(key, []), *value]  # "extra" lists add up across layers
            else:
                merged[key] = value
    problems: list[str] = []
    placeholders = merged.get("placeholder_namespaces")
    extra = merged.get("extend_placeholder_namespaces")
    names = DEFAULT_PLACEHOLDER_NAMESPACES if not isinstance(placeholders, list) else frozenset(str(p).lower() for p in placeholders)
    if isinstance(extra, list):
        names = names | {str(p).lower() for p in extra}
    settings = Settings(
        select=_codes(merged.get("select")),
        ignore=_codes(merged.get("ignore")),
        severity=_severities(merged.get("severity"), problems),
        placeholder_namespaces=names,
        ephemeral=bool(merged.get("ephemeral", False)),
        unsafe_fixes=merged.get("unsafe_fixes") is True,
        namespace=namespace or (merged.get("namespace") if isinstance(merged.get("namespace"), str) else None),
        job_scripts=job_scripts,
        python=_interpreter(merged.get("interpreter")),
        environment_signatures=environment_signatures,
        sources=sources,
        **{"namespaces": _names(merged.get("namespaces")), **(hub or {})},
    )
    return settings, problems


def _interpreter(value: Any) -> str | None:
    """`interpreter = "/path/python"`, or VS Code's array form `["/path/python", ...]`."""
    if isinstance(value, (list, tuple)) and value:
        value = value[0]
    if not isinstance(value, str) or not value.strip():
        return None
    return os.path.expanduser(value.strip())


class ConfigError(ValueError):
    """A file or value given with `--config` that cannot be used (a usage error)."""


def load_config_file(path: str) -> ProjectConfig:
    """`hubsave check --config PATH`: `[tool.hubsave]` of a pyproject.toml, or the top
    level of any other TOML file (hubsave.toml). Unlike a discovered file, a broken one
    is an error: the user named it."""
    try:
        with open(path, "rb") as handle:
            data = _toml().load(handle)
    except OSError as exc:
        raise ConfigError(f"--config {path}: cannot read ({exc.strerror or exc})") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"--config {path}: not valid TOML ({exc})") from None
    section = data.get("tool", {}).get("hubsave", {}) if os.path.basename(path) == "pyproject.toml" else data
    if not isinstance(section, dict):
        raise ConfigError(f"--config {path}: [tool.hubsave] is not a table")
    # A file given with --config is still a file, often the checked repository's own.
    return ProjectConfig(path, *_without_user_only_keys(normalize(section), path))


def parse_override(text: str) -> dict[str, Any]:
    """`--config "ephemeral = true"`: one TOML `key = value`, as ruff accepts."""
    try:
        values = normalize(_toml().loads(text))
    except ValueError as exc:
        raise ConfigError(f"--config {text!r}: neither a file nor a TOML `key = value` ({exc})") from None
    if "interpreter" in values:
        raise ConfigError(f"--config {text!r}: give the interpreter with --python PATH (or HUBSAVE_PYTHON)")
    return values
