"""A language server subprocess pointed at the stand-in Hub, and helpers to hover in it."""

from __future__ import annotations

import asyncio
import sys
import time
from contextlib import asynccontextmanager
from typing import AsyncIterator

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.hubstub.fixture import stub_env
from tests.hubstub.server import StubHub
from tests.lsp.harness import init_params, make_client

URI = "file:///workspace/train.py"
HUB_ON = {"hub": {"enabled": True, "liveDiagnostics": False, "timeout": 3.0}}


@asynccontextmanager
async def hub_server(hub: StubHub, token: str | None, *, options: dict | None = None, spec: str = "visual-studio-code",
                     env: dict[str, str] | None = None) -> AsyncIterator[LanguageClient]:
    """A server whose environment reaches only ``hub``, logged in with ``token`` (None: logged out).

    The client records the server's stderr in ``client.stderr`` after the session ends.
    """
    config = ClientServerConfig(server_command=[sys.executable, "-m", "hubsave", "lsp"], client_factory=make_client,
                                server_env={**stub_env(hub, token), **(env or {})})
    client = await config.start()
    client.inlay_refreshes = 0  # type: ignore[attr-defined]

    @client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def inlay_refresh(params: None) -> None:
        client.inlay_refreshes += 1  # type: ignore[attr-defined]

    options = HUB_ON if options is None else options
    client.set_configuration({"hubsave": options})
    await client.initialize_session(init_params(spec, None, options))
    try:
        yield client
    finally:
        await client.shutdown_session()
        await client.stop()
        client.stderr = (await client._server.stderr.read()).decode(errors="replace")  # type: ignore[attr-defined]


def position_of(text: str, needle: str, offset: int = 1, occurrence: int = 0) -> types.Position:
    """The position ``offset`` characters into the ``occurrence``-th ``needle`` (ASCII text)."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start)
    return types.Position(line, start - (text.rfind("\n", 0, start) + 1) + offset)


async def hover_at(client: LanguageClient, uri: str, position: types.Position) -> tuple[str, float]:
    """The hover markdown ('' for none) and how long the answer took, in seconds."""
    start = time.monotonic()
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position))
    elapsed = time.monotonic() - start
    if result is None:
        return "", elapsed
    contents = result.contents
    return (contents.value if isinstance(contents, types.MarkupContent) else str(contents)), elapsed


async def hub_login(client: LanguageClient, params: dict | None = None) -> dict:
    """The `hubsave/hubLogin` response as plain JSON (pygls hands back named tuples)."""
    result = await client.protocol.send_request_async("hubsave/hubLogin", params or {})
    return _plain(result)


def _plain(value):
    if hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


async def eventually(ask, timeout: float = 10.0):
    """Await ``ask()`` until it returns something truthy (answers from the Hub arrive later)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = await ask()
        if found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"no answer within {timeout} s")
