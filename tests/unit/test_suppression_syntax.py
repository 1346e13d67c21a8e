"""One suppression syntax: the quick fix extends the comment the analysis reads."""

from __future__ import annotations

from hubsave.analysis import analyze
from hubsave.lsp.code_actions import suppression_edit
from hubsave.lsp.convert import Columns

SUBMIT = 'from huggingface_hub import run_uv_job\nrun_uv_job("train.py")'


def _suppress_first(text: str) -> str:
    finding = analyze(text).findings[0]
    lines = text.split("\n")
    edit = suppression_edit(finding, Columns(lines, "utf-16"))
    line = lines[edit.span.start_line]
    lines[edit.span.start_line] = line[: edit.span.start_col] + edit.new_text + line[edit.span.end_col :]
    return "\n".join(lines)


def test_a_listed_code_is_added_to_the_same_comment():
    text = SUBMIT + "  # hubsave: ignore[HS304]\n"
    assert [f.code for f in analyze(text).findings] == ["HS301"]
    fixed = _suppress_first(text)
    assert fixed.splitlines()[1] == 'run_uv_job("train.py")  # hubsave: ignore[HS304, HS301]'
    assert analyze(fixed).findings == []


def test_a_new_comment_when_the_line_has_none():
    fixed = _suppress_first(SUBMIT + "\n")
    assert fixed.splitlines()[1] == 'run_uv_job("train.py")  # hubsave: ignore[HS301]'
    assert [f.code for f in analyze(fixed).findings] == ["HS304"]
