"""Incremental parsing gives exactly the tree a full parse gives, for any edit."""

from __future__ import annotations

import ast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubsave.analysis import analyze
from hubsave.analysis.document import Document
from tests.hardening.strategies import TEXTS, edited_script


def _full(text: str) -> str | None:
    try:
        return ast.dump(ast.parse(text), include_attributes=True)
    except (SyntaxError, ValueError, RecursionError):
        return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEXTS), edited_script())
def test_incremental_tree_equals_full_parse(before, after):
    old = Document(before)
    if old.tree is None:
        return
    new = Document(after, previous=old)
    expected = _full(after)
    if expected is None:
        assert new.tree is None
    else:
        assert new.tree is not None and ast.dump(new.tree, include_attributes=True) == expected


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_script(), st.data())
def test_chained_versions_give_the_same_findings(text, data):
    """A session's chain of versions analysed incrementally matches fresh analyses."""
    previous = None
    for _ in range(3):
        result = analyze(text, "train.py", previous=previous)
        fresh = analyze(text, "train.py")
        assert result.findings == fresh.findings
        previous = result.document if result.document and result.document.has_tree else previous
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(st.sampled_from(["\n", "x", "push_to_hub=True, ", "\nfoo = 1\n", ")"])) + text[at:]
