"""Keystroke latency of command-line documents, side by side with Python.

    python benchmarks/kinds_latency.py [--edits 60]

A 300-line shell script and a 2,000-line Markdown guide (prose, Python blocks and
`hf jobs` shell blocks), and the Python training scripts of the same sizes: each
opened in `hubsave lsp`, then typed into (an option added to a job's command line
character by character and deleted again; for Python, inputs.edit_script's edits),
didChange -> publishDiagnostics timed per edit. Prints one table and writes
benchmarks/results/kinds_latency.json. Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
from pathlib import Path

from inputs import _Editor, edit_script, training_script
from latency import measure_edits
from servers import server_env, server_table

HERE = Path(__file__).resolve().parent
TRL_SFT = "https://raw.githubusercontent.com/huggingface/trl/main/trl/scripts/sft.py"
JOB = [
    "hf jobs uv run --flavor a100-large --timeout 4h \\",
    f'    "{TRL_SFT}" \\',
    '    --model_name_or_path "$MODEL" --dataset_name trl-lib/Capybara \\',
    "    --output_dir out --push_to_hub",
]


def shell_script(lines: int, seed: int) -> str:
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


async def main_async(count: int) -> dict:
    server = server_table(Path(sys.prefix))["hubsave"]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        workspace, logs = Path(tmp) / "ws", Path(tmp) / "logs"
        workspace.mkdir()
        logs.mkdir()
        env = server_env(Path(tmp) / "hf-home")
        documents = {
            "shell 300 lines": ("launch.sh", shell_script(300, 1)),
            "markdown 2000 lines": ("guide.md", markdown_guide(2000, 2)),
        }
        for label, (name, text) in documents.items():
            results[label] = await measure_edits(server, workspace, name, text, typing_into_jobs(text, 3, count),
                                                 "incremental", env, logs)
        for lines in (300, 2000):
            text = training_script(4, lines)
            results[f"python {lines} lines"] = await measure_edits(
                server, workspace, f"train_{lines}.py", text, edit_script(text, 5, count), "incremental", env, logs)
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=60)
    args = parser.parse_args()
    results = asyncio.run(main_async(args.edits))
    print(f"{'document':<22} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'edits':>6} {'findings':>9}")
    for label, r in results.items():
        if "median" not in r:
            print(f"{label:<22} {r}")
            continue
        print(f"{label:<22} {r['median']:>10.1f} {r['p95']:>8.1f} {r['max']:>8.1f} {r['edits']:>6} "
              f"{r['diagnostics_min']:>4}-{r['diagnostics_max']:<4}")
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "kinds_latency.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
