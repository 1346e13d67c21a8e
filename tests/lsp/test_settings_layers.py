"""Settings layers in the language server: built-in, then pyproject.toml, then what the
editor user set; `extend-*` lists add up; editing pyproject.toml updates open documents."""

from __future__ import annotations

import sys

from lsprotocol import types
from pytest_lsp import ClientServerConfig

from hubsave.config import build_settings, normalize
from tests.lsp.harness import diagnostics, init_params, make_client, open_document, wait_until

SCRIPT = (
    'from transformers import AutoModel\n'
    'model = AutoModel.from_pretrained("gpt2")\n'
    'model.push_to_hub("username/m", token="hf_abc123...")\n'
    'model.push_to_hub("acme-demo/m")\n'
)


def test_extend_lists_add_up_across_layers_and_plain_lists_replace():
    project = normalize({"extend-placeholder-namespaces": ["acme-demo"], "ignore": ["HS402"]})
    editor = normalize({"extendPlaceholderNamespaces": ["beta-demo"]})
    settings, _ = build_settings(project, editor)
    assert {"username", "acme-demo", "beta-demo"} <= settings.placeholder_namespaces
    assert settings.ignore == {"HS402"}  # the editor did not set ignore: the project's stays
    settings, _ = build_settings(project, normalize({"ignore": ["HS108"], "placeholderNamespaces": ["only-this"]}))
    assert settings.ignore == {"HS108"}
    assert settings.placeholder_namespaces == {"only-this", "acme-demo"}


async def test_editing_pyproject_updates_open_documents(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.hubsave]\nextend-placeholder-namespaces = ["acme-demo"]\n')
    script = tmp_path / "push.py"
    script.write_text(SCRIPT)
    config = ClientServerConfig(server_command=[sys.executable, "-m", "hubsave", "lsp"], client_factory=make_client,
                                server_env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})
    client = await config.start()
    registrations: list[types.Registration] = client.registrations  # type: ignore[attr-defined]
    refreshes: list[None] = []
    features = client.protocol.fm.features
    answer_refresh = features[types.WORKSPACE_DIAGNOSTIC_REFRESH]

    def refresh(*args):
        refreshes.append(args[-1])
        return answer_refresh(*args)

    features[types.WORKSPACE_DIAGNOSTIC_REFRESH] = refresh

    client.set_configuration({})
    await client.initialize_session(init_params("visual_studio_code@v1.65.2+pull", tmp_path, {}))
    try:
        await wait_until(lambda: registrations, timeout=30)
        [watch] = registrations
        assert watch.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
        assert [w["globPattern"] for w in watch.register_options["watchers"]] == ["**/pyproject.toml"]

        open_document(client, script.as_uri(), SCRIPT)
        before = [(d.code, d.range.start.line) for d in await diagnostics(client, script.as_uri(), 1)]
        assert before == [("HS204", 2), ("HS402", 2), ("HS204", 3)]

        (tmp_path / "pyproject.toml").write_text('[tool.hubsave]\nignore = ["HS402"]\n')
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=(tmp_path / "pyproject.toml").as_uri(), type=types.FileChangeType.Changed)]))
        await wait_until(lambda: refreshes, timeout=30)  # the server asks the client to pull again
        after = [(d.code, d.range.start.line) for d in await diagnostics(client, script.as_uri(), 1)]
        assert after == [("HS204", 2)]
    finally:
        await client.shutdown_session()
        await client.stop()
