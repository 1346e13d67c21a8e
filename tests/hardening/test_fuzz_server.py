"""The running server under random edit sequences: it keeps answering, correctly.

A seeded random walk (bounded, so CI time is fixed; HUBSAVE_FUZZ_EDITS raises the
budget for a longer run) applies incremental edits as an editor sends them, then
checks the invariants: diagnostics for the newest version only, every range inside
the document, every quick fix applies and leaves parsing code parsing.
"""

from __future__ import annotations

import ast
import os
import random

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.hardening.strategies import SNIPPETS, TEXTS
from tests.lsp.harness import apply_text_edits, diagnostics, edits_of, init_params, open_document, server_config

EDITS = int(os.environ.get("HUBSAVE_FUZZ_EDITS", "400"))
URI = "file:///fuzz/train.py"


@pytest_lsp.fixture(config=server_config(), params=["visual-studio-code", "neovim@v0.11.0", "neovim@v0.9.1"])
async def client(lsp_client: LanguageClient, request):
    await lsp_client.initialize_session(init_params(request.param))
    yield
    await lsp_client.shutdown_session()


def _encoding(client) -> str:
    general = client.capabilities.general
    return str(general.position_encodings[0]) if general and general.position_encodings else "utf-16"


def _position(text: str, offset: int, encoding: str) -> types.Position:
    head = text[:offset]
    line = head.count("\n")
    column_text = head[head.rfind("\n") + 1 :]
    units = {"utf-8": len(column_text.encode("utf-8")), "utf-32": len(column_text)}.get(
        encoding, len(column_text.encode("utf-16-le")) // 2
    )
    return types.Position(line, units)


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return False
    return True


async def test_random_edit_sequences(client: LanguageClient):
    rng = random.Random(1234)
    encoding = _encoding(client)
    # \r alone splits lines differently in editors and Python; the walk keeps to \n.
    text = rng.choice(TEXTS).replace("\r", "")
    version = 1
    open_document(client, URI, text, version)
    checked = 0
    for step in range(EDITS):
        at = rng.randrange(len(text) + 1)
        end = min(len(text), at + rng.choice([0, 0, 1, 3, 20]))
        new = rng.choice([*SNIPPETS, "", "", "x"]).replace("\r", "")
        change = types.TextDocumentContentChangePartial(
            range=types.Range(_position(text, at, encoding), _position(text, end, encoding)), text=new
        )
        text = text[:at] + new + text[end:]
        version += 1
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=version), content_changes=[change]
            )
        )
        if step % 20 or not text:
            continue  # bursts of edits: only the newest version is analyzed
        diags = await diagnostics(client, URI, version)
        lines = text.split("\n")
        for diag in diags:
            assert diag.range.start.line <= diag.range.end.line < len(lines), diag
        checked += 1
        if diags and _parses(text):
            target = rng.choice(diags)
            actions = await client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=URI),
                    range=target.range,
                    context=types.CodeActionContext(diagnostics=[target]),
                )
            )
            for action in actions or []:
                if action.edit:
                    fixed = apply_text_edits(text, edits_of(action.edit, URI), encoding)
                    assert _parses(fixed), action.title
    assert checked >= EDITS // 40
    # Still alive and answering.
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(0, 0))
    )
    assert hover is None or hover.contents
