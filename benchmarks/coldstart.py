"""Cold start: process spawn -> initialize result, many runs per server."""

from __future__ import annotations

from pathlib import Path

from lspclient import LspClient
from servers import Server
from stats import summarize


async def measure_cold_start(server: Server, workspace: Path, runs: int, env: dict, logs: Path) -> dict:
    samples = []
    for _ in range(runs):
        client = LspClient(server.argv, env=env, cwd=str(workspace), settings=server.settings,
                           stderr_path=logs / f"{server.name}.stderr.log")
        await client.start()
        try:
            await client.initialize(workspace, server.initialization_options)
            samples.append(client.initialized_at - client.spawned_at)
        finally:
            await client.stop()
    return summarize(samples)
