"""`--select` / `--ignore` on the command line, layered over the project's as ruff does.

The project's settings pick a set of rules first. Then a command-line `--select`
starts over from its own codes (with its own `--ignore`); a lone `--ignore` removes
rules from the project's set. Codes are exact codes or prefixes (`HS1`), `ALL` is
every rule. A selector that matches no rule is a usage error, as in ruff.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .analysis import Settings
from .analysis.rules import RULES
from .config import build_settings


def _selectors(values: Iterable[str] | None, flag: str) -> frozenset[str] | None:
    if values is None:
        return None
    codes = {c.strip().upper() for value in values for c in value.split(",") if c.strip()}
    codes = {"HS" if c == "ALL" else c for c in codes}
    for code in sorted(codes):
        if not any(known.startswith(code) for known in RULES):
            raise ValueError(f"{flag} {code}: no rule has this code or prefix (see `hubsave rules`)")
    return frozenset(codes) if codes else None


@dataclass(frozen=True)
class Selection:
    select: frozenset[str] | None = None  # None: keep what the project selects
    ignore: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, select: Iterable[str] | None, ignore: Iterable[str] | None) -> Selection:
        """From repeatable, comma-separated flag values; ValueError for an unknown code."""
        return cls(_selectors(select, "--select"), _selectors(ignore, "--ignore") or frozenset())

    def overrides(self, *project_layers: Mapping[str, Any]) -> dict[str, list[str]]:
        """A settings layer naming the exact codes to run; {} when the flags were not given."""
        if self.select is None and not self.ignore:
            return {}
        opt_in = {code: rule.opt_in for code, rule in RULES.items()}
        if self.select is not None:
            layer = Settings(select=self.select, ignore=self.ignore)
            enabled = {code for code, extra in opt_in.items() if layer.enabled(code, extra)}
        else:
            project, _ = build_settings(*project_layers)
            enabled = {
                code
                for code, extra in opt_in.items()
                if project.enabled(code, extra) and not any(code.startswith(p) for p in self.ignore)
            }
        # Everything else is ignored explicitly: an empty select would mean "all rules".
        return {"select": sorted(enabled), "ignore": sorted(set(opt_in) - enabled)}
