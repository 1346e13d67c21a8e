"""Property: fix-all never leaves a finding it cannot fix, and never changes an argument
it was not fixing (RULES.md "Fix safety"), safe fixes only or with unsafe ones, with
and without a known Hub login."""

from __future__ import annotations

import ast
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubsave.analysis import Settings, analyze
from hubsave.analysis.findings import Finding, Span
from hubsave.fixes.apply import fix_all
from tests.hardening.strategies import TEXTS

# Keyword arguments people write, right and wrong; one value per name in a call.
KEYWORDS = {
    "output_dir": ['"runs/qwen-sft"', '"out"', "out_dir"],
    "push_to_hub": ["True", "False"],
    "hub_model_id": ['"alice/qwen"', '"username/qwen"', '"qwen"', '"Alice/My Model"'],
    "hub_strategy": ['"every-save"', '"end"', '"checkpoint"', '"chekpoint"'],
    "save_strategy": ['"no"', '"steps"'],
    "save_steps": ["100"],
    "save_total_limit": ["2"],
    "max_seq_length": ["512"],
    "evaluation_strategy": ['"steps"'],
    "warmup_ratio": ["0.1", "1.0", "ratio"],
    "group_by_length": ["True", "False", "flag"],
    "num_train_epoch": ["3"],
    "max_prompt_length": ["None"],
    "push_to_hub_model_id": ['"m"', '"acme/m"'],
    "push_to_hub_organization": ['"acme"', '"my-org"', "None"],
    "push_to_hub_token": ["None", "TOKEN"],
    "hub_token": ['"hf_MadeUpForTestsAbCdEfGhIjKlMnOpQrStUv"'],
}
CLASSES = ["SFTConfig", "GRPOConfig", "TrainingArguments", "DPOConfig"]
TAILS = [
    "",
    "trainer = SFTTrainer(model='m', args=c0)\ntrainer.train()\n",
    "trainer = SFTTrainer(model='m', args=c0)\ntrainer.train()\ntrainer.push_to_hub()\n",
    'run_uv_job("train.py", secrets={"HF_TOKEN": "$HF_TOKEN"}, env={"HF_TOKEN": "x"})\n',
    'hf_jobs("uv", {"script": "train.py", "flavor": "A10G_Large", "timeout": "2 hours"})\n',
    'login("hf_MadeUpForTestsAbCdEfGhIjKlMnOpQrStUv")\n',
]
HEADER = "from huggingface_hub import login, run_uv_job\nfrom transformers import TrainingArguments\nfrom trl import DPOConfig, GRPOConfig, SFTConfig, SFTTrainer\n"


@st.composite
def config_script(draw) -> str:
    lines = [HEADER]
    for index in range(draw(st.integers(1, 2))):
        names = draw(st.lists(st.sampled_from(sorted(KEYWORDS)), max_size=6, unique=True))
        args = ", ".join(f"{name}={draw(st.sampled_from(KEYWORDS[name]))}" for name in names)
        lines.append(f"c{index} = {draw(st.sampled_from(CLASSES))}({args})\n")
    lines += draw(st.lists(st.sampled_from(TAILS), max_size=2, unique=True))
    return "".join(lines)


def _keywords(text: str) -> list[dict[str, tuple[str, Span]]]:
    """Per config call, in order: keyword -> (value source, span of the whole `k=v`)."""
    tree = ast.parse(text)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") in CLASSES]
    out = []
    for call in sorted(calls, key=lambda c: (c.lineno, c.col_offset)):
        out.append({
            k.arg: (ast.unparse(k.value), Span(k.lineno - 1, k.col_offset, k.end_lineno - 1, k.end_col_offset))
            for k in call.keywords if k.arg
        })
    return out


def _unfixable(findings: list[Finding], unsafe: bool) -> Counter[str]:
    return Counter(f.code for f in findings if f.automatic_fix(unsafe) is None)


def check(text: str, settings: Settings) -> None:
    before = analyze(text, "train.py", settings)
    if before.syntax_error:
        return
    fixed, _ = fix_all(text, "train.py", settings)
    after = analyze(fixed, "train.py", settings)
    assert after.syntax_error is None
    grown = _unfixable(after.findings, settings.unsafe_fixes) - _unfixable(before.findings, settings.unsafe_fixes)
    assert not grown, f"fix-all left findings it cannot fix: {grown}\n{fixed}"
    # Each pass of fix-all changes an argument only where a finding sits that it may fix
    # in the text the pass starts from (a later pass may fix what an earlier one made
    # fixable: HS107 once HS105 corrected hub_strategy, HS102 once HS104 wrote hub_model_id).
    current = text
    for _ in range(50):
        fixing = [f.span for f in analyze(current, "train.py", settings).findings if f.automatic_fix(settings.unsafe_fixes)]
        passed, _ = fix_all(current, "train.py", settings, rounds=1)
        old, new = _keywords(current), _keywords(passed)
        assert len(old) == len(new)
        for old_call, new_call in zip(old, new):
            for name, (value, span) in old_call.items():
                if new_call.get(name, (None,))[0] != value:
                    assert any(span.overlaps(f) for f in fixing), f"{name}={value} changed, no finding on it\n{passed}"
        if passed == current:
            break
        current = passed


SETTINGS = st.builds(
    Settings, namespace=st.sampled_from([None, "alice"]), unsafe_fixes=st.booleans()
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(config_script(), SETTINGS)
def test_fix_all_on_generated_configs(text: str, settings: Settings):
    check(text, settings)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEXTS), SETTINGS)
def test_fix_all_on_the_corpus(text: str, settings: Settings):
    check(text, settings)
