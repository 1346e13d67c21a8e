"""Each kind's fragments: the text the analysis reads, and the way back to the file."""

from __future__ import annotations

import pytest

from hubsave.analysis.findings import Span
from hubsave.kinds import Source, kind_of
from hubsave.kinds.fragment import CannotWriteBack
from hubsave.kinds.notebook import Cell


def test_kind_by_name_language_and_shebang():
    assert kind_of("a/run.sh") == kind_of("x.bash") == "shell"
    assert kind_of("Makefile") == kind_of("rules.mk") == "makefile"
    assert kind_of("README.md") == "markdown"
    assert kind_of("/r/.github/workflows/ci.yml") == "workflow"
    assert kind_of("/r/config.yml") is None  # YAML that is no workflow is not read
    assert kind_of("launch", head=b"#!/usr/bin/env bash\n") == "shell"
    assert kind_of("launch", head=b"#!/usr/bin/python3\n") is None
    assert kind_of(None, "shellscript") == "shell" and kind_of(None, "make") == "makefile"


def test_makefile_recipe_lines_after_tab_and_prefixes():
    text = "X = 1\nall: deps\n\t@-hf jobs uv run \\\n\t\tx.py --a\n\techo done\nnot: a recipe\n"
    [fragment] = Source.text("makefile", text).fragments()
    assert fragment.text == "hf jobs uv run \\\n\tx.py --a\necho done"
    assert fragment.place(Span(0, 0, 0, 2)) == (0, Span(2, 3, 2, 5))  # after `\t@-`
    assert fragment.place(Span(1, 1, 1, 5)) == (0, Span(3, 2, 3, 6))  # make drops one tab
    new = fragment.text.replace("uv run", "uv run --timeout 2h")
    assert fragment.part_texts(new) == {0: text.replace("uv run", "uv run --timeout 2h")}


def test_markdown_blocks_console_prompts_doctest_and_quotes():
    text = (
        "Intro\n"
        "```console\n$ hf jobs ps \\\n  -a\noutput line\n```\n"
        "> ```bash\n> hf jobs uv run x.py\n> ```\n"
        "```py\n>>> from trl import SFTConfig\n>>> SFTConfig(\n...     output_dir='o')\nSFTConfig(...)\n```\n"
    )
    python, console, quoted = Source.text("markdown", text).fragments()
    assert python.language == "python" and python.example
    assert python.text == "from trl import SFTConfig\nSFTConfig(\n    output_dir='o')\n"
    assert console.text == "hf jobs ps \\\n  -a\n"  # the output line is blank and not editable
    assert not console.origins[2].editable
    assert quoted.text == "hf jobs uv run x.py"
    assert quoted.place(Span(0, 0, 0, 2)) == (0, Span(7, 2, 7, 4))
    added = quoted.part_texts("hf jobs uv run x.py\necho next")  # a new line keeps the `> ` marker
    assert added[0].splitlines()[7:9] == ["> hf jobs uv run x.py", "> echo next"]
    with pytest.raises(CannotWriteBack):
        console.part_texts("hf jobs ps \\\n  -a\nrm -rf /")  # over the console's output


def test_markdown_shell_blocks_written_after_a_repl_prompt():
    """huggingface_hub's Jobs guide writes `>>> hf jobs ...` in bash blocks."""
    text = "```bash\n>>> hf jobs uv run --flavor a10g-small x.py\n>>>\n```\n"
    [shell] = Source.text("markdown", text).fragments()
    assert shell.text == "hf jobs uv run --flavor a10g-small x.py\n"
    assert shell.place(Span(0, 0, 0, 2)) == (0, Span(1, 4, 1, 6))


def test_workflow_run_steps_block_and_one_line():
    text = (
        "jobs:\n  a:\n    steps:\n"
        "      - run: hf jobs uv run x.py\n"
        "      - run: |\n          echo hi\n          hf jobs uv run \\\n            y.py\n"
        "      - run: 'hf jobs ps'\n"
        "      - name: not a run\n"
    )
    fragments = Source.text("workflow", text).fragments()
    texts = sorted(f.text for f in fragments)
    assert texts == ["echo hi\nhf jobs uv run \\\n  y.py", "hf jobs ps", "hf jobs uv run x.py"]
    one_line = next(f for f in fragments if f.text == "hf jobs uv run x.py")
    assert one_line.place(Span(0, 0, 0, 2)) == (0, Span(3, 13, 3, 15))
    block = next(f for f in fragments if f.text.startswith("echo"))
    assert block.place(Span(2, 2, 2, 6)) == (0, Span(7, 12, 7, 16))
    assert Source.text("workflow", "jobs: [\n").fragments() == []  # half-typed: nothing, no error


def test_notebook_shell_cells_and_bang_lines_are_command_lines():
    cells = [Cell("!hf jobs uv run \\\n  x.py\nimport os"), Cell("%%bash\nhf jobs ps"), Cell("# md", "markdown")]
    python, bang, bash = Source.cells(cells).fragments()
    assert python.language == "python" and python.text.startswith("0")
    assert (bang.text, bang.place(Span(0, 0, 0, 2))) == ("hf jobs uv run \\\n  x.py", (0, Span(0, 1, 0, 3)))
    assert (bash.text, bash.place(Span(1, 0, 1, 2))) == ("\nhf jobs ps", (1, Span(1, 0, 1, 2)))


def test_a_keystroke_in_one_block_of_a_guide_reuses_the_others_analyses():
    # The server hands each analysis the last one: fragments whose text did not change
    # are not analysed again, and the findings are those of a fresh analysis.
    from hubsave.analysis import Settings
    from hubsave.analysis.fragments import analyze_source

    guide = ("# Guide\n\n```python\nfrom trl import SFTConfig\n\nconfig = SFTConfig(output_dir=\"out\", max_seq_length=10)\n```\n\n"
             "```bash\nhf jobs uv run --flavor a10g-small https://raw.githubusercontent.com/huggingface/trl/main/"
             "trl/scripts/sft.py --model_name_or_path Qwen/Qwen2-0.5B --output_dir out --push_to_hub\n```\n")
    settings = Settings()

    def codes(analysis):
        return [(p.finding.span.start_line, p.finding.code) for p in analysis.findings]

    first = analyze_source(Source.text("markdown", guide), "/w/guide.md", settings)
    typed = guide.replace("a10g-small", "a10g-large --timeout 2h")
    again = analyze_source(Source.text("markdown", typed), "/w/guide.md", settings, last=first)
    assert codes(again) == codes(analyze_source(Source.text("markdown", typed), "/w/guide.md", settings))
    assert again.documents[0] is first.documents[0]  # the Python block was not parsed again
    assert ("HS304" in {c for _, c in codes(first)}) and ("HS304" not in {c for _, c in codes(again)})
    edited = typed.replace("max_seq_length", "max_length")
    third = analyze_source(Source.text("markdown", edited), "/w/guide.md", settings, last=again)
    assert third.documents[0] is not again.documents[0]
    assert "HS109" in {c for _, c in codes(again)} and "HS109" not in {c for _, c in codes(third)}
    assert codes(third) == codes(analyze_source(Source.text("markdown", edited), "/w/guide.md", settings))
    other = analyze_source(Source.text("markdown", edited), "/w/guide.md", Settings(ignore=frozenset({"HS304"})), last=third)
    assert other.documents[0] is not third.documents[0]  # other settings: nothing reused
