"""Incremental parsing gives exactly the tree a full parse gives, for any edit."""

from __future__ import annotations

import ast
import os

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


@settings(max_examples=int(os.environ.get("HUBSAVE_FUZZ_EXAMPLES", "300")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
    """A session's chain of versions analyzed incrementally matches fresh analyses."""
    previous = None
    for _ in range(3):
        result = analyze(text, "train.py", previous=previous)
        fresh = analyze(text, "train.py")
        assert result.findings == fresh.findings
        previous = result.document if result.document and result.document.has_tree else previous
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(st.sampled_from(["\n", "x", "push_to_hub=True, ", "\nfoo = 1\n", ")"])) + text[at:]


def _region(before: str, after: str):
    from hubsave.analysis.document import RegionSyntaxError, incremental_parse

    old = Document(before)
    assert old.tree is not None
    try:
        return incremental_parse(old, Document(after))
    except RegionSyntaxError:
        return "syntax error"


def test_edits_that_need_their_neighbours_parse_without_a_full_parse():
    base = "import os\n\nif os.sep:\n    a = 1\n\nb = 2\n\ndef f():\n    return 1\n"
    else_added = base.replace("    a = 1\n", "    a = 1\nelse:\n    a = 2\n")
    decorator_added = base.replace("def f():", "@staticmethod\ndef f():")
    body_line_added = base.replace("    return 1\n", "    return 1\n    x = 2\n")
    for after in (else_added, decorator_added, body_line_added):
        assert isinstance(_region(base, after), ast.Module)  # no full parse needed
        new = Document(after, previous=Document(base))
        new.previous.tree  # the previous version parsed
        assert ast.dump(new.tree, include_attributes=True) == ast.dump(ast.parse(after), include_attributes=True)


def test_a_broken_region_is_a_syntax_error_unless_a_string_may_span_it():
    base = 'x = 1\n\ny = "done"\n\nz = """doc"""\n'
    assert _region(base, base.replace("y = ", "y = (")) == "syntax error"
    # A triple quote may pair with one further down: only a full parse can tell.
    assert _region(base, base.replace('y = "done"', 'y = """done')) is None


SCRIPT = '''"""Train a model."""

from trl import SFTConfig


def main():
    """Entry point."""
    args = SFTConfig(
        output_dir="out",
        push_to_hub=True,
    )
    return args
'''


def test_typing_a_string_argument_needs_no_full_parse_and_matches_one():
    """Typing `run_name="..."` character by character: every text with the string
    unterminated is a syntax error found from the edited statement alone (a
    single-quoted string ends at its line, even next to triple-quoted docstrings),
    and every text that parses gives the full parse's tree."""
    anchor = SCRIPT.index("    )\n")
    typed = '        run_name="sft-run",\n'
    good = Document(SCRIPT)
    assert good.tree is not None
    for length in range(1, len(typed) + 1):
        after = SCRIPT[:anchor] + typed[:length] + SCRIPT[anchor:]
        expected = _full(after)
        if expected is None:
            assert _region(good.text, after) == "syntax error", repr(typed[:length])
        new = Document(after, previous=Document(good.text))
        if expected is None:
            assert new.tree is None and new.syntax_error
        else:
            assert new.tree is not None and ast.dump(new.tree, include_attributes=True) == expected
    unterminated = SCRIPT[:anchor] + typed[: typed.index('"') + 4] + SCRIPT[anchor:]
    assert _full(unterminated) is None and _region(SCRIPT, unterminated) == "syntax error"


def test_an_unterminated_string_beside_a_docstring_on_the_edited_line():
    base = 'def f():\n    """Doc."""\n    return 1\n\n\nx = """closed"""\n'
    after = base.replace('    return 1', '    """Doc.""" ; name = "abc')
    assert _full(after) is None
    assert _region(base, after) == "syntax error"


def test_a_triple_quote_opened_while_typing_still_gets_a_full_parse():
    base = 'x = 1\n\ny = 2\n\nw = 0\n\nz = 3  # """\n'
    opened = base.replace("y = 2", 'y = """')  # closed by the quote in the comment: the file parses
    assert _full(opened) is not None
    assert _region(base, opened) is None
    new = Document(opened, previous=Document(base))
    assert ast.dump(new.tree, include_attributes=True) == _full(opened)


def test_a_deleted_opening_quote_whose_partner_pairs_further_down_gets_a_full_parse():
    """No triple quote in the edited line, yet the old closing quote now opens a string
    that a quote in a comment two statements down closes: the file parses."""
    base = 'x = """doc\n"""\na = 1\nb = 2\nc = 3  # """\n'
    after = base.replace('x = """doc', "x = doc")
    assert _full(after) is not None
    assert _region(base, after) is None
    new = Document(after, previous=Document(base))
    assert ast.dump(new.tree, include_attributes=True) == _full(after)
