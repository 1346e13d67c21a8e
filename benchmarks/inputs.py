"""Deterministic benchmark inputs: training scripts, a large module, a file tree, edit scripts.

Everything is generated from a seed, so two runs (or two machines) time the same bytes.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

GENERATOR_VERSION = "2"  # bump when the generated text changes, so cached trees are rebuilt

MODELS = ["Qwen/Qwen2.5-0.5B", "meta-llama/Llama-3.2-1B", "HuggingFaceTB/SmolLM2-360M", "google/gemma-3-1b-pt", "mistralai/Mistral-7B-v0.3"]
DATASETS = ["trl-lib/Capybara", "HuggingFaceH4/ultrachat_200k", "openai/gsm8k", "trl-lib/tldr", "allenai/tulu-3-sft-mixture"]
CONFIGS = ["SFTConfig", "DPOConfig", "GRPOConfig", "KTOConfig", "RewardConfig"]
TRAINERS = {"SFTConfig": "SFTTrainer", "DPOConfig": "DPOTrainer", "GRPOConfig": "GRPOTrainer", "KTOConfig": "KTOTrainer", "RewardConfig": "RewardTrainer"}
WORDS = ["batch", "token", "sample", "score", "record", "window", "shard", "chunk", "label", "prompt", "reply", "metric", "step", "epoch", "buffer", "cache", "index", "weight", "layer", "state"]


def _name(rng: random.Random, parts: int = 2) -> str:
    return "_".join(rng.choice(WORDS) for _ in range(parts))


# -- generic Python code (no watched names) ------------------------------------------------

def _function(rng: random.Random, name: str, indent: str = "") -> list[str]:
    args = sorted({_name(rng, 1) for _ in range(rng.randint(1, 4))})
    body = [f"{indent}def {name}({', '.join(args)}, *, limit={rng.randint(1, 99)}):",
            f'{indent}    """Combine {args[0]} into a {_name(rng, 1)} summary."""',
            f"{indent}    result = []"]
    for _ in range(rng.randint(2, 7)):
        kind = rng.randrange(5)
        a, b = rng.choice(args), _name(rng, 1)
        if kind == 0:
            body += [f"{indent}    for {b} in range(limit):",
                     f"{indent}        if {b} % {rng.randint(2, 9)} == 0:",
                     f"{indent}            result.append(({a}, {b}))"]
        elif kind == 1:
            body += [f"{indent}    {b}_map = {{k: v for k, v in enumerate(str({a}))}}",
                     f"{indent}    result.extend(sorted({b}_map.items())[:limit])"]
        elif kind == 2:
            body += [f"{indent}    try:",
                     f"{indent}        {b} = int({a}) * {rng.randint(2, 50)}",
                     f"{indent}    except (TypeError, ValueError):",
                     f"{indent}        {b} = {rng.random():.3f}",
                     f"{indent}    result.append({b})"]
        elif kind == 3:
            body += [f"{indent}    while len(result) < limit and {a}:",
                     f"{indent}        result.append(f\"{{len(result)}}-{b}\")",
                     f"{indent}        break"]
        else:
            body += [f"{indent}    {b} = [x ** 2 for x in range({rng.randint(3, 30)}) if x != limit]",
                     f"{indent}    result.append(sum({b}) + len(result))"]
    body += [f"{indent}    return result", ""]
    return body


def _class(rng: random.Random, name: str) -> list[str]:
    fields = sorted({_name(rng, 1) for _ in range(rng.randint(2, 5))})
    lines = [f"class {name}:", f'    """Holds {", ".join(fields)}."""', "",
             f"    def __init__(self, {', '.join(f + '=None' for f in fields)}):"]
    lines += [f"        self.{f} = {f}" for f in fields]
    lines.append("")
    for i in range(rng.randint(1, 4)):
        method = _function(rng, f"{_name(rng)}_{i}", indent="    ")
        method[0] = method[0].replace("(", "(self, ", 1)
        lines += method
    return lines


def generic_module(rng: random.Random, target_lines: int) -> str:
    lines = ['"""Utilities generated for the hubsave benchmark."""', "", "import math", "import os",
             "from collections import defaultdict", ""]
    counter = 0
    while len(lines) < target_lines:
        counter += 1
        if rng.random() < 0.3:
            lines += _class(rng, f"{_name(rng).title().replace('_', '')}{counter}")
        else:
            lines += _function(rng, f"{_name(rng)}_{counter}")
    return "\n".join(lines) + "\n"


# -- training scripts (the code hubsave is about) ------------------------------------------

def config_call(rng: random.Random, config: str) -> list[str]:
    """A trainer config call with many keyword arguments, some of them findings."""
    model = rng.choice(MODELS).split("/")[1].lower()
    args = [
        f'output_dir="{model}-sft"',
        f"num_train_epochs={rng.randint(1, 5)}",
        f"per_device_train_batch_size={rng.choice([1, 2, 4, 8])}",
        f"per_device_eval_batch_size={rng.choice([1, 2, 4, 8])}",
        f"gradient_accumulation_steps={rng.choice([1, 2, 4, 8, 16])}",
        f"learning_rate={rng.choice(['2e-5', '1e-4', '5e-6', '3e-4'])}",
        f'lr_scheduler_type="{rng.choice(["cosine", "linear", "constant"])}"',
        f"warmup_ratio={rng.choice(['0.03', '0.1', '0.05'])}",
        f"weight_decay={rng.choice(['0.0', '0.01', '0.1'])}",
        f"logging_steps={rng.choice([1, 5, 10, 25])}",
        'eval_strategy="steps"',
        f"eval_steps={rng.choice([50, 100, 200])}",
        'save_strategy="steps"',
        f"save_steps={rng.choice([100, 250, 500])}",
        "bf16=True",
        "gradient_checkpointing=True",
        f"max_seq_length={rng.choice([1024, 2048, 4096])}",
        'report_to="trackio"',
        f"seed={rng.randint(0, 9999)}",
        "push_to_hub=True",
        f'hub_model_id="username/{model}-{rng.choice(["sft", "chat", "instruct"])}"',
        'hub_strategy="every_save"',
    ]
    return [f"training_args = {config}("] + [f"    {a}," for a in args] + [")"]


def training_script(seed: int, target_lines: int = 300) -> str:
    rng = random.Random(seed)
    config = rng.choice(CONFIGS)
    trainer = TRAINERS[config]
    model, dataset = rng.choice(MODELS), rng.choice(DATASETS)
    head = [
        "# /// script",
        '# requires-python = ">=3.10"',
        '# dependencies = ["trl>=0.20", "peft", "trackio"]',
        "# ///",
        f'"""Fine-tune {model} on {dataset} (generated for the hubsave benchmark)."""',
        "",
        "import os",
        "import math",
        "from dataclasses import dataclass",
        "",
        "import torch",
        "from datasets import load_dataset",
        "from peft import LoraConfig",
        "from transformers import AutoModelForCausalLM, AutoTokenizer",
        f"from trl import {config}, {trainer}",
        "",
        f'MODEL_ID = "{model}"',
        f'DATASET_ID = "{dataset}"',
        "",
    ]
    setup = [
        "",
        "def main():",
        "    tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)",
        "    model = AutoModelForCausalLM.from_pretrained(MODEL_ID, torch_dtype=torch.bfloat16)",
        '    dataset = load_dataset(DATASET_ID, split="train")',
        "    dataset = dataset.map(format_example, remove_columns=dataset.column_names)",
        "    splits = dataset.train_test_split(test_size=0.05, seed=42)",
        "    peft_config = LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05, task_type=\"CAUSAL_LM\")",
        "",
    ]
    setup += ["    " + line for line in config_call(rng, config)]
    setup += [
        "",
        f"    trainer = {trainer}(",
        "        model=model,",
        "        args=training_args,",
        '        train_dataset=splits["train"],',
        '        eval_dataset=splits["test"],',
        "        processing_class=tokenizer,",
        "        peft_config=peft_config,",
        "    )",
        "    trainer.train()",
        "",
        "",
        "def submit():",
        '    """Run this script on Hugging Face Jobs."""',
        "    hf_jobs(\"uv\", {",
        '        "script": __file__,',
        f'        "flavor": "{rng.choice(["a10g-large", "a100-large", "l4x1", "t4-small"])}",',
        '        "env": {"HF_TOKEN": "$HF_TOKEN"},',
        "    })",
        "",
        "",
        'if __name__ == "__main__":',
        '    if os.environ.get("SUBMIT"):',
        "        submit()",
        "    else:",
        "        main()",
    ]
    helpers = [
        "",
        "def format_example(example):",
        '    messages = example.get("messages") or [',
        '        {"role": "user", "content": example.get("prompt", "")},',
        '        {"role": "assistant", "content": example.get("completion", "")},',
        "    ]",
        '    return {"messages": messages}',
        "",
    ]
    filler_budget = max(0, target_lines - len(head) - len(setup) - len(helpers))
    filler: list[str] = []
    counter = 0
    while len(filler) < filler_budget:
        counter += 1
        filler += [""] + _function(rng, f"{_name(rng)}_{counter}")
    filler = filler[:filler_budget]
    # Cut only at a blank line so the filler stays valid Python.
    while filler and filler[-1] != "":
        filler.pop()
    return "\n".join(head + helpers + filler + setup) + "\n"


def large_file(seed: int, target_lines: int = 5000) -> str:
    """A big module of generic code with one training config call about 60% down."""
    rng = random.Random(seed)
    before = generic_module(rng, int(target_lines * 0.6)).splitlines()
    script = training_script(seed + 1, 120).splitlines()
    after = generic_module(rng, target_lines - len(before) - len(script)).splitlines()
    # The training part's imports and PEP 723 block are valid mid-file; keep them as written.
    return "\n".join(before + [""] + script + [""] + after[6:]) + "\n"


# -- edits ------------------------------------------------------------------------------

@dataclass
class Edit:
    """One didChange: the incremental change and the whole text after it."""

    start: tuple[int, int]  # (line, UTF-16 character) in the text before the edit
    end: tuple[int, int]
    new_text: str
    text_after: str

    def incremental_change(self) -> dict:
        return {
            "range": {
                "start": {"line": self.start[0], "character": self.start[1]},
                "end": {"line": self.end[0], "character": self.end[1]},
            },
            "text": self.new_text,
        }

    def full_change(self) -> dict:
        return {"text": self.text_after}


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return line, len(text[line_start:offset].encode("utf-16-le")) // 2


class _Editor:
    def __init__(self, text: str) -> None:
        self.text = text
        self.edits: list[Edit] = []

    def replace(self, start: int, end: int, new_text: str) -> None:
        edit = Edit(_position(self.text, start), _position(self.text, end), new_text, "")
        self.text = self.text[:start] + new_text + self.text[end:]
        edit.text_after = self.text
        self.edits.append(edit)

    def type(self, offset: int, chars: str) -> int:
        for ch in chars:
            self.replace(offset, offset, ch)
            offset += 1
        return offset

    def backspace(self, offset: int, count: int) -> int:
        for _ in range(count):
            self.replace(offset - 1, offset, "")
            offset -= 1
        return offset


NEW_ARGUMENTS = ["save_total_limit=3", "neftune_noise_alpha=5", "max_length=2048", "dataloader_num_workers=4",
                 "hub_private_repo=True", "packing=True", "optim=\"adamw_torch_fused\"", "max_grad_norm=1.0"]
PASTED_ARGUMENTS = ["push_to_hub_model_id=\"my-model\"", "push_to_hub_organization=\"my-org\"", "save_total_limit=2", "max_steps=1000"]


def edit_script(text: str, seed: int, count: int) -> list[Edit]:
    """About `count` realistic edits inside (and around) the trainer config call.

    Typing a new keyword argument character by character and deleting it again,
    retyping a string value, flipping push_to_hub, pasting and removing whole
    argument lines, and typing a comment in unrelated code.
    """
    rng = random.Random(seed)
    ed = _Editor(text)
    # Functions above the config call: edits below them never shift their offsets.
    def_lines = [m.start() for m in re.finditer(r"\ndef ", text[: text.index("_args = ")])]
    while len(ed.edits) < count:
        call = ed.text.index("_args = ")
        close = ed.text.index("\n    )\n", call)  # the config call's closing line
        action = rng.randrange(5)
        if action == 0:  # type a new argument line, then delete it
            arg = rng.choice(NEW_ARGUMENTS) + ","
            pos = ed.type(close, "\n        ")
            pos = ed.type(pos, arg)
            ed.backspace(pos, len(arg) + 9)
        elif action == 1:  # retype the hub_model_id repo name
            start = ed.text.index('hub_model_id="', call) + len('hub_model_id="')
            end = ed.text.index('"', start)
            slash = ed.text.index("/", start, end) + 1
            pos = ed.backspace(end, end - slash)
            ed.type(pos, rng.choice(["llama-sft-v2", "smol-chat", "qwen-grpo-run3", "gemma-dpo"]))
        elif action == 2:  # flip push_to_hub (a word replaced at once, like a completion)
            start = ed.text.index("push_to_hub=", call) + len("push_to_hub=")
            end = ed.text.index(",", start)
            ed.replace(start, end, "False" if ed.text[start:end] == "True" else "True")
        elif action == 3:  # paste an argument line, then delete the line
            line = f"        {rng.choice(PASTED_ARGUMENTS)},\n"
            ed.replace(close + 1, close + 1, line)
            ed.replace(close + 1, close + 1 + len(line), "")
        else:  # type a comment above a function far from the config call, then delete it
            anchor = rng.choice(def_lines)
            comment = "# TODO: " + " ".join(rng.choice(WORDS) for _ in range(3))
            pos = ed.type(anchor, "\n" + comment)
            ed.backspace(pos, len(comment) + 1)
    return ed.edits[:count]


RUN_NAMES = ["sft-baseline", "lora-r16-run2", "qwen-chat-v3", "dpo-beta01", "smol-long-context"]


def string_typing_script(text: str, seed: int, count: int) -> list[Edit]:
    """Typing a `run_name="..."` argument into the config call character by character,
    then deleting it: from the opening quote to the closing one, each intermediate
    text has an unterminated (single-line) string, as while really typing."""
    rng = random.Random(seed)
    ed = _Editor(text)
    while len(ed.edits) < count:
        close = ed.text.index("\n    )\n", ed.text.index("_args = "))
        arg = f'run_name="{rng.choice(RUN_NAMES)}",'
        pos = ed.type(close, "\n        ")
        pos = ed.type(pos, arg)
        ed.backspace(pos, len(arg) + 9)
    return ed.edits[:count]


# -- trees for the CLI ------------------------------------------------------------------

def write_tree(root: Path, files: int, seed: int) -> Path:
    """`files` Python files: a tenth training scripts with findings, the rest ordinary modules.

    A few ordinary modules import transformers without training anything, as real
    repositories do, so a cheap "mentions a watched name" filter cannot skip them all.
    """
    stamp = root / ".generated"
    marker = f"{GENERATOR_VERSION}:{files}:{seed}"
    if stamp.exists() and stamp.read_text() == marker:
        return root
    if root.exists():
        for path in sorted(root.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    # A project root, as in a real repository: config discovery stops here for both tools.
    (root / "pyproject.toml").write_text('[project]\nname = "bench-tree"\nversion = "0"\n')
    for i in range(files):
        package = root / f"pkg_{i // 100:02d}"
        package.mkdir(parents=True, exist_ok=True)
        if i % 10 == 0:
            text = training_script(seed * 100_003 + i, rng.randint(80, 300))
            name = f"train_{i:04d}.py"
        else:
            text = generic_module(random.Random(seed * 100_003 + i), rng.randint(30, 300))
            if i % 20 == 1:
                text = "from transformers import AutoTokenizer\n" + text + "\nTOKENIZER = AutoTokenizer\n"
            name = f"module_{i:04d}.py"
        (package / name).write_text(text)
    stamp.write_text(marker)
    return root


# -- command-line documents (shell scripts, Markdown guides, workflows) --------------------

TRL_SFT = "https://raw.githubusercontent.com/huggingface/trl/main/trl/scripts/sft.py"
JOB = [
    "hf jobs uv run --flavor a100-large --timeout 4h \\",
    f'    "{TRL_SFT}" \\',
    '    --model_name_or_path "$MODEL" --dataset_name trl-lib/Capybara \\',
    "    --output_dir out --push_to_hub",
]


def shell_script(lines: int, seed: int) -> str:
    """A launch script: `hf jobs` command lines between loops, exports and other commands."""
    rng = random.Random(seed)
    out = ["#!/usr/bin/env bash", "set -euo pipefail", 'MODEL="Qwen/Qwen2-0.5B"']
    while len(out) < lines - len(JOB):
        pick = rng.randrange(4)
        if pick == 0:
            out += JOB
        elif pick == 1:
            out += [f"for i in $(seq 1 {rng.randrange(2, 9)}); do", '  echo "run $i"', "done"]
        elif pick == 2:
            out.append(f'export RUN_{len(out)}="value-{rng.randrange(1000)}"  # settings')
        else:
            out.append(f"python prepare.py --shard {rng.randrange(64)} --out data/{len(out)}.jsonl")
    return "\n".join(out + JOB) + "\n"


def markdown_guide(lines: int, seed: int) -> str:
    """A guide: prose, Python blocks and `hf jobs` shell blocks."""
    rng = random.Random(seed)
    out = ["# Training on Jobs", ""]
    while len(out) < lines - 8:
        pick = rng.randrange(3)
        if pick == 0:
            out += ["Some prose about the next step, with `code` and a [link](https://hf.co).", ""] * 3
        elif pick == 1:
            out += ["```python", "from trl import SFTConfig", "",
                    f'config = SFTConfig(output_dir="out-{len(out)}", learning_rate=2e-5)', "```", ""]
        else:
            out += ["```bash", *JOB, "```", ""]
    return "\n".join(out + ["```bash", *JOB, "```"]) + "\n"


def workflow_file(jobs: int, seed: int) -> str:
    """A GitHub Actions workflow: steps whose `run: |` blocks submit jobs, between others."""
    rng = random.Random(seed)
    out = ["name: train", "on: [workflow_dispatch]", "jobs:", "  train:", "    runs-on: ubuntu-latest", "    steps:",
           "      - uses: actions/checkout@v4"]
    for i in range(jobs):
        out += [f"      - name: prepare {i}", f"        run: python prepare.py --shard {rng.randrange(64)}",
                f"      - name: train {i}", "        env:", "          HF_TOKEN: ${{ secrets.HF_TOKEN }}",
                "        run: |", *(f"          {line}" for line in JOB)]
    return "\n".join(out) + "\n"


def typing_into_jobs(text: str, seed: int, count: int) -> list:
    """Type ` --flavor a10g-small` after a job's `--timeout 4h`, then delete it, at random jobs."""
    rng = random.Random(seed)
    editor = _Editor(text)
    anchors = [i for i in range(len(text)) if text.startswith("--timeout 4h", i)]
    while len(editor.edits) < count:
        at = rng.choice(anchors) + len("--timeout 4h")
        typed = " --flavor a10g-small"
        end = editor.type(at, typed)
        editor.backspace(end, len(typed))
    return editor.edits[:count]
