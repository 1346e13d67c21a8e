"""What the analysis remembers on a statement (`nodes.remembered`: its scope's nodes, its
assignments) is kept while an incremental parse reuses the statement, across many
versions. Statements added, removed or edited elsewhere change what a reused one
means (an import, a module-level string, a local class shadowing a config): a chain of
versions analysed with reuse must give exactly the findings of each version analysed
fresh."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubsave.analysis import analyze
from tests.hardening.strategies import SNIPPETS, TEXTS

BASE = '''from trl import SFTConfig, SFTTrainer
from huggingface_hub import login, run_uv_job


def build(model):
    config = SFTConfig(output_dir="out", push_to_hub=True, hub_model_id=REPO, save_strategy="steps")
    trainer = SFTTrainer(model=model, args=config)
    trainer.train()
    return trainer


def submit():
    run_uv_job(SCRIPT, flavor="a10g-small", secrets={"HF_TOKEN": TOKEN})
    login(token=TOKEN)


config = SFTConfig("out", push_to_hub=True)
'''

# Top-level statements whose presence changes the meaning of the others.
STATEMENTS = [
    'REPO = "alice/model"\n',
    'REPO = "username/my model"\n',
    'REPO = f"{user}/model"\n',
    'SCRIPT = "train.py"\n',
    'SCRIPT = """print(1)\nprint(2)\n"""\n',
    'TOKEN = "hf_xxx"\n',
    'TOKEN = "<your token>"\n',
    "import trl as SFTConfig\n",
    "from trl import *\n",
    "class SFTConfig:\n    pass\n",
    "class MyConfig(SFTConfig):\n    pass\n",
    "def login(token):\n    return token\n",
    "def REPO():\n    return 1\n",
    'options = {"push_to_hub": False}\n',
    "config.push_to_hub = False\n",
    "config = replace(config, hub_model_id=REPO)\n",
    "trainer = SFTTrainer(model, args=config)\ntrainer.train()\n",
    'hf_jobs("uv", {"script": SCRIPT, "secrets": {"HF_TOKEN": TOKEN}})\n',
    "global REPO\n",
]


def _statement_starts(text: str) -> list[int]:
    """Offsets of lines that start at column 0 (top-level statement boundaries, mostly)."""
    starts = [0]
    at = text.find("\n")
    while at != -1:
        if at + 1 < len(text) and not text[at + 1].isspace():
            starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


@st.composite
def _edit(draw, text: str) -> str:
    starts = _statement_starts(text)
    kind = draw(st.sampled_from(["add", "add", "remove", "type", "type"]))
    if kind == "add":
        at = draw(st.sampled_from([*starts, len(text)]))
        return text[:at] + draw(st.sampled_from(STATEMENTS)) + text[at:]
    if kind == "remove" and len(starts) > 1:
        i = draw(st.integers(0, len(starts) - 2))
        return text[: starts[i]] + text[starts[i + 1] :]
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(st.sampled_from(SNIPPETS[:40])) + text[at:]


@settings(max_examples=int(os.environ.get("HUBSAVE_FUZZ_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(st.just(BASE), st.sampled_from(TEXTS)), st.data())
def test_a_chain_of_versions_with_reuse_gives_the_fresh_findings(start, data):
    text, previous = start, None
    for _ in range(8):
        result = analyze(text, "train.py", previous=previous)
        fresh = analyze(text, "train.py")
        assert (result.syntax_error is None) == (fresh.syntax_error is None)  # the wording may differ
        assert result.findings == fresh.findings
        if result.document is not None and result.document.has_tree:
            previous = result.document  # as the server keeps its last good parse
        text = data.draw(_edit(text))


def test_a_reused_function_reads_the_module_string_added_after_it():
    """The function's statement is reused (and its remembered nodes with it) while a
    module-level binding it reads appears, changes and disappears."""
    versions = [
        BASE,
        BASE + 'REPO = "username/model"\n',
        BASE + 'REPO = "alice/model"\n',
        BASE + 'REPO = "alice/model"\nREPO = "username/model"\n',
        BASE,
    ]
    previous = None
    seen = []
    for text in versions:
        result = analyze(text, "train.py", previous=previous)
        assert result.findings == analyze(text, "train.py").findings
        seen.append(sorted({f.code for f in result.findings}))
        previous = result.document
    assert "HS204" in seen[1] and "HS204" not in seen[2]  # the placeholder namespace comes and goes
    assert seen[0] == seen[4]


def test_legacy_jobs_argv_is_found_in_reused_statements_whatever_its_source_spelling():
    """HS314 keeps the argv lists it found on each statement: a reused statement's list
    is still reported (at its moved line), and the words are the literals' values
    (`"huggingface" "-cli"` too), not their text."""
    launcher = (
        "import subprocess\n\n\ndef launch():\n"
        '    subprocess.run(["huggingface" "-cli", "jobs", "uv", "run", "train.py"])\n'
    )
    previous = None
    for text in (launcher, "# huggingface-cli launcher\n\n" + launcher, "x = 1\n" + launcher):
        result = analyze(text, "launch.py", previous=previous)
        assert result.findings == analyze(text, "launch.py").findings
        line = text.splitlines().index('    subprocess.run(["huggingface" "-cli", "jobs", "uv", "run", "train.py"])')
        if "huggingface-cli" in text:
            assert [(f.code, f.span.start_line) for f in result.findings] == [("HS314", line)]
        else:
            assert result.findings == []  # the rule's trigger is the text "huggingface-cli"
        previous = result.document


def test_a_dropped_tree_is_freed_at_once():
    """What is remembered on a statement never holds the statement itself: a tree the
    server drops (a document not being edited) is freed by reference counting, not
    left for the garbage collector (memory with many documents open)."""
    import gc
    import weakref

    text = BASE + 'SCRIPT = "train.py"\nTOKEN = "hf_xxx"\nlogin(TOKEN)\nos.environ["HF_TOKEN"] = "hf_xxx"\n'
    gc.collect()
    gc.disable()
    try:
        first = analyze(text, "train.py")
        second = analyze(text.replace("out", "out2"), "train.py", previous=first.document)
        assert second.findings == analyze(text.replace("out", "out2"), "train.py").findings
        statements = [weakref.ref(stmt) for stmt in second.document.tree.body]
        del first, second
        assert [ref() for ref in statements] == [None] * len(statements)
    finally:
        gc.enable()
