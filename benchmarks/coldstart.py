"""Cold start: process spawn -> initialize result, many runs per server.

Servers take turns run by run, so a burst of load from elsewhere on the machine
hits all of them alike instead of whichever happened to be measured then.
"""

from __future__ import annotations

from pathlib import Path

from lspclient import LspClient, cpu_seconds
from servers import Server
from stats import summarize


async def _one(server: Server, workspace: Path, env: dict, logs: Path) -> tuple[float, float]:
    """(wall seconds, server CPU seconds) from spawn to the initialize result."""
    client = LspClient(server.argv, env=env, cwd=str(workspace), settings=server.settings,
                       stderr_path=logs / f"{server.name}.stderr.log")
    await client.start()
    try:
        await client.initialize(workspace, server.initialization_options)
        return client.initialized_at - client.spawned_at, cpu_seconds(client.pid)
    finally:
        await client.stop()


async def measure_cold_starts(servers: list[Server], workspace: Path, runs: int, env: dict, logs: Path) -> dict:
    samples: dict[str, list[float]] = {s.name: [] for s in servers}
    cpu: dict[str, list[float]] = {s.name: [] for s in servers}
    failures: dict[str, str] = {}
    for _ in range(runs):
        for server in servers:
            if server.name in failures:
                continue
            try:
                wall, used = await _one(server, workspace, env, logs)
                samples[server.name].append(wall)
                cpu[server.name].append(used)
            except Exception as exc:  # noqa: BLE001 - a server that cannot start is a result
                failures[server.name] = f"{type(exc).__name__}: {exc}"[:300]
    return {name: ({"skipped": failures[name]} if name in failures else {**summarize(values), "cpu": summarize(cpu[name])})
            for name, values in samples.items()}
