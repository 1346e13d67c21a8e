"""Load: 50 open training scripts typed into at a thousand keystrokes a second.

Behaviour only: every change is answered (each document's newest version is
published or pulled), nothing is lost (every hover and pull is answered), the last
publication matches the last text, the server's thread count stays flat, and its
memory returns to its level once the documents close. How fast it keeps up depends on
the machine and is judged in `benchmarks/load.py`, not here. The burst is small for
CI; raise it for a longer run:
HUBSAVE_LOAD_SECONDS (burst length, default 3), HUBSAVE_LOAD_RATE (changes per
second, default 1000), HUBSAVE_LOAD_ROUNDS (open/edit/close rounds, default 5).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import random
import time
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pygls.uris import to_fs_path
from pytest_lsp import LanguageClient

from hubsave.analysis.workspace import normalize_path
from hubsave.lsp.session import Session
from tests.hardening.rawclient import RawServer
from tests.hardening.loadgen import THREAD_LIMIT, Buffer, Typist, proc_status, training_script
from tests.lsp.harness import encoding_of, init_params, open_document, pulls, server_config, wait_until

SECONDS = float(os.environ.get("HUBSAVE_LOAD_SECONDS", "3"))
RATE = int(os.environ.get("HUBSAVE_LOAD_RATE", "1000"))
ROUNDS = int(os.environ.get("HUBSAVE_LOAD_ROUNDS", "5"))
DOCUMENTS = 50


# Neovim 0.11 advertises pull diagnostics but cannot be asked to pull again, so it is
# served by push like 0.9; VS Code (vscode-languageclient 8+) pulls.
@pytest_lsp.fixture(config=server_config(), params=["neovim@v0.11.0", "visual_studio_code@v1.65.2+pull"])
async def client(lsp_client: LanguageClient, request):
    await lsp_client.initialize_session(init_params(request.param))
    yield
    await lsp_client.shutdown_session()


def report(**figures) -> None:
    """Figures for the record (shown with -s, and in the closing note of a long run)."""
    print("load:", " ".join(f"{k}={v}" for k, v in figures.items()))


def _open_all(client: LanguageClient, folder: Path, rng: random.Random, tag: str) -> list[Buffer]:
    buffers = []
    for i in range(DOCUMENTS):
        path = folder / f"load_{tag}_{i:02d}.py"
        path.write_text(training_script(rng), encoding="utf-8")
        buf = Buffer(path.as_uri(), path.read_text(encoding="utf-8"))
        open_document(client, buf.uri, buf.text, buf.version)
        buffers.append(buf)
    return buffers


def _expected(buffers: list[Buffer]) -> dict[str, list[tuple[str, int]]]:
    """What a calm session finds in the final texts, with the same open documents."""
    texts = {normalize_path(to_fs_path(b.uri)): b.text for b in buffers}
    session = Session()
    session.open_text = lambda path: texts.get(normalize_path(path))
    return {
        b.uri: sorted(
            (f.code, f.span.start_line)
            for f in session.analyze(b.uri, to_fs_path(b.uri), b.text, b.version)[0].findings
            if f.code not in AMBIENT
        )
        for b in buffers
    }


# Findings that depend on more than the text and the open documents: signatures read
# from the user's environment in the background (HS109), scripts looked up on disk
# (HS310). The calm in-process session cannot reproduce them, so they are not compared.
AMBIENT = {"HS109", "HS310"}


def _seen(diags) -> list[tuple[str, int]]:
    return sorted((str(d.code), d.range.start.line) for d in diags if str(d.code) not in AMBIENT)


class Threads:
    """Samples the server's thread count while it works."""

    def __init__(self, pid: int) -> None:
        self.pid, self.samples = pid, []

    async def watch(self) -> None:
        while True:
            self.samples.append(proc_status(self.pid)["Threads"])
            await asyncio.sleep(0.02)


async def test_a_thousand_changes_a_second(client: LanguageClient, tmp_path):
    rng = random.Random(50)
    pid = client._server.pid
    buffers = _open_all(client, tmp_path, rng, "burst")
    push = not pulls(client)
    if push:
        await wait_until(lambda: {p.uri for p in client.published} >= {b.uri for b in buffers}, timeout=300)
    idle_threads = proc_status(pid)["Threads"]
    opened = len(client.published)

    typist, threads = Typist(rng, buffers, encoding_of(client)), Threads(pid)
    watcher = asyncio.create_task(threads.watch())
    pending, sent = [], 0
    start = time.monotonic()
    while (elapsed := time.monotonic() - start) < SECONDS:
        for _ in range(int(elapsed * RATE) - sent):
            client.text_document_did_change(typist.keystroke())
            sent += 1
            if sent % 25 == 0:  # hovers (and pulls, for a pull client) interleaved
                buf = rng.choice(buffers)
                where = types.TextDocumentIdentifier(uri=buf.uri)
                line = rng.randrange(buf.text.count("\n") + 1)
                pending.append(client.text_document_hover_async(types.HoverParams(where, types.Position(line, 4))))
                if not push:
                    pending.append(client.text_document_diagnostic_async(types.DocumentDiagnosticParams(where)))
        await asyncio.sleep(0.005)
    for change in typist.finish():
        client.text_document_did_change(change)
        sent += 1
    burst_end = time.monotonic()

    # Every document's newest version is answered. (The timeouts only stop a hung
    # server; how soon it catches up is benchmarks/load.py's judgement.)
    if push:
        newest = {b.uri: b.version for b in buffers}
        await wait_until(
            lambda: {p.uri for p in client.published if p.version == newest[p.uri]} == set(newest), timeout=300
        )
        last = {p.uri: p for p in client.published}  # the last publication per document
        assert {uri: p.version for uri, p in last.items() if uri in newest} == newest  # no stale one after it
        answers = {b.uri: last[b.uri].diagnostics for b in buffers}
    else:
        reports = await asyncio.gather(
            *(client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri=b.uri))) for b in buffers)
        )
        answers = {b.uri: r.items for b, r in zip(buffers, reports)}
    caught_up = time.monotonic() - burst_end
    answered = await asyncio.wait_for(asyncio.gather(*pending), timeout=300)
    hovers_answered = time.monotonic() - burst_end
    watcher.cancel()

    expected = _expected(buffers)
    for buf in buffers:
        assert _seen(answers[buf.uri]) == expected[buf.uri], buf.uri
    assert len(answered) == len(pending) and sent > 0
    report(
        client="push" if push else "pull", documents=DOCUMENTS, changes=sent, seconds=SECONDS,
        publications=len(client.published) - opened, requests=len(pending), caught_up_s=round(caught_up, 2),
        requests_done_s=round(hovers_answered, 2), threads_idle=idle_threads, threads_max=max(threads.samples),
    )
    # No pile-up: the thread count does not grow with the load.
    assert max(threads.samples) <= THREAD_LIMIT


@pytest_lsp.fixture(config=server_config(), params=["neovim@v0.9.1"])
async def push_client(lsp_client: LanguageClient, request):
    await lsp_client.initialize_session(init_params(request.param))
    yield
    await lsp_client.shutdown_session()


async def _round(client: LanguageClient, folder: Path, rng: random.Random, tag: str) -> None:
    """Open 50 new scripts, type into them, hover, close them; then hover them again, as
    an editor racing a closed tab does. Fresh URIs every round: a leak per document
    grows with every round."""
    buffers = _open_all(client, folder, rng, tag)
    typist = Typist(rng, buffers, encoding_of(client))
    for step in range(400):
        client.text_document_did_change(typist.keystroke())
        if step % 20 == 0:
            buf = rng.choice(buffers)
            await client.text_document_hover_async(
                types.HoverParams(types.TextDocumentIdentifier(uri=buf.uri), types.Position(3, 4))
            )
    for change in typist.finish():
        client.text_document_did_change(change)
    newest = {b.uri: b.version for b in buffers}
    await wait_until(lambda: {p.uri for p in client.published if newest.get(p.uri, 0) == p.version} == set(newest), 300)
    for buf in buffers:
        client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=buf.uri)))
    for buf in buffers:
        await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri=buf.uri), types.Position(3, 4))
        )


async def test_memory_returns_after_documents_close(push_client: LanguageClient, tmp_path):
    client, rng = push_client, random.Random(7)
    pid = client._server.pid
    rss = []
    for i in range(ROUNDS + 1):
        await _round(client, tmp_path, rng, f"r{i}")
        rss.append(proc_status(pid)["VmRSS"])
    threads = proc_status(pid)["Threads"]
    growth = rss[-1] - rss[0]
    report(rounds=ROUNDS, documents_per_round=DOCUMENTS, rss_kb=rss, growth_kb=growth, threads=threads)
    # Round 0 warms up (imports, caches, allocator arenas). After it, ROUNDS x 50 new
    # documents and ~550 notifications a round must fit in the memory freed by the
    # last: 4 MB over 5 rounds is what a leak of 16 kB per document (one analysis
    # state) or 1.5 kB per notification would exceed; the two leaks this test found
    # grew 10 MB. A longer run must stay inside the same bound.
    assert growth < 4096, rss
    assert threads <= THREAD_LIMIT


async def test_reopened_document_is_analyzed_afresh(push_client: LanguageClient, tmp_path):
    """The session forgets a closed document: reopened at the same version number with
    other text, a hover sent at once (before any scheduled analysis) answers for the
    new text, not from the state of the closed one."""
    client = push_client
    path = tmp_path / "reopen.py"
    uri = path.as_uri()
    flagged = 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="x")\n'
    path.write_text(flagged, encoding="utf-8")
    where = types.HoverParams(types.TextDocumentIdentifier(uri=uri), types.Position(1, 12))
    open_document(client, uri, flagged, 1)
    assert "HS101" in (await client.text_document_hover_async(where)).contents.value
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=uri)))
    open_document(client, uri, 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="x", push_to_hub=True)\n', 1)
    # The new text pushes (to a repo named after output_dir): the hover says so, and
    # nothing of the closed text's HS101.
    hover = (await client.text_document_hover_async(where)).contents.value
    assert "HS101" not in hover and "push target of `SFTConfig`" in hover


def test_shutdown_with_requests_in_flight(tmp_path):
    """Requests still queued when shutdown and exit arrive: each is answered, then the
    server exits with code 0, at once."""
    server = RawServer()
    caps = {
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {"diagnostic": {}},
        "workspace": {"diagnostics": {"refreshSupport": True}},  # so the server offers pull
    }
    assert "result" in server.request(1, "initialize", {"capabilities": caps, "processId": None})
    server.notify("initialized", {})
    rng = random.Random(3)
    uris = [(tmp_path / f"inflight_{i}.py").as_uri() for i in range(10)]
    for uri in uris:
        text = training_script(rng)
        server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text + "\n# edited\n"}]})
    methods = ["textDocument/hover", "textDocument/diagnostic", "textDocument/hover", "textDocument/codeAction"]
    for id_ in range(100, 140):
        cursor = {"line": rng.randrange(40), "character": 4}
        server.send({"jsonrpc": "2.0", "id": id_, "method": methods[id_ % 4], "params": {
            "textDocument": {"uri": rng.choice(uris)}, "position": cursor, "range": {"start": cursor, "end": cursor},
            "context": {"diagnostics": [], "only": ["quickfix"]},
        }})
    server.send({"jsonrpc": "2.0", "id": 999, "method": "shutdown"})
    server.notify("exit", None)
    sent = time.monotonic()
    try:
        code = server.proc.wait(timeout=120)  # a server that hangs on exit never gets here
    finally:
        server.proc.kill()
    exited = time.monotonic() - sent
    answered = set()
    deadline = time.monotonic() + 10  # the reader thread may still be parsing the last output
    while len(answered) < 41 and time.monotonic() < deadline:
        with contextlib.suppress(queue.Empty):
            message = server.messages.get(timeout=0.2)
            if "method" not in message:
                assert "result" in message, message
                answered.add(message["id"])
    report(in_flight=40, answered=len(answered - {999}), exit_code=code, exit_s=round(exited, 2))
    assert code == 0, b"".join(server.stderr).decode()[-2000:]
    assert answered >= {*range(100, 140), 999}
    assert b"Traceback" not in b"".join(server.stderr)
