"""A real LSP client for the tests: pytest-lsp over stdio, plus small helpers.

The server runs as a subprocess (`python -m hubsave lsp`), exactly as editors
start it. Helpers here read diagnostics the way the client under test gets them:
pulled (`textDocument/diagnostic`) when its capabilities say so, pushed otherwise.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import make_test_lsp_client

REPO = Path(__file__).resolve().parents[2]
SEED_FULL_EXAMPLE = REPO / "tests" / "fixtures" / "seed" / "train_full_example.py"


def make_client() -> LanguageClient:
    """The pytest-lsp client, also recording every publishDiagnostics with its version
    (`client.published`) and every dynamic registration (`client.registrations`)."""
    client = make_test_lsp_client()
    client.published = []  # type: ignore[attr-defined]
    features = client.protocol.fm.features
    original = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def record(*args):
        client.published.append(args[-1])  # type: ignore[attr-defined]
        return original(*args)

    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record

    # As editors do: accept dynamic registrations (the server's pyproject.toml watcher).
    client.registrations = []  # type: ignore[attr-defined]

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    return client


def server_config(env: dict[str, str] | None = None) -> ClientServerConfig:
    server_env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    return ClientServerConfig(
        server_command=[sys.executable, "-m", "hubsave", "lsp"],
        client_factory=make_client,
        server_env=server_env,
    )


def capabilities(spec: str) -> types.ClientCapabilities:
    """pytest-lsp's recorded capabilities; `+pull` adds what vscode-languageclient 8+
    sends on top of the recorded VS Code 1.65: pull diagnostics with refresh support."""
    name, _, extra = spec.partition("+")
    caps = client_capabilities(name)
    if extra == "pull":
        caps.text_document.diagnostic = types.DiagnosticClientCapabilities(related_document_support=False)
        caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    return caps


def init_params(spec: str, root: Path | None = None, options: dict | None = None) -> types.InitializeParams:
    return types.InitializeParams(
        capabilities=capabilities(spec),
        root_uri=root.as_uri() if root else None,
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)] if root else None,
        initialization_options=options,
    )


def encoding_of(client: LanguageClient, result: types.InitializeResult | None = None) -> str:
    caps = client.capabilities
    encodings = caps.general.position_encodings if caps and caps.general else None
    return str(encodings[0]) if encodings else "utf-16"


def pulls(client: LanguageClient) -> bool:
    """The server serves pull only to clients it can ask to pull again (Neovim cannot)."""
    caps = client.capabilities
    pull = caps and caps.text_document and caps.text_document.diagnostic
    refresh = caps and caps.workspace and caps.workspace.diagnostics and caps.workspace.diagnostics.refresh_support
    return bool(pull and refresh)


async def wait_until(predicate, timeout: float = 10.0, interval: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


async def diagnostics(client: LanguageClient, uri: str, version: int, timeout: float = 10.0) -> list[types.Diagnostic]:
    """The diagnostics for `uri` at `version`, pulled or pushed as the client does it."""
    if pulls(client):
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        return list(report.items)

    def published():
        for params in reversed(client.published):  # type: ignore[attr-defined]
            if params.uri == uri and params.version == version:
                return [params]
        return None

    found = await wait_until(published, timeout)
    return list(found[0].diagnostics)


def open_document(client: LanguageClient, uri: str, text: str, version: int = 1, language_id: str = "python") -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id=language_id, version=version, text=text))
    )


def change_document(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def _offset(text: str, position: types.Position, encoding: str) -> int:
    lines = text.splitlines(keepends=True)
    start = sum(len(line) for line in lines[: position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    units = position.character
    if encoding == "utf-32":
        return start + units
    codec, width = ("utf-8", 1) if encoding == "utf-8" else ("utf-16-le", 2)
    return start + len(line.encode(codec)[: units * width].decode(codec, "ignore"))


def apply_text_edits(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    """Apply edits as an editor does: positions in the negotiated encoding, last first."""
    spans = sorted(
        ((_offset(text, e.range.start, encoding), _offset(text, e.range.end, encoding), e.new_text) for e in edits),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def edits_of(edit: types.WorkspaceEdit, uri: str) -> list[types.TextEdit]:
    if edit.document_changes:
        return [e for change in edit.document_changes if change.text_document.uri == uri for e in change.edits]
    return list((edit.changes or {}).get(uri, []))
