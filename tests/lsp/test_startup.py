"""The server answers `initialize` without importing its heavy dependencies."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("libcst", "jedi", "huggingface_hub", "httpx", "mcp", "pydantic")


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


def test_initialize_imports_no_heavy_module():
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
        proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}))
        proc.stdin.flush()
        response = _read_message(proc.stdout)
        assert response["id"] == 1 and "capabilities" in response["result"]
        proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "exit"}))
        proc.stdin.flush()
        _, stderr = proc.communicate(timeout=20)
    finally:
        proc.kill()
    imported = {line.split("|")[-1].strip().split(".")[0] for line in stderr.decode().splitlines() if "|" in line}
    assert "pygls" in imported  # the log is real
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))
