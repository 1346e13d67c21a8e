"""Property tests: any cells, any IPython syntax, never a crash and never a misplaced position."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubsave.analysis.fragments import analyze_source
from hubsave.fixes.fragments import fix_parts
from hubsave.fixes.registry import FixNotApplicable
from hubsave.kinds import Source
from hubsave.kinds.notebook import Cell
from tests.hardening.strategies import edited_script

LINE_END = re.compile(r"\r\n|\r|\n")
MAGICS = ["!pip install trl \\", "%pip install -q trl", "%%capture", "%%bash", "%time trainer.train()", "SFTConfig?",
          "files = !ls", "%%writefile x.py", "    !echo in a block", "%timeit -n 1 f()", "?", "!", "%", "%%"]


@st.composite
def notebooks(draw) -> list[Cell]:
    lines = LINE_END.split(draw(edited_script()))
    for _ in range(draw(st.integers(0, 4))):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(MAGICS)))
    cuts = sorted(draw(st.lists(st.integers(0, len(lines)), max_size=6)))
    bounds = [0, *cuts, len(lines)]
    kinds = st.sampled_from(["code", "code", "code", "markdown"])
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return [Cell(newline.join(lines[a:b]), draw(kinds)) for a, b in zip(bounds, bounds[1:])]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notebooks())
def test_positions_and_edits_stay_inside_their_cells(cells: list[Cell]):
    source = Source.cells(cells)
    for fragment in source.fragments():
        rows = fragment.text.split("\n")
        assert len(rows) == len(fragment.origins)
        for index, lines in fragment.parts.items():
            assert lines == tuple(LINE_END.split(cells[index].source))
        for row, origin in zip(rows, fragment.origins):  # columns map 1:1 after the origin's column
            if origin.editable:
                assert len(row) == len(fragment.parts[origin.part][origin.line]) - origin.column
        assert fragment.part_texts(fragment.text) == {}

    nb = analyze_source(source, "nb.ipynb")
    for placed in nb.findings:
        cell, finding, fragment = placed.part, placed.finding, nb.fragments[placed.fragment]
        lines = LINE_END.split(cells[cell].source)
        span = finding.span
        assert cells[cell].kind == "code" and cell not in fragment.broken_parts
        assert 0 <= span.start_line <= span.end_line < len(lines)
        assert span.start_col <= len(lines[span.start_line]) and span.end_col <= len(lines[span.end_line])
        if finding.fix is None:
            continue
        try:
            sources = fix_parts(nb, placed, placed.raw.fix)
        except FixNotApplicable:
            continue
        for index, new in sources.items():  # magic lines come back as written
            for origin in fragment.origins:
                if origin.part == index and origin.masked:
                    assert lines_of(cells, index)[origin.line][: origin.column + origin.masked] in new


def lines_of(cells: list[Cell], index: int) -> list[str]:
    return LINE_END.split(cells[index].source)
