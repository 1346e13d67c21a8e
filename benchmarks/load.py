"""Load: 50 open training scripts typed into at a thousand keystrokes a second, timed.

    python benchmarks/load.py [--seconds 3] [--rate 1000] [--documents 50] [--strict]

The behaviour under this load (every change answered, nothing lost, the last
publication matches the last text) is a test: tests/hardening/test_load.py. How
fast the server keeps up depends on the machine, so it is judged here:

- caught up: the newest version of every document is published within 10 s of the
  burst's end;
- coalesced: fewer publications than a quarter of the changes (stale versions are
  skipped, not queued).

Runs with any Python that has hubsave installed (the project's .venv will do); prints
one JSON line of figures and the budgets; `--strict` exits 1 when a budget fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import inputs
from lspclient import LspClient
from servers import HUBSAVE_OPTIONS

CAUGHT_UP_BUDGET_S = 10.0
PUBLICATIONS_PER_CHANGE_BUDGET = 0.25
TYPED = 'config = SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/sft")\n'


async def measure(seconds: float, rate: int, documents: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="hubsave-load-"))
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    client = LspClient([sys.executable, "-m", "hubsave", "lsp"], env=env, settings={"hubsave": HUBSAVE_OPTIONS})
    await client.start()
    try:
        await client.initialize(folder, HUBSAVE_OPTIONS)
        texts, versions, waiting = {}, {}, []
        for i in range(documents):
            path = folder / f"load_{i:02d}.py"
            texts[path.as_uri()] = inputs.training_script(100 + i, 120)
            versions[path.as_uri()] = 1
            path.write_text(texts[path.as_uri()], encoding="utf-8")
            waiting.append(client.expect_publication(path.as_uri(), 1))  # before sending: a fast answer is not missed
            await client.did_open(path.as_uri(), texts[path.as_uri()])
        await asyncio.gather(*waiting)
        opened = sum(len(p) for p in client.publications.values())

        rng, sent, start = random.Random(50), 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds:
            for _ in range(int(elapsed * rate) - sent):
                uri = rng.choice(list(texts))
                char = TYPED[sent % len(TYPED)]
                end = {"line": texts[uri].count("\n"), "character": len(texts[uri].rsplit("\n", 1)[-1].encode("utf-16-le")) // 2}
                texts[uri] += char
                versions[uri] += 1
                await client.did_change(uri, versions[uri], [{"range": {"start": end, "end": end}, "text": char}])
                sent += 1
            await asyncio.sleep(0.005)
        burst_end = time.perf_counter()
        # Each document's newest version may have been published already.
        done = {uri for uri, found in client.publications.items() if any(p.version == versions[uri] for p in found)}
        await asyncio.gather(*(client.expect_publication(uri, v) for uri, v in versions.items() if uri not in done))
        caught_up = time.perf_counter() - burst_end
        published = sum(len(p) for p in client.publications.values()) - opened
    finally:
        await client.stop()
    return {"documents": documents, "changes": sent, "seconds": seconds, "publications": published,
            "publications_per_change": round(published / max(sent, 1), 3), "caught_up_s": round(caught_up, 2)}


def budgets(figures: dict) -> list[tuple[str, bool]]:
    return [
        (f"caught up within {CAUGHT_UP_BUDGET_S:g} s of the burst's end", figures["caught_up_s"] < CAUGHT_UP_BUDGET_S),
        (f"publications < {PUBLICATIONS_PER_CHANGE_BUDGET:g} x changes (stale versions skipped)",
         figures["publications_per_change"] < PUBLICATIONS_PER_CHANGE_BUDGET),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a budget fails")
    args = parser.parse_args()
    figures = asyncio.run(measure(args.seconds, args.rate, args.documents))
    print(json.dumps(figures))
    rows = budgets(figures)
    for name, ok in rows:
        print(f"  {'ok' if ok else 'FAIL':>4}  {name}")
    return 1 if args.strict and not all(ok for _, ok in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
