"""URIs as editors send them: percent-encoded paths (a space in a folder name)."""

from __future__ import annotations

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.harness import diagnostics, init_params, open_document, server_config, wait_until

TEXT = 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="x")\n'


@pytest_lsp.fixture(config=server_config(), params=["neovim@v0.9.1"])
async def client(lsp_client: LanguageClient, request):
    await lsp_client.initialize_session(init_params(request.param))
    yield
    await lsp_client.shutdown_session()


async def test_percent_encoded_uri_gets_diagnostics_under_its_own_uri(client: LanguageClient, tmp_path):
    # pygls keys documents by the unquoted URI: the server must still find the document
    # when it analyzes, and answer under the URI the client sent (Neovim quotes spaces).
    path = tmp_path / "my project" / "train.py"
    path.parent.mkdir()
    path.write_text(TEXT, encoding="utf-8")
    uri = path.as_uri()
    assert "%20" in uri
    open_document(client, uri, TEXT)
    assert [d.code for d in await diagnostics(client, uri, 1)] == ["HS101"]

    published = len(client.published)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"hubsave": {"ignore": ["HS101"]}})
    )
    # Re-published without HS101 (an earlier publication may still be on its way).
    await wait_until(lambda: [p for p in client.published[published:] if p.uri == uri and not p.diagnostics])
    assert all(p.uri == uri for p in client.published)
