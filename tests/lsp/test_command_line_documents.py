"""Shell scripts and Markdown guides over stdio: diagnostics at file positions, quick fixes
written in the file's own syntax, hover on a command-line finding."""

from __future__ import annotations

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.harness import (
    apply_text_edits,
    change_document,
    diagnostics,
    edits_of,
    encoding_of,
    init_params,
    open_document,
    server_config,
)

CLIENTS = ["visual-studio-code", "visual-studio-code+pull", "neovim@v0.11.0"]
TRL_SFT = "https://raw.githubusercontent.com/huggingface/trl/main/trl/scripts/sft.py"
SCRIPT = (
    "#!/usr/bin/env bash\n"
    "hf jobs uv run --flavor a10g-small --timeout 2h \\\n"
    f'    "{TRL_SFT}" \\\n'
    "    --output_dir 'my model' --push_to_hub\n"
)
GUIDE = (
    "# Train on Jobs\n\n"
    "1. Write the config:\n\n"
    "   ```python\n"
    "   from trl import SFTConfig\n"
    '   config = SFTConfig(output_dir="out", push_to_hub_token=token)\n'
    "   ```\n\n"
    "```console\n"
    f"$ hf jobs uv run --secrets HF_TOKEN --timeout 2h {TRL_SFT} --output_dir out\n"
    "Job started\n"
    "```\n"
)


@pytest_lsp.fixture(config=server_config(), params=CLIENTS)
async def client(lsp_client: LanguageClient, request):
    await lsp_client.initialize_session(init_params(request.param))
    yield
    await lsp_client.shutdown_session()


async def _actions(client: LanguageClient, uri: str, diag: types.Diagnostic) -> list[types.CodeAction]:
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diag.range,
        context=types.CodeActionContext(diagnostics=[diag], only=[types.CodeActionKind.QuickFix]),
    ))


async def test_shell_script_diagnostic_fix_and_hover(client: LanguageClient):
    uri = "file:///workspace/launch.sh"
    open_document(client, uri, SCRIPT, language_id="shellscript")
    diags = await diagnostics(client, uri, 1)
    [secret] = [d for d in diags if d.code == "HS301"]
    assert secret.range.start == types.Position(1, 0)

    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri=uri), secret.range.start))
    assert hover is not None and "HS301" in hover.contents.value

    # Graded unsafe (it changes what the job can do): offered, not preferred.
    [fix] = [a for a in await _actions(client, uri, secret) if "--secrets HF_TOKEN" in a.title]
    assert not fix.is_preferred
    new_text = apply_text_edits(SCRIPT, edits_of(fix.edit, uri), encoding_of(client))
    assert "--secrets HF_TOKEN" in new_text.splitlines()[1] + new_text.splitlines()[2]
    assert new_text.splitlines()[3] == "    --output_dir 'my model' --push_to_hub"  # the rest as written
    change_document(client, uri, 2, new_text)
    assert "HS301" not in [d.code for d in await diagnostics(client, uri, 2)]


async def test_markdown_guide_python_and_console_blocks(client: LanguageClient):
    uri = "file:///workspace/guide.md"
    open_document(client, uri, GUIDE, language_id="markdown")
    diags = await diagnostics(client, uri, 1)
    by_code = {d.code: d for d in diags}
    assert sorted(by_code) == ["HS104", "HS111"]  # no HS101: a guide's config need not push
    column = GUIDE.splitlines()[6].index("push_to_hub_token")
    assert by_code["HS104"].range.start == types.Position(6, column)  # inside the indented block
    column = GUIDE.splitlines()[10].index("https://")
    assert by_code["HS111"].range.start == types.Position(10, column)

    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri=uri), by_code["HS111"].range.start))
    assert hover is not None and "HS111" in hover.contents.value

    [fix] = [a for a in await _actions(client, uri, by_code["HS111"]) if "--push_to_hub" in a.title]
    new_text = apply_text_edits(GUIDE, edits_of(fix.edit, uri), encoding_of(client))
    assert new_text.splitlines()[10] == f"$ hf jobs uv run --secrets HF_TOKEN --timeout 2h {TRL_SFT} --output_dir out --push_to_hub"
    assert new_text.splitlines()[11] == "Job started"
    [fix] = [a for a in await _actions(client, uri, by_code["HS104"]) if "hub_token" in a.title]
    new_text = apply_text_edits(new_text, edits_of(fix.edit, uri), encoding_of(client))
    assert new_text.splitlines()[6] == '   config = SFTConfig(output_dir="out", hub_token=token)'
    change_document(client, uri, 2, new_text)
    assert await diagnostics(client, uri, 2) == []


async def test_flavor_and_repo_id_hover_and_flavor_completion_in_a_script(client: LanguageClient):
    uri = "file:///workspace/sweep.sh"
    text = (
        "hf jobs uv run --flavor a10g-small --secrets HF_TOKEN --timeout 2h \\\n"
        f"  {TRL_SFT} --model_name_or_path Qwen/Qwen2-0.5B --output_dir o --push_to_hub\n"
        "hf jobs uv run --flavor \n"
    )
    open_document(client, uri, text, language_id="shellscript")
    await diagnostics(client, uri, 1)
    flavor_at = types.Position(0, text.index("a10g-small") + 2)
    hover = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri=uri), flavor_at))
    assert hover is not None and "1x NVIDIA A10G" in hover.contents.value
    assert hover.range == types.Range(types.Position(0, 24), types.Position(0, 34))

    repo_at = types.Position(1, text.splitlines()[1].index("Qwen/") + 3)
    hover = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri=uri), repo_at))
    assert hover is not None and "**Qwen/Qwen2-0.5B** · model" in hover.contents.value

    end = types.Position(2, len("hf jobs uv run --flavor "))
    completions = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(uri=uri), end))
    labels = [item.label for item in completions.items]
    assert "a100-large" in labels and "cpu-basic" in labels
    item = next(i for i in completions.items if i.label == "a100-large")
    assert item.text_edit.range == types.Range(end, end) and "A100" in item.detail
