"""The pieces behind HS305, HS309, HS401/HS402 and the PEP 723 recipe, one by one."""

from __future__ import annotations

import pytest

from hubsave.analysis import analyze
from hubsave.analysis.findings import Span, step
from hubsave.analysis.rules.job_options import JOB_HARDWARE, MCP_FLAVORS, closest_flavor, closest_timeout, suggest_key
from hubsave.analysis.rules.tokens import is_placeholder, tokens_in
from hubsave.fixes.apply import RECIPES, FixNotApplicable

FAKE = "hf_MadeUpForTestsAbCdEfGhIjKlMnOpQrStUv"


@pytest.mark.parametrize(
    "value, valid, expected",
    [
        ("A10G-Large", MCP_FLAVORS, "a10g-large"),
        ("a100", MCP_FLAVORS, "a100-large"),
        ("t4", MCP_FLAVORS, "t4-small"),
        ("l4", MCP_FLAVORS, "l4x1"),
        ("cpu", MCP_FLAVORS, "cpu-basic"),
        ("a10g_largex2", MCP_FLAVORS, "a10g-largex2"),
        ("h100", JOB_HARDWARE, "h200"),
        ("h100", MCP_FLAVORS, None),  # nothing close in the tool's list
        ("quantum", JOB_HARDWARE, None),
    ],
)
def test_closest_flavor(value, valid, expected):
    assert closest_flavor(value, valid) == expected


@pytest.mark.parametrize(
    "value, expected",
    [("2 hours", "2h"), ("90min", "90m"), ("1h30m", "90m"), ("1 hour 30 minutes", "90m"), ("2H", "2h"),
     ("45 secs", "45s"), ("3 days", "3d"), ("soon", None), ("1:30:00", None), ("2 fortnights", None)],
)  # fmt: skip
def test_closest_timeout(value, expected):
    assert closest_timeout(value) == expected


def test_suggested_keys():
    mcp_uv = frozenset({"script", "with_deps", "secrets", "env", "flavor", "timeout"})
    python_uv = frozenset({"script", "dependencies", "secrets", "env", "flavor", "timeout"})
    assert suggest_key("dependencies", mcp_uv) == "with_deps"
    assert suggest_key("with_deps", python_uv) == "dependencies"
    assert suggest_key("secret", python_uv) == "secrets"
    assert suggest_key("timeot", mcp_uv) == "timeout"
    assert suggest_key("gpu", mcp_uv) is None


@pytest.mark.parametrize(
    "value", ["hf_...", "hf_xxx", "hf_abc123...", "hf_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "<token>", "<your-hf-token>",
              "YOUR_TOKEN", "YOUR_HF_TOKEN", "your_token_here", "hf_YourTokenGoesHereAbCdEfGhIjKlMnOpQr", "..."],
)  # fmt: skip
def test_placeholders(value):
    assert is_placeholder(value)


@pytest.mark.parametrize("value", [FAKE, "$HF_TOKEN", "${HF_TOKEN}", "", "tokenizer", "gpt2", "hf_internal_testing"])
def test_not_placeholders(value):
    assert not is_placeholder(value)


def test_tokens_in_text():
    assert tokens_in(f"Bearer {FAKE}") == [FAKE]
    assert tokens_in(f"my_{FAKE}") == []  # part of a longer name
    assert tokens_in(FAKE + "_suffix") == [FAKE]
    assert tokens_in("hf_short") == []


def test_messages_never_contain_the_token():
    text = (
        "from huggingface_hub import HfApi, login\n"
        f'login("{FAKE}")\n'
        f'api = HfApi(token="{FAKE}")\n'
        f'headers = {{"Authorization": "Bearer {FAKE}"}}\n'
        'login(token="hf_abc123...")\n'
    )
    findings = analyze(text, "t.py").findings
    assert {f.code for f in findings} == {"HS401", "HS402"}
    for finding in findings:
        assert FAKE not in finding.message and "abc123" not in finding.message
        for related in finding.related:
            assert FAKE not in related.message


def _add(text: str, name: str = "wandb") -> str:
    lines = text.splitlines()
    end = max(i for i, line in enumerate(lines) if line.rstrip() == "# ///")
    return RECIPES["add_inline_dependency"](text, step("add_inline_dependency", block=Span(0, 0, end, 5), name=name))


@pytest.mark.parametrize(
    "block, expected",
    [
        ('# dependencies = ["trl"]\n', '# dependencies = ["trl", "wandb"]\n'),
        ("# dependencies = ['trl[peft]>=0.12']  # pinned\n", "# dependencies = ['trl[peft]>=0.12', 'wandb']  # pinned\n"),
        ("# dependencies = []\n", '# dependencies = ["wandb"]\n'),
        ('# dependencies = [\n#   "trl",\n#   "peft",\n# ]\n', '# dependencies = [\n#   "trl",\n#   "peft",\n#   "wandb",\n# ]\n'),
        ('# dependencies = [\n#     "trl",\n#     "peft"\n# ]\n', '# dependencies = [\n#     "trl",\n#     "peft",\n#     "wandb"\n# ]\n'),
        ("# dependencies = [\n# ]\n", '# dependencies = [\n#     "wandb",\n# ]\n'),
    ],
)  # fmt: skip
def test_add_inline_dependency_keeps_the_layout(block, expected):
    text = f'# /// script\n# requires-python = ">=3.10"\n{block}# ///\nimport wandb\n'
    assert _add(text) == f'# /// script\n# requires-python = ">=3.10"\n{expected}# ///\nimport wandb\n'


def test_add_inline_dependency_keeps_crlf():
    text = '# /// script\r\n# dependencies = [\r\n#     "trl",\r\n# ]\r\n# ///\r\nimport wandb\r\n'
    assert _add(text) == '# /// script\r\n# dependencies = [\r\n#     "trl",\r\n#     "wandb",\r\n# ]\r\n# ///\r\nimport wandb\r\n'


def test_add_inline_dependency_refuses_a_block_without_a_list():
    with pytest.raises(FixNotApplicable):
        _add('# /// script\n# requires-python = ">=3.10"\n# ///\nimport wandb\n')


def test_hs307_doc_names_the_three_ways_out():
    from hubsave.analysis.rules import RULES

    fix = RULES["HS307"].doc.split("## Fix", 1)[1]
    assert "inline" in fix and "URL" in fix and "run_uv_job" in fix
