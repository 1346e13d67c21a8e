"""Code actions by fix grade, over a real LSP connection: safe fixes are preferred and
go into fix-all, guesses are offered but never preferred, display-only fixes come as
snippets, `unsafeFixes` opts fix-all in, fix-all's edit comes with codeAction/resolve."""

from __future__ import annotations

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.harness import (
    apply_text_edits,
    capabilities,
    change_document,
    diagnostics,
    edits_of,
    encoding_of,
    open_document,
    server_config,
    wait_until,
)

URI = "file:///workspace/train.py"
CONFIG = 'from trl import SFTConfig\n\nconfig = SFTConfig(\n    output_dir="runs/qwen",\n)\n'
GUESS = 'from trl import GRPOConfig\nGRPOConfig(output_dir="g", max_prompt_length=None, push_to_hub=True, hub_model_id="a/g")\n'


@pytest_lsp.fixture(config=server_config())
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


async def start(client: LanguageClient, caps: types.ClientCapabilities | None = None, **options) -> None:
    await client.initialize_session(
        types.InitializeParams(capabilities=caps or capabilities("visual-studio-code"), initialization_options=options)
    )


async def hs109(client: LanguageClient) -> list[types.Diagnostic]:
    """HS109 is published once the environment has answered (these clients are push clients)."""

    def found():
        for params in reversed(client.published):  # type: ignore[attr-defined]
            if params.uri == URI and any(d.code == "HS109" for d in params.diagnostics):
                return list(params.diagnostics)
        return None

    return await wait_until(found, timeout=60)


async def actions_at(client: LanguageClient, diags, only=None) -> list[types.CodeAction]:
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=diags[0].range if diags else types.Range(types.Position(0, 0), types.Position(0, 0)),
            context=types.CodeActionContext(diagnostics=diags, only=only),
        )
    )


async def test_push_fix_with_the_login_adds_hub_model_id_and_leaves_nothing(client: LanguageClient):
    await start(client, namespace="alice")
    open_document(client, URI, CONFIG)
    diags = await diagnostics(client, URI, 1)
    assert [d.code for d in diags] == ["HS101"]
    [preferred] = [a for a in await actions_at(client, diags) if a.is_preferred]
    assert preferred.title == 'Add push_to_hub=True, add hub_model_id="alice/qwen" (HS101)'
    new_text = apply_text_edits(CONFIG, edits_of(preferred.edit, URI), encoding_of(client))
    assert new_text == (
        'from trl import SFTConfig\n\nconfig = SFTConfig(\n    output_dir="runs/qwen",\n'
        '    push_to_hub=True,\n    hub_model_id="alice/qwen",\n)\n'
    )
    change_document(client, URI, 2, new_text)
    assert await diagnostics(client, URI, 2) == []  # no HS103 left behind


async def test_without_the_login_a_snippet_client_gets_a_placeholder_to_type(client: LanguageClient):
    caps = capabilities("visual-studio-code")
    caps.workspace.workspace_edit.snippet_edit_support = True
    await start(client, caps)
    open_document(client, URI, CONFIG)
    diags = await diagnostics(client, URI, 1)
    actions = await actions_at(client, diags)
    [snippet] = [a for a in actions if a.title.startswith("Add push_to_hub=True")]
    assert not snippet.is_preferred
    [edit] = edits_of(snippet.edit, URI)
    assert isinstance(edit, types.SnippetTextEdit)
    assert edit.snippet.value == '    push_to_hub=True,\n    hub_model_id="${1:your-namespace}/qwen",\n'
    # Nothing fix-all may apply: no source.fixAll action at all.
    assert await actions_at(client, [], only=["source.fixAll"]) == ()


async def test_a_guess_is_offered_but_not_preferred_and_not_in_fix_all(client: LanguageClient):
    await start(client)
    open_document(client, URI, GUESS)
    diags = await hs109(client)
    [guess] = [a for a in await actions_at(client, diags) if a.title.startswith("Rename")]
    assert guess.title == "Rename max_prompt_length to max_completion_length (a guess: check it) (HS109)"
    assert not guess.is_preferred
    assert await actions_at(client, [], only=["source.fixAll"]) == ()


async def test_the_unsafe_fixes_setting_puts_unsafe_fixes_in_fix_all(client: LanguageClient):
    await start(client, unsafeFixes=True)
    open_document(client, URI, GUESS)
    await hs109(client)
    [fix_all] = await actions_at(client, [], only=["source.fixAll"])
    assert fix_all.edit is None  # VS Code resolves: computed only when chosen
    resolved = await client.code_action_resolve_async(fix_all)
    new_text = apply_text_edits(GUESS, edits_of(resolved.edit, URI), encoding_of(client))
    assert "max_completion_length=None" in new_text


async def test_a_client_that_cannot_resolve_gets_fix_all_with_its_edit(client: LanguageClient):
    caps = capabilities("neovim@v0.9.1")
    caps.text_document.code_action.resolve_support = None
    await start(client, caps)
    text = 'from trl import SFTConfig\nSFTConfig(output_dir="o", max_seq_length=8, push_to_hub=True, hub_model_id="a/o")\n'
    open_document(client, URI, text)
    await hs109(client)
    [fix_all] = await actions_at(client, [], only=["source.fixAll"])
    assert fix_all.edit is not None
    new_text = apply_text_edits(text, edits_of(fix_all.edit, URI), encoding_of(client))
    assert "max_length=8" in new_text and "max_seq_length" not in new_text
