"""A small LSP client for timing servers: asyncio over stdio, JSON-RPC framing by hand.

Timestamps are taken in the reader the moment a message is decoded, so a
measurement is spawn/send -> decoded reply, with no client-side queueing in it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Push diagnostics only: no textDocument.diagnostic capability, so servers that
# support pull (ruff server) fall back to publishing on change.
CLIENT_CAPABILITIES: dict[str, Any] = {
    "general": {"positionEncodings": ["utf-16"]},
    "workspace": {
        "configuration": True,
        "workspaceFolders": True,
        "didChangeConfiguration": {"dynamicRegistration": False},
    },
    "textDocument": {
        "synchronization": {"dynamicRegistration": False, "didSave": True},
        "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}},
    },
    "window": {"workDoneProgress": False},
}


@dataclass
class Publication:
    received: float  # time.perf_counter() when decoded
    version: int | None
    count: int


@dataclass
class _Waiter:
    version: int | None  # None: the next publication for the uri, whatever its version
    future: asyncio.Future = field(repr=False)


class LspError(RuntimeError):
    pass


class LspClient:
    """One server process. `settings` answers workspace/configuration by section."""

    def __init__(
        self,
        argv: list[str],
        *,
        env: dict[str, str] | None = None,
        cwd: str | None = None,
        stderr_path: Path | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        self.argv = argv
        self.env = env
        self.cwd = cwd
        self.stderr_path = stderr_path
        self.settings = settings or {}
        self.proc: asyncio.subprocess.Process | None = None
        self.capabilities: dict[str, Any] = {}
        self.spawned_at = 0.0
        self.initialized_at = 0.0
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future] = {}
        self._waiters: dict[str, list[_Waiter]] = {}
        self.publications: dict[str, list[Publication]] = {}
        self._reader: asyncio.Task | None = None
        self._stderr_file = None
        self._closed: str | None = None  # why the server's stdout ended, once it has

    # -- process ---------------------------------------------------------------
    async def start(self) -> None:
        if self.stderr_path:
            self.stderr_path.parent.mkdir(parents=True, exist_ok=True)
            self._stderr_file = open(self.stderr_path, "ab")
        self.spawned_at = time.perf_counter()
        self.proc = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=self._stderr_file or asyncio.subprocess.DEVNULL,
            env=self.env,
            cwd=self.cwd,
            limit=2**24,
        )
        self._reader = asyncio.create_task(self._read_loop())

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    async def initialize(self, root: Path, initialization_options: Any = None, timeout: float = 30) -> dict:
        result = await self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "clientInfo": {"name": "hubsave-bench", "version": "1"},
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
                "capabilities": CLIENT_CAPABILITIES,
                "initializationOptions": initialization_options,
            },
            timeout=timeout,
        )
        self.initialized_at = time.perf_counter()
        self.capabilities = result.get("capabilities", {})
        await self.notify("initialized", {})
        return result

    async def stop(self, timeout: float = 5) -> None:
        """shutdown + exit, then make sure the process is gone."""
        if self.proc is None:
            return
        try:
            if self.proc.returncode is None:
                await self.request("shutdown", None, timeout=timeout)
                await self.notify("exit", None)
                await asyncio.wait_for(self.proc.wait(), timeout)
        except (asyncio.TimeoutError, LspError, ConnectionError, BrokenPipeError):
            pass
        finally:
            if self.proc.returncode is None:
                self.proc.kill()
                await self.proc.wait()
            if self._reader:
                self._reader.cancel()
            if self._stderr_file:
                self._stderr_file.close()

    # -- JSON-RPC ----------------------------------------------------------------
    async def _send(self, message: dict) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        body = json.dumps(message, separators=(",", ":")).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        await self.proc.stdin.drain()

    async def request(self, method: str, params: Any, timeout: float = 30) -> Any:
        if self._closed:
            raise ConnectionError(self._closed)
        msg_id = next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._pending[msg_id] = future
        await self._send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self._pending.pop(msg_id, None)

    async def notify(self, method: str, params: Any) -> None:
        await self._send({"jsonrpc": "2.0", "method": method, "params": params})

    async def _read_loop(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        stdout = self.proc.stdout
        try:
            while True:
                length = None
                while True:
                    line = await stdout.readline()
                    if not line:
                        raise ConnectionError("server closed stdout")
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value)
                if length is None:
                    continue
                message = json.loads(await stdout.readexactly(length))
                now = time.perf_counter()
                await self._dispatch(message, now)
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            self._closed = str(exc)
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(ConnectionError(str(exc)))
            for waiters in self._waiters.values():
                for waiter in waiters:
                    if not waiter.future.done():
                        waiter.future.set_exception(ConnectionError(str(exc)))

    async def _dispatch(self, message: dict, now: float) -> None:
        method = message.get("method")
        if method is None:
            future = self._pending.get(message.get("id"))
            if future and not future.done():
                if "error" in message:
                    future.set_exception(LspError(json.dumps(message["error"])))
                else:
                    future.set_result(message.get("result"))
            return
        if "id" in message:
            await self._send({"jsonrpc": "2.0", "id": message["id"], "result": self._answer(method, message.get("params"))})
            return
        if method == "textDocument/publishDiagnostics":
            self._on_publish(message["params"], now)

    def _answer(self, method: str, params: Any) -> Any:
        if method == "workspace/configuration":
            return [self.settings.get(item.get("section", ""), None) for item in params["items"]]
        return None  # registerCapability, workDoneProgress/create, ...: accept

    def _on_publish(self, params: dict, now: float) -> None:
        uri = params["uri"]
        version = params.get("version")
        self.publications.setdefault(uri, []).append(Publication(now, version, len(params["diagnostics"])))
        remaining = []
        for waiter in self._waiters.get(uri, []):
            if waiter.future.done():
                continue
            if waiter.version is None or version is None or version >= waiter.version:
                waiter.future.set_result(Publication(now, version, len(params["diagnostics"])))
            else:
                remaining.append(waiter)
        self._waiters[uri] = remaining

    # -- documents ---------------------------------------------------------------
    def expect_publication(self, uri: str, version: int | None) -> asyncio.Future:
        """Register before sending, so a fast reply cannot be missed.

        A publication that carries no version counts for whatever version is awaited.
        """
        future = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(uri, []).append(_Waiter(version, future))
        return future

    async def did_open(self, uri: str, text: str, version: int = 1) -> None:
        await self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": version, "text": text}},
        )

    async def did_change(self, uri: str, version: int, changes: list[dict]) -> None:
        await self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes},
        )

    async def did_close(self, uri: str) -> None:
        await self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def sync_kind(self) -> int:
        """0 none, 1 full, 2 incremental, as the server announced it."""
        sync = self.capabilities.get("textDocumentSync", 0)
        if isinstance(sync, dict):
            return int(sync.get("change", 0) or 0)
        return int(sync)


def read_rss_kib(pid: int) -> int:
    """VmRSS of a live process in KiB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise LspError(f"no VmRSS for pid {pid}")


def cpu_seconds(pid: int) -> float:
    """CPU time a live process has used so far, all threads, from /proc/<pid>/task/*/schedstat.

    Nanosecond-exact and blind to time spent waiting for a core, so it stays
    comparable when other work loads the machine. Threads that have already ended
    are not listed, so a server working in short-lived threads is under-counted.
    """
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue  # a thread that ended meanwhile
    return total / 1e9
