"""HS109 in the editor: the server never waits for jedi; when the signature from the
user's environment lands, the diagnostics are republished (or re-pulled)."""

from __future__ import annotations

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.harness import diagnostics, init_params, open_document, pulls, server_config, wait_until
from tests.user_env import make_user_env

CLIENTS = ["visual-studio-code", "neovim@v0.9.1"]  # pull with refresh, push
URI = "file:///workspace/train.py"
TEXT = (
    "from trl import SFTConfig\n"
    'config = SFTConfig(output_dir="x", max_seq_length=512, num_train_epoch=3, push_to_hub=True, hub_model_id="alice/x")\n'
)


@pytest.fixture(scope="module")
def old_trl(tmp_path_factory):
    return make_user_env(tmp_path_factory.mktemp("user") / "venv")


@pytest_lsp.fixture(config=server_config(), params=CLIENTS)
async def client(lsp_client: LanguageClient, request, old_trl):
    lsp_client.refreshes = 0  # type: ignore[attr-defined]
    features = lsp_client.protocol.fm.features
    original = features[types.WORKSPACE_DIAGNOSTIC_REFRESH]

    def record(*args):
        lsp_client.refreshes += 1  # type: ignore[attr-defined]
        return original(*args)

    features[types.WORKSPACE_DIAGNOSTIC_REFRESH] = record
    await lsp_client.initialize_session(init_params(request.param, options={"interpreter": old_trl}))
    yield
    await lsp_client.shutdown_session()


def _unknown(diags):
    return sorted(d.message.split(" does not accept ")[1].split(" ")[0] for d in diags if d.code == "HS109")


async def test_environment_signature_lands_and_is_republished(client: LanguageClient):
    open_document(client, URI, TEXT)
    if pulls(client):
        # The first answer never waits for jedi; the server asks the client to pull
        # again once the signature has landed.
        assert _unknown(await diagnostics(client, URI, 1)) == []
        await wait_until(lambda: client.refreshes, timeout=60)  # type: ignore[attr-defined]
        diags = await diagnostics(client, URI, 1)
    else:
        def with_hs109():
            published = [p for p in client.published if p.uri == URI]  # type: ignore[attr-defined]
            return published if published and _unknown(published[-1].diagnostics) else None

        published = await wait_until(with_hs109, timeout=60)
        assert _unknown(published[0].diagnostics) == []  # published before jedi answered
        diags = published[-1].diagnostics
    # The user's trl still takes max_seq_length: only the typo is reported, from that trl.
    assert _unknown(diags) == ["num_train_epoch"]
    assert "the installed trl" in next(d.message for d in diags if d.code == "HS109")
