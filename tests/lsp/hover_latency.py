"""Cached hover latency over repo ids: ``python -m tests.lsp.hover_latency [--hovers N]``.

Starts the stand-in Hub and a server process, hovers every repo id once (uncached),
then N times from the cache, and prints p50/p95/max in milliseconds as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile

from tests.hubstub.scenario import ALICE_WRITE, default_scenario
from tests.hubstub.server import StubHub
from tests.lsp.harness import diagnostics, open_document
from tests.lsp.hub_harness import URI, hover_at, hub_server, position_of

IDS = ["alice/qwen-sft", "bob/llama-dpo", "acme/shared-model", "meta-llama/Llama-3.1-8B", "Qwen/Qwen2.5-0.5B"]
SCRIPT = "from transformers import AutoModelForCausalLM\nfrom trl import SFTConfig\n" + "".join(
    f'm{i} = AutoModelForCausalLM.from_pretrained("{repo}")\n' for i, repo in enumerate(IDS[3:])
) + "".join(f'c{i} = SFTConfig(output_dir="o", push_to_hub=True, hub_model_id="{repo}")\n'
            for i, repo in enumerate(IDS[:3]))


async def cached_hover_times(hub: StubHub, hovers: int) -> tuple[list[float], int]:
    """Seconds per cached hover (after one uncached hover per id), and the Hub requests they made."""
    async with hub_server(hub, ALICE_WRITE) as client:
        open_document(client, URI, SCRIPT)
        await diagnostics(client, URI, 1)
        where = [position_of(SCRIPT, repo, 2) for repo in IDS]
        for position in where:
            markdown, _ = await hover_at(client, URI, position)
            assert "**" in markdown, markdown
        before = hub.count()
        times = [(await hover_at(client, URI, where[i % len(where)]))[1] for i in range(hovers)]
        return times, hub.count() - before


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"hovers": len(times), "p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hovers", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("HF_HOME", tempfile.mkdtemp(prefix="hubsave-bench-hf-home-"))
    with StubHub(default_scenario()) as hub:
        times, requests = asyncio.run(cached_hover_times(hub, args.hovers))
        print(json.dumps({**summary(times), "hub_requests_while_cached": requests}))


if __name__ == "__main__":
    main()
