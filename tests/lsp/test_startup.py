"""The server answers `initialize` without importing what that answer does not need
(the analysis, its rules, the Hub, the features' modules: the first document imports
them), and announces the same capabilities as when everything was imported up front."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("libcst", "jedi", "huggingface_hub", "httpx", "mcp", "pydantic")
# hubsave's own modules that only documents and requests need.
DEFERRED = (
    "hubsave.analysis.engine", "hubsave.analysis.rules", "hubsave.analysis.facts", "hubsave.analysis.fragments",
    "hubsave.analysis.document", "hubsave.analysis.findings", "hubsave.analysis.settings",
    "hubsave.hub", "hubsave.kinds", "hubsave.envsig", "hubsave.fixes",
    "hubsave.lsp.code_actions", "hubsave.lsp.hover", "hubsave.lsp.completion", "hubsave.lsp.inlay_hints",
    "hubsave.lsp.notebooks", "hubsave.lsp.live", "hubsave.lsp.query",
)


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def _read_message(stream) -> dict:
    length = 0
    while True:
        line = stream.readline()
        if line in (b"\r\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(stream.read(length))


def _initialize(params: dict) -> tuple[dict, set[str]]:
    """The server's `initialize` result, and every module it had imported by then."""
    # -X importtime logs every import to stderr as it happens: whatever is not
    # there by the time `initialize` has been answered was not imported for it.
    proc = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "hubsave", "lsp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    try:
        proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params}))
        proc.stdin.flush()
        response = _read_message(proc.stdout)
        assert response["id"] == 1, response
        proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "exit"}))
        proc.stdin.flush()
        _, stderr = proc.communicate(timeout=20)
    finally:
        proc.kill()
    imported = {line.split("|")[-1].strip() for line in stderr.decode().splitlines() if "|" in line}
    return response["result"], imported


def test_initialize_imports_no_heavy_module():
    result, imported = _initialize({"capabilities": {}})
    assert "capabilities" in result
    assert "pygls" in imported  # the log is real
    packages = {name.split(".")[0] for name in imported}
    assert not packages & set(HEAVY), sorted(packages & set(HEAVY))
    deferred = {name for name in imported if name.startswith(DEFERRED)}
    assert not deferred, sorted(deferred)


# What the server announces; a client decides from it which requests to send, so
# importing the features later must not change a word of it.
ANNOUNCED = {
    "codeActionProvider": {"codeActionKinds": ["quickfix", "source.fixAll.hubsave"], "resolveProvider": True},
    "completionProvider": {"triggerCharacters": ['"', "'", "/", "="]},
    "executeCommandProvider": {"commands": []},
    "hoverProvider": True,
    "inlayHintProvider": {"resolveProvider": False},
    "positionEncoding": "utf-16",
    "textDocumentSync": {"change": 2, "openClose": True, "save": True},
    "workspace": {"fileOperations": {}, "workspaceFolders": {"changeNotifications": True, "supported": True}},
}
NOTEBOOK_SYNC = {"notebookSelector": [{"notebook": "*", "cells": [{"language": "python"}]}], "save": True}
PULL = {"identifier": "hubsave", "interFileDependencies": True, "workspaceDiagnostics": False}


def test_initialize_announces_every_feature():
    result, _ = _initialize({"capabilities": {}})
    assert result == {"capabilities": ANNOUNCED, "serverInfo": {"name": "hubsave", "version": "0.1.0"}}


def test_initialize_announces_notebook_sync_and_pull_diagnostics_to_clients_that_have_them():
    client = {
        "notebookDocument": {"synchronization": {}},
        "textDocument": {"diagnostic": {}},
        "workspace": {"diagnostics": {"refreshSupport": True}},
    }
    result, _ = _initialize({"capabilities": client})
    assert result["capabilities"] == {**ANNOUNCED, "notebookDocumentSync": NOTEBOOK_SYNC, "diagnosticProvider": PULL}


def test_notebooks_made_after_start_take_the_batched_reads_of_the_server():
    # The stdio reader turns on batched reads before any notebook exists; the notebooks
    # (made on first use) must coalesce their changes the same way as text documents.
    from hubsave.lsp.server import HubsaveServer

    server = HubsaveServer()
    server._debouncer.batched_reads = True
    assert server.notebooks.debouncer.batched_reads is True
    assert HubsaveServer().notebooks.debouncer.batched_reads is False
