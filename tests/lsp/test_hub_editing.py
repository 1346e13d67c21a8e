"""Completions, inlay hints and the opt-in live diagnostics HS701/HS702 in a server process."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tests.hubstub.scenario import ALICE_WRITE
from tests.lsp.harness import change_document, diagnostics, open_document, wait_until
from tests.lsp.hub_harness import URI, eventually, hub_server, position_of

EDITING = '''\
from huggingface_hub import run_uv_job
from trl import SFTConfig
config = SFTConfig(output_dir="runs/qwen-sft", push_to_hub=True, hub_strategy="", save_strategy="ep")
named = SFTConfig(output_dir="x", push_to_hub=True, hub_model_id="qwen-sft")
run_uv_job("train.py", flavor="a10")
hf_jobs("uv", {"script": "train.py", "flavor": ""})
'''


async def _complete(client, text: str, needle: str, offset: int, occurrence: int = 0) -> list[types.CompletionItem]:
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=position_of(text, needle, offset, occurrence)))
    return list(result.items) if result else []


@pytest.fixture
async def editing(hub_stub):
    async with hub_server(hub_stub, ALICE_WRITE) as client:
        open_document(client, URI, EDITING)
        await diagnostics(client, URI, 1)
        yield client


async def test_completion_of_flavors_with_gpu_and_memory(editing):
    items = await _complete(editing, EDITING, '"a10"', 4)
    by_label = {i.label: i for i in items}
    assert by_label["a10g-large"].detail.startswith("1x NVIDIA A10G · 24 GB GPU memory")
    assert by_label["h200x8"].detail.startswith("8x NVIDIA H200")
    assert by_label["cpu-basic"].detail.startswith("CPU only")
    edit = by_label["a10g-large"].text_edit
    line = EDITING.splitlines()[4]
    assert (edit.range.start.character, edit.range.end.character) == (line.index("a10"), line.index("a10") + 3)
    mcp = {i.label for i in await _complete(editing, EDITING, '""}', 1)}
    assert "zero-a10g" in mcp and "a10g-large" in mcp and "h200" not in mcp  # the MCP tool's enum


async def test_completion_of_strategies(editing):
    hub = await _complete(editing, EDITING, 'hub_strategy=""', len('hub_strategy="'))
    assert [i.label for i in hub] == ["end", "every_save", "checkpoint", "all_checkpoints"]
    assert "last-checkpoint" in hub[2].detail
    save = await _complete(editing, EDITING, '"ep"', 3)
    assert [i.label for i in save] == ["no", "epoch", "steps", "best"]
    assert await _complete(editing, EDITING, "output_dir", 2) == []  # not inside a value we know


async def test_completion_of_repo_ids_offers_the_writable_namespaces(editing):
    items = await _complete(editing, EDITING, '"qwen-sft"', 4)
    assert [(i.label, i.detail) for i in items] == [
        ("alice/qwen-sft", "your namespace"), ("acme/qwen-sft", "org acme (your role: write)"),
        ("bigco/qwen-sft", "org bigco (your role: admin)"), ("makers/qwen-sft", "org makers (your role: contributor)")]


@pytest.mark.parametrize("spec", ["neovim@v0.11.0"])  # asks the client to refresh its hints
async def test_inlay_hint_shows_the_derived_repo(hub_stub, spec):
    async with hub_server(hub_stub, ALICE_WRITE, spec=spec) as client:
        open_document(client, URI, EDITING)
        await eventually(lambda: _async(client.inlay_refreshes))  # the login arrived
        found = await client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=types.Range(types.Position(0, 0), types.Position(6, 0))))
    assert [(h.position.line, h.label) for h in found] == [(2, "→ alice/qwen-sft")]
    assert found[0].position.character == len(EDITING.splitlines()[2])


async def _async(value):
    return value


async def test_inlay_hint_without_a_login(hub_stub):
    async with hub_server(hub_stub, None) as client:
        open_document(client, URI, EDITING)
        found = await client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=types.Range(types.Position(0, 0), types.Position(6, 0))))
    assert [h.label for h in found] == ["→ <your login>/qwen-sft"]


LIVE = '''\
from datasets import load_dataset
from trl import SFTConfig
data = load_dataset("trl-lib/Capybarra")
ok = load_dataset("trl-lib/Capybara")
theirs = SFTConfig(output_dir="a", push_to_hub=True, hub_model_id="bob/llama-dpo")
mine = SFTConfig(output_dir="b", push_to_hub=True, hub_model_id="alice/qwen-sft")
'''


@pytest.mark.parametrize("spec", ["visual-studio-code", "neovim@v0.9.1"])  # pulled and pushed diagnostics
async def test_live_diagnostics_arrive_after_the_hub_answers(hub_stub, spec):
    options = {"hub": {"enabled": True, "liveDiagnostics": True, "timeout": 3.0}}
    async with hub_server(hub_stub, ALICE_WRITE, options=options, spec=spec) as client:
        open_document(client, URI, LIVE)

        async def live():
            found = [(d.range.start.line, d.code) for d in await diagnostics(client, URI, 1)
                     if str(d.code).startswith("HS7")]
            return found if len(found) == 2 else None

        found = await eventually(live)
        messages = {d.code: d.message for d in await diagnostics(client, URI, 1)}
        # A fixed id: the finding goes once the new answer is in.
        change_document(client, URI, 2, LIVE.replace("Capybarra", "Capybara"))

        async def fixed():
            codes = [d.code for d in await diagnostics(client, URI, 2)]
            return codes if "HS702" not in codes else None

        after = await eventually(fixed)
    assert found == [(2, "HS702"), (4, "HS701")]
    assert messages["HS701"] == "the push will fail: bob/llama-dpo is owned by bob: your login alice cannot push here (403)"
    assert "dataset trl-lib/Capybarra not found on the Hub" in messages["HS702"]
    assert after == ["HS701"]


async def test_live_diagnostics_are_off_by_default(hub_stub):
    async with hub_server(hub_stub, ALICE_WRITE) as client:
        open_document(client, URI, LIVE)
        await diagnostics(client, URI, 1)
        await wait_until(lambda: hub_stub.count("/api/whoami-v2") == 1)
        codes = [d.code for d in await diagnostics(client, URI, 1)]
    assert not [c for c in codes if c.startswith("HS7")]
    assert hub_stub.count() == 1  # the login only: no repo was looked up
