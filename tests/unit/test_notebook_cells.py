"""Notebook cells as one Python fragment: IPython masking, positions back into cells, edits back into cells."""

from __future__ import annotations

import ast

import pytest

from hubsave.analysis import Settings
from hubsave.analysis.findings import SAFE, FixRequest, Span
from hubsave.analysis.fragments import analyze_source
from hubsave.fixes.apply import apply_fix
from hubsave.fixes.fragments import fix_all_source, fix_parts
from hubsave.kinds import Source
from hubsave.kinds.fragment import CannotWriteBack
from hubsave.kinds.ipython import mask_ipython
from hubsave.kinds.notebook import Cell

IMPORT = "from trl import SFTConfig"
CONFIG = 'config = SFTConfig(output_dir="out")'
# With the Hub login known, HS101's fix is safe: push_to_hub=True plus hub_model_id.
LOGIN = Settings(namespace="alice")


def combine(cells):
    """The notebook's Python fragment."""
    return Source.cells(cells).fragments()[0]


def findings(nb):
    return [(p.part, p.finding) for p in nb.findings]


def masked(source: str) -> list[str]:
    result = mask_ipython(source.split("\n"))
    assert result is not None
    return result[0]


@pytest.mark.parametrize(
    "line",
    [
        "!pip install trl",
        "%pip install -q trl",
        "%matplotlib inline",
        "files = !ls -la",
        "out = %timeit -o f()",
        "SFTConfig?",
        "SFTConfig??",
        "?SFTConfig",
        "trl.SFTConfig.__init__?",
        "/print 1 2",
        "    !echo indented",
    ],
)
def test_ipython_lines_become_same_length_python(line: str):
    [out] = masked(line)
    assert len(out) == len(line)
    ast.parse(out.strip())  # a placeholder statement, valid wherever the magic was
    if line.startswith("files"):
        assert out.startswith("files = 0")


def test_timed_statement_stays_analysable():
    [out] = masked("%time trainer.train()")
    assert out == "0;    trainer.train()"
    # %timeit with options or a compound statement: nothing to keep
    assert masked("%timeit -n 1 f()")[0].strip() == "0"
    assert masked("%time for x in y: f(x)")[0].strip() == "0"


def test_backslash_continued_shell_command_is_one_placeholder():
    lines = masked("!pip install trl \\\n    datasets \\\n    peft\nx = 1")
    assert [len(line) for line in lines] == [18, 14, 8, 5]
    assert ast.parse("\n".join(lines))
    assert lines[3] == "x = 1"


def test_python_inside_strings_and_brackets_is_not_a_magic():
    source = 'doc = """\n!not a shell command\n%not a magic\n"""\ncall(\n    ?\n)'
    lines = masked(source)
    assert lines[1] == "!not a shell command" and lines[2] == "%not a magic"
    assert lines[5] == "    ?"  # inside brackets: left alone (and a syntax error, as in IPython)


def test_cell_magics_python_kept_others_skipped():
    assert masked("%%capture out\nx = 1") == ["0            ", "x = 1"]
    assert masked("%%time\nx = 1")[1] == "x = 1"
    assert mask_ipython(["%%bash", "echo $HF_TOKEN"]) is None
    assert mask_ipython(["%%writefile train.py", CONFIG]) is None


def test_positions_map_to_the_right_cell_across_markdown_magic_and_empty_cells():
    cells = [
        Cell("# Title", "markdown"),
        Cell(IMPORT),
        Cell(""),
        Cell("%%capture\n!pip install trl"),
        Cell("%%bash\necho hi"),
        Cell("x = 1\n" + CONFIG),
    ]
    combined = combine(cells)
    assert sorted({o.part for o in combined.origins}) == [1, 2, 3, 5]
    nb = analyze_source(Source.cells(cells), "nb.ipynb")
    assert [(cell, f.code) for cell, f in findings(nb)] == [(5, "HS101")]
    cell, finding = findings(nb)[0]
    assert finding.span == Span(1, 9, 1, 18)  # SFTConfig on the cell's second line
    assert cells[cell].source.split("\n")[1][9:18] == "SFTConfig"


def test_crlf_cells_keep_columns_and_line_ends():
    cells = [Cell(IMPORT + "\r\n"), Cell("!pip install trl\r\n" + CONFIG + "\r\n")]
    nb = analyze_source(Source.cells(cells), settings=LOGIN)
    [(cell, finding)] = findings(nb)
    assert (cell, finding.span) == (1, Span(1, 9, 1, 18))
    sources = fix_parts(nb, nb.findings[0], finding.fix)
    assert list(sources) == [1]
    assert sources[1] == '!pip install trl\r\nconfig = SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/out")\r\n'


def test_a_fix_touching_two_cells_writes_each_cell():
    # The import a fix adds goes to the cell that has the imports, the keyword to the config's cell.
    cells = [Cell("import os\nfrom trl import SFTConfig"), Cell("%time x = 1"), Cell(CONFIG)]
    nb = analyze_source(Source.cells(cells), settings=LOGIN)
    assert [f.code for _, f in findings(nb)] == ["HS101"]
    fragment = nb.fragments[0]
    new_text = apply_fix(fragment.text, nb.findings[0].raw.fix)
    new_text = new_text.replace("import os\n", "import os\nimport sys\n")  # a second hunk, in cell 0
    sources = fragment.part_texts(new_text)
    assert sources == {
        0: "import os\nimport sys\nfrom trl import SFTConfig",
        2: 'config = SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/out")',
    }


def test_edits_that_cross_cells_or_rewrite_magics_are_refused():
    cells = [Cell("a = 1"), Cell("!pip install trl"), Cell("b = 2")]
    combined = combine(cells)
    with pytest.raises(CannotWriteBack):
        combined.part_texts("a = 10\nb = 20")  # one hunk over three cells
    with pytest.raises(CannotWriteBack):
        combined.part_texts("a = 1\nprint(1)\nb = 2")  # the magic line itself
    assert combined.part_texts("a = 1\n0               \nb = 3") == {2: "b = 3"}


def test_timed_line_fix_restores_the_magic():
    cells = [Cell("from trl import SFTConfig"), Cell('%time config = SFTConfig(output_dir="out")')]
    nb = analyze_source(Source.cells(cells), settings=LOGIN)
    [(cell, finding)] = findings(nb)
    assert cell == 1 and finding.span == Span(0, 15, 0, 24)
    sources = fix_parts(nb, nb.findings[0], finding.fix)
    assert sources == {1: '%time config = SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/out")'}


def test_a_cell_that_does_not_parse_hides_nothing_else():
    cells = [Cell(IMPORT), Cell("def broken(:\n    pass"), Cell(CONFIG)]
    nb = analyze_source(Source.cells(cells))
    assert nb.syntax_error == "cell 2 line 1: invalid syntax, the other cells were checked"
    assert nb.fragments[0].broken == {"cell 2": "line 1: invalid syntax"}
    assert [(cell, f.code) for cell, f in findings(nb)] == [(2, "HS101")]


def test_an_open_bracket_does_not_swallow_the_next_cell():
    cells = [Cell(IMPORT), Cell("x = [\n"), Cell(CONFIG)]
    nb = analyze_source(Source.cells(cells))
    assert "cell 2" in nb.fragments[0].broken
    assert [(cell, f.code) for cell, f in findings(nb)] == [(2, "HS101")]


def test_fix_all_writes_only_the_cells_it_changes():
    cells = [Cell(IMPORT), Cell("!pip install trl"), Cell(CONFIG + "\nprint(config)")]
    source = Source.cells(cells)
    fixed_source, fixed = fix_all_source(source, settings=LOGIN)
    assert [f.code for f in fixed] == ["HS101"]
    changed = {i: t for i, t in fixed_source.parts.items() if t != source.parts[i]}
    assert changed == {2: 'config = SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/out")\nprint(config)'}
    again = analyze_source(fixed_source, settings=LOGIN)
    assert [f for _, f in findings(again) if f.fix] == []


def test_a_fix_whose_edit_crosses_cells_is_refused():
    combined = combine([Cell("a = 1"), Cell("b = 2")])
    crossing = FixRequest.make("join", SAFE, "replace", span=Span(0, 4, 1, 5), text="1; b = 3")
    with pytest.raises(CannotWriteBack):
        combined.part_texts(apply_fix(combined.text, crossing))


def test_a_finding_spanning_cells_is_clipped_to_its_first_cell():
    combined = combine([Cell("a = (\n  1"), Cell("b = 2\nc = 3")])
    assert combined.place(Span(1, 2, 3, 1)) == (0, Span(1, 2, 1, 3))
    assert combined.place(Span(2, 0, 3, 5)) == (1, Span(0, 0, 1, 5))
