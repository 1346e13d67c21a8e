"""Hub layer latency: cached peeks, cached awaits, and uncached round trips to the stand-in.

Run from the repo root: ``python -m benchmarks.hub_latency`` (needs the test extras).
The round trip goes through the real huggingface_hub client over HTTP on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time

os.environ.setdefault("HF_HOME", tempfile.mkdtemp(prefix="hubsave-bench-"))
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.pop("HF_HUB_OFFLINE", None)

from hubsave.hub import HubService  # noqa: E402
from tests.hubstub import Repo, StubHub, default_scenario  # noqa: E402
from tests.hubstub.scenario import ALICE_WRITE  # noqa: E402


def pct(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100)[int(q) - 1] if len(samples) > 1 else samples[0]


def line(name: str, samples: list[float], unit: float, label: str) -> str:
    return (f"{name:<38} n={len(samples):<6} p50={pct(samples, 50) * unit:8.2f} {label}"
            f"  p95={pct(samples, 95) * unit:8.2f} {label}  max={max(samples) * unit:8.2f} {label}")


async def main() -> None:
    scenario = default_scenario()
    scenario.repos += [Repo(f"alice/bench-{i}", downloads=i) for i in range(200)]
    os.environ["HF_TOKEN"] = ALICE_WRITE
    with StubHub(scenario) as hub:
        svc = HubService(endpoint=hub.endpoint, timeout=3.0)
        await svc.whoami()  # imports huggingface_hub, warms the client

        uncached = []
        for i in range(200):
            started = time.perf_counter()
            await svc.repo_info(f"alice/bench-{i}")
            uncached.append(time.perf_counter() - started)
        missing = []
        for i in range(100):
            started = time.perf_counter()
            await svc.repo_info(f"nobody/missing-{i}")
            missing.append(time.perf_counter() - started)

        peeks = []
        for i in range(10_000):
            started = time.perf_counter()
            svc.peek_repo(f"alice/bench-{i % 200}")
            peeks.append(time.perf_counter() - started)
        push_peeks = []
        for i in range(10_000):
            started = time.perf_counter()
            svc.peek_push(f"alice/bench-{i % 200}")
            push_peeks.append(time.perf_counter() - started)
        awaits = []
        for i in range(10_000):
            started = time.perf_counter()
            await svc.push_check(f"alice/bench-{i % 200}")
            awaits.append(time.perf_counter() - started)
        svc.close()
        assert hub.count() == 1 + 200 + 100, hub.count()  # every cached call stayed local

    print(line("peek_repo (cached)", peeks, 1e6, "us"))
    print(line("peek_push (cached, verdict included)", push_peeks, 1e6, "us"))
    print(line("await push_check (cached)", awaits, 1e6, "us"))
    print(line("repo_info uncached, found (HTTP)", uncached, 1e3, "ms"))
    print(line("repo_info uncached, 404 (HTTP)", missing, 1e3, "ms"))


if __name__ == "__main__":
    asyncio.run(main())
