"""Keystroke latency: didChange -> publishDiagnostics for that version, edit after edit."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from inputs import Edit
from lspclient import LspClient, cpu_seconds
from servers import Server
from stats import summarize

EDIT_TIMEOUT = 5.0  # a publication slower than this counts as missing
# Before the first keystroke, wait until the server is idle after opening the document
# (a person reads before typing): one-off work a server starts on open (hubsave reads
# config signatures from the environment with jedi in a thread) is not a keystroke's,
# and its CPU would land on whichever edits it overlaps.
IDLE_CPU = 0.002  # seconds of server CPU per IDLE_WINDOW below which it counts as idle
IDLE_WINDOW = 0.25
IDLE_LIMIT = 20.0  # give up waiting after this long, and start anyway
MAX_MISSES = 3  # stop a server/document pair after this many missing publications


async def measure_edits(
    server: Server, workspace: Path, name: str, text: str, edits: list[Edit], mode: str,
    env: dict, logs: Path, argv: list[str] | None = None, time_budget: float | None = None,
    stop_timeout: float = 5, pace: float = 0.0,
) -> dict:
    """Open `text` as workspace/<name>, apply `edits` one at a time, time each round trip.

    mode is "full" (whole text per didChange) or "incremental" (ranges; only when
    the server announced incremental sync, otherwise the result says so).
    After `time_budget` seconds of edits the series stops early (a slow server
    must not blow the run's time); the result counts the edits really sent.
    `pace` > 0 sends each edit that many seconds after the previous one (a person
    typing: 0.1 s is 10 keys a second), or when its publication arrived if later;
    0 sends the next edit as soon as the previous publication arrives (back to back).
    """
    path = workspace / name
    path.write_text(text)
    uri = path.as_uri()
    client = LspClient(argv or server.argv, env=env, cwd=str(workspace), settings=server.settings,
                       stderr_path=logs / f"{server.name}.stderr.log")
    await client.start()
    try:
        await client.initialize(workspace, server.initialization_options)
        if server.did_change_configuration is not None:
            await client.notify("workspace/didChangeConfiguration", server.did_change_configuration)
        if mode == "incremental" and client.sync_kind() != 2:
            return {"skipped": f"server announces sync kind {client.sync_kind()}, not incremental"}
        opened = client.expect_publication(uri, 1)
        await client.did_open(uri, text, 1)
        try:
            await asyncio.wait_for(opened, 30)
        except asyncio.TimeoutError:
            return {"skipped": "no publishDiagnostics after didOpen within 30 s"}
        await wait_until_idle(client.pid)
        samples, cpu, misses, diagnostics = [], [], 0, []
        last_sent = 0.0
        series_start = time.perf_counter()
        sent_edits = 0
        for version, edit in enumerate(edits, start=2):
            if time_budget is not None and time.perf_counter() - series_start > time_budget:
                break
            if pace and sent_edits:
                await asyncio.sleep(max(0.0, last_sent + pace - time.perf_counter()))
            sent_edits += 1
            change = edit.full_change() if mode == "full" else edit.incremental_change()
            waiter = client.expect_publication(uri, version)
            cpu_before = cpu_seconds(client.pid)
            sent = last_sent = time.perf_counter()
            await client.did_change(uri, version, [change])
            try:
                publication = await asyncio.wait_for(waiter, EDIT_TIMEOUT)
            except asyncio.TimeoutError:
                misses += 1
                if misses >= MAX_MISSES:
                    break
                continue
            samples.append(publication.received - sent)
            cpu.append(cpu_seconds(client.pid) - cpu_before)
            diagnostics.append(publication.count)
        result = summarize(samples)
        versioned = all(p.version is not None for p in client.publications.get(uri, []))
        result.update(cpu=summarize(cpu), edits=sent_edits, truncated=sent_edits < len(edits), missing=misses, versioned_publications=versioned,
                      diagnostics_min=min(diagnostics, default=0), diagnostics_max=max(diagnostics, default=0))
        return result
    finally:
        await client.stop(stop_timeout)


async def wait_until_idle(pid: int) -> float:
    """Wait until the process used less than IDLE_CPU in an IDLE_WINDOW; the seconds waited."""
    start = time.perf_counter()
    before = cpu_seconds(pid)
    while time.perf_counter() - start < IDLE_LIMIT:
        await asyncio.sleep(IDLE_WINDOW)
        now = cpu_seconds(pid)
        if now - before < IDLE_CPU:
            break
        before = now
    return time.perf_counter() - start
