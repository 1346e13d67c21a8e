"""A raw JSON-RPC peer over the server's stdio, for messages no real client would send."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading


class RawServer:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hubsave", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "HF_HUB_OFFLINE": "1"},
        )
        self.messages: queue.Queue = queue.Queue()
        self.stderr: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            self.messages.put(json.loads(stream.read(length)))

    def send_bytes(self, body: bytes) -> None:
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.proc.stdin.flush()

    def send(self, message: dict) -> None:
        self.send_bytes(json.dumps(message).encode())

    def request(self, id_: int, method: str, params=None) -> dict:
        self.send({"jsonrpc": "2.0", "id": id_, "method": method, "params": params})
        return self.response(id_)

    def response(self, id_: int, timeout: float = 10) -> dict:
        while True:
            message = self.messages.get(timeout=timeout)
            if message.get("id") == id_ and "method" not in message:
                return message

    def notify(self, method: str, params) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def close(self) -> int:
        try:
            self.request(9999, "shutdown")
            self.notify("exit", None)
            return self.proc.wait(timeout=10)
        finally:
            self.proc.kill()
