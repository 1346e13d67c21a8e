"""Which trl / transformers release a script runs with, when something pins one.

HS109 judges keywords against the bundled releases unless the script says it
installs another: its PEP 723 `# /// script` block (what `uv run` and Jobs
install), else a notebook's `%pip install` / `!pip install` lines (given in
Settings.requirements), else a `requirements.txt` or `pyproject.toml` next to the
script (read through Settings.sources, never from disk here). A pin to the release
the schema was compared with (`trl==0.29.0`, `transformers==4.57.*`) is judged
against that release; any other release that rules out the bundled one is unknown.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Iterable

from . import config_schema
from .dependencies_table import parse_requirement

if TYPE_CHECKING:
    from .context import RuleContext

CURRENT, PREVIOUS = "current", "previous"
# Version bounds: `trl==0.19`, `transformers<5`, `trl>=1.20`, `trl==0.29.*`.
_BOUND = re.compile(r"(===|==|<=|>=|<|>|~=|!=)\s*v?(\d+(?:\.\d+)*)(\.\*)?")
# `!pip install -q trl==0.29.0 "transformers<5"`, `%pip install`, `!uv pip install`, `!pip3 install`.
PIP_INSTALL = re.compile(r"^\s*[!%]\s*(?:uv\s+)?pip3?\s+install\s+(?P<args>.*)$")


def pip_install_requirements(line: str) -> list[str]:
    """The requirement specs of one notebook `pip install` line (options dropped)."""
    match = PIP_INSTALL.match(line)
    if not match:
        return []
    found = []
    for word in match.group("args").split():
        word = word.strip("'\"")
        if word and not word.startswith("-") and parse_requirement(word) is not None:
            found.append(word)
    return found


def releases(ctx: RuleContext) -> dict[str, str | None]:
    """{"trl": CURRENT | PREVIOUS | None, "transformers": ...}; None: a release the
    bundled schema does not know."""
    specs = _specs(ctx)
    bundled, compared = config_schema.schema_versions(), config_schema.compared_versions()
    verdicts: dict[str, str | None] = {}
    for package, version in bundled.items():
        mine = [spec for spec in specs if (parsed := parse_requirement(spec)) and parsed[0] == package]
        verdicts[package] = _release(mine, _version(version), compared.get(package))
    return verdicts


def _specs(ctx: RuleContext) -> list[str]:
    script = ctx.doc.inline_script
    if script is not None and script.dependencies:
        return list(script.dependencies)
    if ctx.settings.requirements:
        return list(ctx.settings.requirements)
    return list(_next_to_script(ctx))


def _next_to_script(ctx: RuleContext) -> Iterable[str]:
    sources, path = ctx.settings.sources, ctx.doc.path
    if sources is None or not path:
        return
    folder = os.path.dirname(os.path.abspath(path))
    text = sources.read(os.path.join(folder, "requirements.txt"))
    if text:
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                yield line
        return
    text = sources.read(os.path.join(folder, "pyproject.toml"))
    if text and "dependencies" in text:
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            import tomli as tomllib  # type: ignore[no-redef]

        try:
            project = tomllib.loads(text).get("project", {})
        except ValueError:
            return  # a broken pyproject.toml pins nothing we can read
        dependencies = project.get("dependencies") if isinstance(project, dict) else None
        if isinstance(dependencies, list):
            yield from (d for d in dependencies if isinstance(d, str))


def _release(specs: list[str], current: tuple[int, ...], compared: str | None) -> str | None:
    bounds = [bound for spec in specs for bound in _BOUND.findall(spec.split(";")[0])]
    if not any(_excludes(op, _version(v), current, bool(star)) for op, v, star in bounds):
        return CURRENT
    if compared is None:
        return None
    previous = _version(compared)
    # Only an exact pin to the compared release line (`==0.29.0`, `==0.29.*`): a range
    # may install a release between the two we know.
    exact = [_version(v)[:2] for op, v, _ in bounds if op in ("==", "===")]
    if exact and all(e == previous[:2] for e in exact) and not any(
        _excludes(op, _version(v), previous, bool(star)) for op, v, star in bounds if op not in ("==", "===")
    ):
        return PREVIOUS
    return None


def _excludes(operator: str, bound: tuple[int, ...], version: tuple[int, ...], star: bool = False) -> bool:
    """Whether `operator bound` rules out `version`."""
    if star and operator in ("==", "!="):  # `==0.29.*`: the same prefix
        same = version[: len(bound)] == bound
        return not same if operator == "==" else same
    if operator == "~=":  # ~=0.19 means >=0.19, <1.0
        if len(bound) < 2:
            return False
        return _excludes(">=", bound, version) or _excludes("<", (*bound[:-2], bound[-2] + 1), version)
    width = max(len(bound), len(version))
    bound, version = bound + (0,) * (width - len(bound)), version + (0,) * (width - len(version))
    return {
        "<": version >= bound,
        "<=": version > bound,
        ">": version <= bound,
        ">=": version < bound,
        "==": version != bound,
        "===": version != bound,
        "!=": False,
    }[operator]


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".") if p.isdigit())
