"""Property tests: whatever the text, analysis never raises and its findings make sense."""

from __future__ import annotations

import ast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubsave.analysis import analyze
from hubsave.analysis.document import Document
from hubsave.fixes.apply import FixNotApplicable, apply_fix
from tests.hardening.strategies import SNIPPETS, edited_script

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


@FUZZ
@given(edited_script())
def test_analysis_never_raises_and_ranges_fit(text):
    result = analyze(text, "train.py")
    lines = Document(text).lines
    for finding in result.findings:
        span = finding.span
        assert 0 <= span.start_line <= span.end_line < len(lines), finding
        assert 0 <= span.start_col <= len(lines[span.start_line]), finding
        assert 0 <= span.end_col <= len(lines[span.end_line]), finding
        if span.start_line == span.end_line:
            assert span.start_col <= span.end_col, finding
    if result.syntax_error:
        assert not result.findings


@FUZZ
@given(edited_script())
def test_every_fix_applies_and_keeps_the_file_parsing(text):
    result = analyze(text, "train.py")
    if result.syntax_error:
        return
    for finding in result.findings:
        if finding.fix is None:
            continue
        try:
            fixed = apply_fix(text, finding.fix)
        except FixNotApplicable:
            continue  # declined cleanly: the editor shows no fix
        assert _parses(fixed), (finding.code, finding.fix.title)


@settings(max_examples=60, deadline=None)
@given(st.integers(50, 3000), st.sampled_from(["(", "[", "{", "-", "not "]))
def test_deep_nesting_is_reported_not_raised(depth, opener):
    closer = {"(": ")", "[": "]", "{": "}", "-": "", "not ": ""}[opener]
    text = "from trl import SFTConfig\nx = " + opener * depth + "1" + closer * depth + "\nSFTConfig(output_dir='x')\n"
    result = analyze(text, "train.py")
    assert result.syntax_error or [f.code for f in result.findings] == ["HS101"]


def test_hostile_bytes_and_line_endings():
    for text in ["\x00" * 10, "SFTConfig(\x00)", "a = 1\r\nSFTConfig(\r\n)\r", "\ufeffimport trl\n", *SNIPPETS]:
        analyze(text, "x.py")
