"""Diagnostics, quick fixes and edits over stdio with recorded editor capabilities."""

from __future__ import annotations

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.harness import (
    SEED_FULL_EXAMPLE,
    apply_text_edits,
    change_document,
    diagnostics,
    edits_of,
    encoding_of,
    init_params,
    open_document,
    pulls,
    server_config,
    wait_until,
)

# VS Code 1.65 (UTF-16, push), VS Code with vscode-languageclient 8+ (pull with refresh),
# Neovim 0.11 (UTF-8 first; pulls without refresh, so it gets pushes), Neovim 0.9 (push only).
CLIENTS = ["visual-studio-code", "visual-studio-code+pull", "neovim@v0.11.0", "neovim@v0.9.1"]
URI = "file:///workspace/train.py"


@pytest_lsp.fixture(config=server_config(), params=CLIENTS)
async def client(lsp_client: LanguageClient, request):
    await lsp_client.initialize_session(init_params(request.param))
    yield
    await lsp_client.shutdown_session()


def _codes(diags):
    return sorted((d.range.start.line, d.code) for d in diags)


async def test_seed_full_example(client: LanguageClient):
    text = SEED_FULL_EXAMPLE.read_text(encoding="utf-8")
    open_document(client, URI, text)
    diags = await diagnostics(client, URI, 1)
    assert _codes(diags) == [(17, "HS204"), (20, "HS104"), (21, "HS104"), (22, "HS104")]
    first = next(d for d in diags if d.code == "HS104")
    assert first.source == "hubsave"
    assert first.severity == types.DiagnosticSeverity.Error
    assert list(first.tags) == [types.DiagnosticTag.Deprecated]
    assert first.range == types.Range(types.Position(20, 4), types.Position(20, 54))
    assert "TypeError" in first.message


@pytest.mark.parametrize("prefix", ["🤗🚀 ", "é ", ""])
async def test_ranges_follow_the_negotiated_encoding(client: LanguageClient, prefix: str):
    text = f'from trl import SFTConfig\nconfig = ["{prefix}", SFTConfig(output_dir="x")]\n'
    open_document(client, URI, text)
    diags = await diagnostics(client, URI, 1)
    assert [d.code for d in diags] == ["HS101"]
    start = text.splitlines()[1].index("SFTConfig")
    head = text.splitlines()[1][:start]
    encoding = encoding_of(client)
    units = {"utf-8": len(head.encode("utf-8")), "utf-16": len(head.encode("utf-16-le")) // 2, "utf-32": len(head)}
    assert diags[0].range.start == types.Position(1, units[encoding])
    assert diags[0].range.end.character - diags[0].range.start.character == len("SFTConfig")


async def test_without_the_login_the_push_fix_is_not_offered(client: LanguageClient):
    # HS101's fix adds hub_model_id with it (or HS103 would follow at once); without the
    # Hub login it is a snippet, and these clients do not take snippet edits.
    text = 'from trl import SFTConfig\n\nconfig = SFTConfig(\n    output_dir="qwen",  # where\n    num_train_epochs=3,\n)\n'
    open_document(client, URI, text)
    diags = await diagnostics(client, URI, 1)
    assert [d.code for d in diags] == ["HS101"]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=diags[0].range,
            context=types.CodeActionContext(diagnostics=diags),
        )
    )
    assert [a.title for a in actions] == ["Ignore HS101 on this line"]


async def test_suppression_action_adds_a_comment(client: LanguageClient):
    text = 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="x")\n'
    open_document(client, URI, text)
    diags = await diagnostics(client, URI, 1)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=diags[0].range,
            context=types.CodeActionContext(diagnostics=diags),
        )
    )
    ignore = [a for a in actions if a.title == "Ignore HS101 on this line"]
    assert ignore
    new_text = apply_text_edits(text, edits_of(ignore[0].edit, URI), encoding_of(client))
    assert new_text.splitlines()[1] == 'config = SFTConfig(output_dir="x")  # hubsave: ignore[HS101]'
    change_document(client, URI, 2, new_text)
    assert await diagnostics(client, URI, 2) == []


async def test_fix_all_source_action_applies_safe_fixes_only(client: LanguageClient):
    text = (
        "from huggingface_hub import run_uv_job\n"
        'run_uv_job("train.py", secrets={"HF_TOKEN": "$HF_TOKEN"})\n'
        'hf_jobs("uv", {"script": "https://example.com/train.py"})\n'
    )
    open_document(client, URI, text)
    await diagnostics(client, URI, 1)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=types.Range(types.Position(0, 0), types.Position(0, 0)),
            context=types.CodeActionContext(diagnostics=[], only=["source.fixAll"]),
        )
    )
    assert [a.kind for a in actions] == ["source.fixAll.hubsave"]
    # Every client here resolves code actions: the edit is computed when fix-all is chosen.
    assert actions[0].edit is None
    resolved = await client.code_action_resolve_async(actions[0])
    new_text = apply_text_edits(text, edits_of(resolved.edit, URI), encoding_of(client))
    # HS306's fix is safe; the timeouts (HS304, a guess at the length) and the token
    # handed to a job (HS301) are unsafe: left for the user to choose.
    assert new_text == (
        "from huggingface_hub import run_uv_job, get_token\n"
        'run_uv_job("train.py", secrets={"HF_TOKEN": get_token()})\n'
        'hf_jobs("uv", {"script": "https://example.com/train.py"})\n'
    )
    change_document(client, URI, 2, new_text)
    assert sorted(d.code for d in await diagnostics(client, URI, 2)) == ["HS301", "HS304", "HS304"]


async def test_findings_survive_typing_that_breaks_the_parse(client: LanguageClient):
    lines = [
        "from trl import SFTConfig",
        'a = SFTConfig(output_dir="a")',  # line 1: HS101, before the edit
        "",
        "x = 1",  # line 3: the edit happens here
        "",
        'b = SFTConfig(output_dir="b")',  # line 5: HS101, after the edit
    ]
    text = "\n".join(lines) + "\n"
    open_document(client, URI, text)
    assert _codes(await diagnostics(client, URI, 1)) == [(1, "HS101"), (5, "HS101")]
    # The user inserts two lines and is half-way through a call: the file does not parse.
    broken = lines[:3] + ['c = SFTConfig(output_dir="c",', "    push_to", "x = 1"] + lines[4:]
    change_document(client, URI, 2, "\n".join(broken) + "\n")
    assert _codes(await diagnostics(client, URI, 2)) == [(1, "HS101"), (7, "HS101")]
    # Inside the edited region: a finding there waits for the next successful parse.
    edited_config = lines[:1] + ['a = SFTConfig(output_dir="a"'] + lines[2:]
    change_document(client, URI, 3, "\n".join(edited_config) + "\n")
    assert _codes(await diagnostics(client, URI, 3)) == [(5, "HS101")]
    fixed = broken[:3] + ['c = SFTConfig(output_dir="c",', "    push_to_hub=True, hub_model_id='me/c')", "x = 1"] + lines[4:]
    change_document(client, URI, 4, "\n".join(fixed) + "\n")
    assert _codes(await diagnostics(client, URI, 4)) == [(1, "HS101"), (7, "HS101")]


async def test_incremental_changes(client: LanguageClient):
    text = 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="x")\n'
    open_document(client, URI, text)
    assert [d.code for d in await diagnostics(client, URI, 1)] == ["HS101"]
    insert_at = types.Position(1, len('config = SFTConfig(output_dir="x"'))
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(insert_at, insert_at), text=", push_to_hub=False"
                )
            ],
        )
    )
    assert [d.code for d in await diagnostics(client, URI, 2)] == ["HS102"]


async def test_close_clears_pushed_diagnostics(client: LanguageClient):
    if pulls(client):
        pytest.skip("pull clients drop a closed document's diagnostics themselves")
    open_document(client, URI, 'from trl import SFTConfig\nSFTConfig(output_dir="x")\n')
    assert await diagnostics(client, URI, 1)
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=URI)))
    await wait_until(lambda: client.published[-1].uri == URI and len(client.published[-1].diagnostics) == 0)


async def test_hover_on_a_diagnostic_shows_the_rule_doc(client: LanguageClient):
    open_document(client, URI, 'from trl import SFTConfig\nSFTConfig(output_dir="x")\n')
    diags = await diagnostics(client, URI, 1)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=URI), position=diags[0].range.start)
    )
    assert hover is not None
    assert "HS101 push-to-hub-missing" in hover.contents.value
    assert "## Bad" in hover.contents.value
    nothing = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(0, 0))
    )
    assert nothing is None
