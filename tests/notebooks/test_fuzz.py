"""Property tests: any cells, any IPython syntax, never a crash and never a misplaced position."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubsave.analysis.notebook import Cell, CrossesCells, analyze_notebook, combine
from hubsave.fixes.notebook import fix_cells
from hubsave.fixes.recipes import FixNotApplicable
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
    combined = combine(cells)
    combined_lines = combined.text.split("\n")
    for segment in combined.segments:
        assert segment.lines == tuple(LINE_END.split(cells[segment.cell].source))
        mine = combined_lines[segment.first_line : segment.end_line]
        assert [len(line) for line in mine] == [len(line) for line in segment.lines]  # columns map 1:1
    assert combined.cell_sources(combined.text) == {}

    nb = analyze_notebook(cells, "nb.ipynb")
    for cell, finding in nb.findings:
        lines = LINE_END.split(cells[cell].source)
        span = finding.span
        assert cells[cell].kind == "code" and cell not in nb.combined.broken
        assert 0 <= span.start_line <= span.end_line < len(lines)
        assert span.start_col <= len(lines[span.start_line]) and span.end_col <= len(lines[span.end_line])
        if finding.fix is None:
            continue
        try:
            sources = fix_cells(nb.combined, finding.fix)
        except (CrossesCells, FixNotApplicable):
            continue
        for index, source in sources.items():  # magic lines come back as written
            for segment in nb.combined.segments:
                if segment.cell == index:
                    for line in segment.masked:
                        assert segment.lines[line][: segment.masked[line]] in source
