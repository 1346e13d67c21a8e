"""The trigger screen finds exactly the triggers a text contains, as searching for each
one would: the anchors and split patterns only make fewer scans."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from hubsave.analysis.engine import _screen, active_rules
from hubsave.analysis.rules import RULES
from hubsave.analysis.rules.tokens import _NAMED_TOKEN_POSITION
from hubsave.analysis.settings import Settings
from hubsave.analysis.triggers import TriggerScreen, anchor_groups

ROOT = Path(__file__).resolve().parents[2]
TRIGGERS = {t for rule in RULES.values() for t in rule.triggers}
LITERALS = sorted(t for t in TRIGGERS if isinstance(t, str))


def each_searched(text: str) -> set:
    return {t for t in TRIGGERS if (t in text if isinstance(t, str) else t.search(text))}


def rules_each_searched(text: str, settings: Settings) -> list[str]:
    return [r.code for r in RULES.values() if settings.enabled(r.code, r.opt_in, r.live) and any(t in each_searched(text) for t in r.triggers)]


def test_every_literal_is_in_one_group_under_an_anchor_it_contains():
    groups = anchor_groups(LITERALS)
    grouped = [literal for _, members in groups for literal in members]
    assert sorted(grouped) == LITERALS
    assert all(anchor in literal for anchor, members in groups for literal in members)
    assert len(groups) < len(LITERALS)  # the point: fewer scans than literals


def test_repository_texts_screen_as_each_trigger_searched():
    screen = TriggerScreen.of(TRIGGERS)
    files = [p for folder in ("tests/fixtures", "examples", "benchmarks", "docs") for p in (ROOT / folder).rglob("*") if p.is_file()]
    checked = 0
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        assert screen.found(text) == each_searched(text), path
        checked += 1
    assert checked > 100


# Pieces of triggers (and of their anchors) with the characters around them, so that
# near misses ("create_rep", "api_key =", "hf-job") are common.
_PIECES = st.one_of(
    st.sampled_from(LITERALS),
    st.sampled_from(LITERALS).flatmap(lambda s: st.tuples(st.integers(0, len(s)), st.integers(0, len(s))).map(lambda ij: s[min(ij):max(ij)])),
    st.sampled_from(["token", "TOKEN", "api_key", "login(", "uthorization", " ", "=", "'", '"', ":", ",", "]", "\n", "x", "hf_", "<", "your", "r"]),
    st.text(max_size=3),
)
_TEXTS = st.lists(_PIECES, max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_generated_texts_screen_as_each_trigger_searched(text):
    assert _screen(len(RULES)).found(text) == each_searched(text)
    for chosen in (Settings(), Settings(select=frozenset({"HS"}), live_hub=True)):  # the defaults, and every rule
        assert [r.code for r in active_rules(text, chosen)] == rules_each_searched(text, chosen)


_ONE_ALTERNATION = re.compile(r"(?:token|api_key)\s*=\s*[A-Za-z_]|login\(\s*[A-Za-z_]")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["token", "api_key", "login(", "login", " ", "\t", "=", "x", "_", "1", "'", "(", "\n"]), max_size=12).map("".join))
def test_split_named_token_position_matches_where_the_alternation_did(text):
    assert _NAMED_TOKEN_POSITION.search(text) == bool(_ONE_ALTERNATION.search(text))
