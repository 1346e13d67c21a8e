"""Fix-all on 43-line files with 18 fixes: what the editor's `source.fixAll.hubsave`
(on codeAction/resolve) and `hubsave check --fix` spend per file.

    python benchmarks/fix_all.py [--runs 9]

Three files: 18 text-replace renames (HS109 evaluation_strategy), 18 libcst keyword
insertions (HS108 save_total_limit, unsafe fixes on), and the HS109 rule fixture.
Standalone: not part of run.py's suites; timings depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from pathlib import Path

from hubsave.analysis import Settings
from hubsave.fixes.apply import fix_all

ROOT = Path(__file__).resolve().parent.parent


def generated(argument: str) -> str:
    lines = ["from transformers import TrainingArguments", ""]
    for i in range(18):
        lines.append(f'a{i} = TrainingArguments(output_dir="o{i}", {argument}, push_to_hub=True, hub_model_id="alice/o{i}")')
        if i % 2 == 0:
            lines.append("")
    lines += ["# pad"] * (43 - len(lines))
    return "\n".join(lines) + "\n"


CASES = {
    "18 renames (safe)": (generated('evaluation_strategy="steps"'), False),
    "18 keyword insertions (unsafe on)": (generated('save_strategy="steps"'), True),
    "tests/fixtures/rules/HS109.py (unsafe on)": ((ROOT / "tests/fixtures/rules/HS109.py").read_text(), True),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    for name, (text, unsafe) in CASES.items():
        settings = replace(Settings(), unsafe_fixes=unsafe)
        _, fixed = fix_all(text, "bench.py", settings)  # warm: imports, schema, caches
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            fix_all(text, "bench.py", settings)
            times.append(time.perf_counter() - started)
        print(f"{name}: {len(fixed)} fixes, median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
