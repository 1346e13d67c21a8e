"""The guide's own examples give exactly the findings marked in them (all rules)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubsave.analysis import analyze
from tests.fixture_expectations import expectations

SEED = sorted((Path(__file__).parents[1] / "fixtures" / "seed").glob("*.py"))


@pytest.mark.parametrize("path", SEED, ids=[p.name for p in SEED])
def test_seed_example(path):
    text = path.read_text(encoding="utf-8")
    result = analyze(text, str(path))
    assert result.syntax_error is None
    expected = {(line, code) for line, code, _ in expectations(text)}
    actual = {(f.span.start_line, f.code) for f in result.findings}
    assert actual == expected, f"missing: {sorted(expected - actual)}, unexpected: {sorted(actual - expected)}"
