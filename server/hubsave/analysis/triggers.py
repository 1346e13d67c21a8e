"""Which rule triggers a text contains: the screen every checked file goes through.

Most files mention no trigger, and every search of a whole text for one literal
costs about the same (a C scan of the text, whatever the literal). So the screen
makes as few scans as it can: the literal triggers are grouped under substrings
they share ("anchors": `create_` stands for create_repo, create_commit, create_tag
and create_branch), chosen once from the rules' triggers, and only a text that
has an anchor is searched for the literals under it. Patterns (and `AllOf`,
`AnyOf`) are searched on their own: each should start with a literal, which `re`
finds about as fast as `in`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Union

from .rules.registry import AllOf, AnyOf

Trigger = Union[str, "re.Pattern[str]", AllOf, AnyOf]

# Anchors shorter than this ("load", "repo") are in much ordinary code ("report"),
# which would then be searched for every literal under them.
MIN_ANCHOR = 5


@dataclass(frozen=True)
class TriggerScreen:
    groups: tuple[tuple[str, tuple[str, ...]], ...]  # (anchor, the literal triggers containing it)
    patterns: tuple[re.Pattern[str] | AllOf | AnyOf, ...]

    @classmethod
    def of(cls, triggers: Iterable[Trigger]) -> TriggerScreen:
        distinct = set(triggers)
        literals = {t for t in distinct if isinstance(t, str)}
        patterns = sorted((t for t in distinct if not isinstance(t, str)), key=lambda p: p.pattern)
        return cls(anchor_groups(literals), tuple(patterns))

    def found(self, text: str) -> set[Trigger]:
        """The triggers `text` contains (empty for most files)."""
        return self.literals_in(text) | {p for p in self.patterns if p.search(text)}

    def literals_in(self, text: str) -> set[str]:
        found: set[str] = set()
        for anchor, literals in self.groups:
            if anchor in text:
                found.update(literal for literal in literals if literal in text)
        return found

    def triggered(self, text: str, rules: Iterable) -> list:
        """The `rules` with a trigger in `text`. A pattern is searched only for a rule no
        literal has triggered, and once: on a long file the patterns cost more than all
        the literals (a quote-led one, HS402's placeholder literal, 0.5 ms on 5,000
        lines), and most keystrokes are in files whose rules a literal triggers."""
        literals = self.literals_in(text)
        searched: dict[Trigger, bool] = {}

        def present(trigger: Trigger) -> bool:
            if isinstance(trigger, str):
                return trigger in literals
            hit = searched.get(trigger)
            if hit is None:
                hit = searched[trigger] = bool(trigger.search(text))
            return hit

        return [rule for rule in rules if any(map(present, rule.triggers))]


def anchor_groups(literals: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Few anchors covering every literal: greedily the substring (at least MIN_ANCHOR
    long, or a whole shorter literal) that most uncovered literals contain, the longer
    on a tie. A literal is present only where its anchor is, so the groups find
    exactly the literals present."""
    literals = set(literals)
    candidates = {
        literal[start:end]
        for literal in literals
        for start in range(len(literal))
        for end in range(start + min(MIN_ANCHOR, len(literal)), len(literal) + 1)
    }
    # candidate anchor -> the literals containing it ("hf_" is in "hf_jobs" too)
    containing = {anchor: {literal for literal in literals if anchor in literal} for anchor in candidates}
    left = set(literals)
    groups = []
    while left:
        anchor = max(containing, key=lambda s: (len(containing[s] & left), len(s), s))
        covered = containing[anchor] & left
        groups.append((anchor, tuple(sorted(covered))))
        left -= covered
    return tuple(groups)
