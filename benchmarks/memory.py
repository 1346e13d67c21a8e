"""Memory: VmRSS after opening many documents (and their diagnostics being published)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lspclient import LspClient, read_rss_kib
from servers import Server

SETTLE = 1.0  # seconds after the last publication, so deferred work has happened


async def measure_memory(server: Server, workspace: Path, documents: list[str], env: dict, logs: Path) -> dict:
    client = LspClient(server.argv, env=env, cwd=str(workspace), settings=server.settings,
                       stderr_path=logs / f"{server.name}.stderr.log")
    await client.start()
    try:
        await client.initialize(workspace, server.initialization_options)
        if server.did_change_configuration is not None:
            await client.notify("workspace/didChangeConfiguration", server.did_change_configuration)
        rss_initialized = read_rss_kib(client.pid)
        waiters = []
        docs_dir = workspace / "memory"
        docs_dir.mkdir(exist_ok=True)
        for i, text in enumerate(documents):
            path = docs_dir / f"doc_{i:03d}.py"
            path.write_text(text)
            waiters.append(client.expect_publication(path.as_uri(), 1))
            await client.did_open(path.as_uri(), text)
        published = 0
        if server.publishes_on_change:
            done, _ = await asyncio.wait(waiters, timeout=120)
            published = len(done)
        await asyncio.sleep(SETTLE)
        rss = read_rss_kib(client.pid)
        return {"documents": len(documents), "published": published,
                "rss_initialized_mib": round(rss_initialized / 1024, 1), "rss_mib": round(rss / 1024, 1)}
    finally:
        await client.stop()
