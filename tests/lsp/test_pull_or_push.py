"""Pull or push: each client gets diagnostics one way only, and changes without an edit reach it.

Neovim 0.10/0.11 pull diagnostics but cannot be asked to pull again
(no workspace/diagnostic/refresh): served by pull, it would keep stale findings
after a settings change until the next keystroke. So it is not offered pull and
gets pushes. A client with refresh (vscode-languageclient 8+) pulls and is never pushed to.
"""

from __future__ import annotations

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.harness import diagnostics, init_params, open_document, server_config, wait_until

URI = "file:///workspace/train.py"
TEXT = 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="x")\n'
IGNORE_HS101 = types.DidChangeConfigurationParams(settings={"hubsave": {"ignore": ["HS101"]}})


@pytest_lsp.fixture(config=server_config())
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


async def test_neovim_gets_pushes_and_settings_changes_without_an_edit(client: LanguageClient):
    result = await client.initialize_session(init_params("neovim@v0.11.0"))
    assert result.capabilities.diagnostic_provider is None
    open_document(client, URI, TEXT)
    assert [d.code for d in await diagnostics(client, URI, 1)] == ["HS101"]
    client.workspace_did_change_configuration(IGNORE_HS101)
    await wait_until(lambda: client.published[-1].uri == URI and not client.published[-1].diagnostics)
    assert all(p.version == 1 for p in client.published)


async def test_a_client_with_refresh_pulls_and_is_never_pushed_to(client: LanguageClient):
    result = await client.initialize_session(init_params("visual-studio-code+pull"))
    assert result.capabilities.diagnostic_provider.identifier == "hubsave"
    open_document(client, URI, TEXT)
    assert [d.code for d in await diagnostics(client, URI, 1)] == ["HS101"]
    refreshes = client.diagnostic_refresh_count  # one more if the document beat the settings
    client.workspace_did_change_configuration(IGNORE_HS101)
    await wait_until(lambda: client.diagnostic_refresh_count > refreshes)
    assert await diagnostics(client, URI, 1) == []
    # The re-analysis ran before the refresh was sent: a push would have arrived by now.
    assert client.published == []
