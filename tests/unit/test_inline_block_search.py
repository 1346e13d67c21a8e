"""The PEP 723 block search: its shortcuts (a prefix's lines, one line count, no copy of a
text without CR) answer as the whole-text computations they replace."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hubsave.analysis.document import Document, _comments_only

LINES = ["", "   ", "# comment", "   # indented comment", "x = 1", "  y", "\t", "#", "é = 2", "\u3000"]
BREAKS = ["\n", "\r\n", "\r", "\x0c", "\x1c", "\u2028", "\v"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LINES), st.sampled_from(BREAKS)), max_size=40), st.integers(0, 5000))
def test_comments_only_is_every_line_blank_or_a_comment(lines, padding):
    text = "# pad\n" * (padding // 6) + "".join(line + brk for line, brk in lines)
    expected = all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())
    assert _comments_only(text) == expected


BLOCK = '# /// script\n# dependencies = ["trl"]\n# ///\n'


def test_the_block_is_found_at_the_same_lines_with_any_line_ending():
    body = "import os\n\n\ndef f():\n    return 1\n\n\n" * 50
    for text in (BLOCK + body, body + BLOCK + "import trl\n", body + 'S = """\n' + BLOCK + '"""\n' + body):
        lf = Document(text).inline_script
        crlf = Document(text.replace("\n", "\r\n")).inline_script
        assert lf == crlf
        start = text.count("\n", 0, text.find("# /// script")) if '"""' not in text else None
        if start is None:
            assert lf is None  # inside a string: a launcher's inline script, not this file's block
        else:
            assert lf is not None and (lf.span.start_line, lf.span.end_line) == (start, start + 2)
            assert lf.dependencies == ["trl"]
