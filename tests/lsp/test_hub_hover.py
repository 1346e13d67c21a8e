"""Hover over repo ids in a real server process, answered by the stand-in Hub."""

from __future__ import annotations

import socket

import pytest

from tests.hubstub.scenario import ALICE_READ, ALICE_WRITE
from tests.lsp.harness import diagnostics, open_document
from tests.lsp.hub_harness import URI, hover_at, hub_login, hub_server, position_of

SCRIPT = '''\
from datasets import load_dataset
from transformers import AutoModelForCausalLM
from trl import SFTConfig

model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-3.1-8B")
gemma = AutoModelForCausalLM.from_pretrained("google/gemma-gated")
data = load_dataset("trl-lib/Capybarra")
mine = SFTConfig(output_dir="a", push_to_hub=True, hub_model_id="alice/qwen-sft")
new = SFTConfig(output_dir="b", push_to_hub=True, hub_model_id="alice/brand-new")
theirs = SFTConfig(output_dir="c", push_to_hub=True, hub_model_id="bob/llama-dpo")
org = SFTConfig(output_dir="d", push_to_hub=True, hub_model_id="acme/new-model")
readonly = SFTConfig(output_dir="e", push_to_hub=True, hub_model_id="readers/frozen-model")
derived = SFTConfig(output_dir="runs/qwen-derived", push_to_hub=True)
'''

# (what is hovered, what the markdown must say, what it must not say)
LOGGED_IN = {
    "your repo": ("alice/qwen-sft", ["**alice/qwen-sft** · push target (`hub_model_id`)",
                                     "✅ alice/qwen-sft exists (private, 12 downloads, 1 like, updated",
                                     ": pushes go into it", "[Open alice/qwen-sft on the Hub]({endpoint}/alice/qwen-sft)"]),
    "new repo": ("alice/brand-new", ["✅ alice/brand-new will be created on first push under alice"]),
    "someone else's repo": ("bob/llama-dpo", ["⛔ bob/llama-dpo is owned by bob: your login alice cannot push here (403)",
                                              "[Open bob/llama-dpo on the Hub]({endpoint}/bob/llama-dpo)"]),
    "org you can write to": ("acme/new-model", ["✅ acme/new-model will be created on first push under org acme "
                                                "(your role: write)"]),
    "org you can only read": ("readers/frozen-model", ["⛔ readers is an org where your login alice can only read: "
                                                       "pushing to readers/frozen-model fails (403)"]),
    "gated model with access": ("meta-llama/Llama-3.1-8B", ["**meta-llama/Llama-3.1-8B** · model (`from_pretrained`)",
                                                            "gated (manual approval)", "; your login has access"]),
    "gated model without access": ("google/gemma-gated", ["⛔ google/gemma-gated is gated and your login alice has no "
                                                          "access yet: request it on its page"]),
    "missing dataset": ("trl-lib/Capybarra", ["**trl-lib/Capybarra** · dataset (`load_dataset`)",
                                              "⛔ dataset trl-lib/Capybarra not found on the Hub"]),
    "derived repo": ("qwen-derived", ["**alice/qwen-derived** · push target of `SFTConfig` (no `hub_model_id`)",
                                      "`<your login>/<output_dir name>`: `alice/qwen-derived`",
                                      "✅ alice/qwen-derived will be created on first push under alice"]),
}


@pytest.fixture
async def alice(hub_stub):
    async with hub_server(hub_stub, ALICE_WRITE) as client:
        open_document(client, URI, SCRIPT)
        await diagnostics(client, URI, 1)
        yield client


@pytest.mark.parametrize("case", list(LOGGED_IN))
async def test_hover_outcome_logged_in(alice, hub_stub, case):
    needle, expected = LOGGED_IN[case]
    markdown, _ = await hover_at(alice, URI, position_of(SCRIPT, needle, 2))
    for text in expected:
        assert text.format(endpoint=hub_stub.endpoint) in markdown, (case, markdown)


async def test_hover_on_the_derived_config_name_and_rule_doc_combine(alice):
    # The config's class name carries both HS103's diagnostic and the derived repo.
    markdown, _ = await hover_at(alice, URI, position_of(SCRIPT, "SFTConfig(output_dir=\"runs", 2))
    assert markdown.startswith("**alice/qwen-derived** · push target")
    hs103, _ = await hover_at(alice, URI, position_of(SCRIPT, "push_to_hub=True)", 2))
    assert hs103.startswith("**HS103 hub-model-id-missing**") and "alice/qwen-derived" not in hs103


async def test_hover_read_only_token(hub_stub):
    async with hub_server(hub_stub, ALICE_READ) as client:
        open_document(client, URI, SCRIPT)
        markdown, _ = await hover_at(client, URI, position_of(SCRIPT, "alice/brand-new", 2))
    assert "⛔ your token is read-only: pushing to alice/brand-new fails (403)" in markdown


async def test_hover_without_login(hub_stub):
    async with hub_server(hub_stub, None) as client:
        open_document(client, URI, SCRIPT)
        push, _ = await hover_at(client, URI, position_of(SCRIPT, "alice/brand-new", 2))
        derived, _ = await hover_at(client, URI, position_of(SCRIPT, "qwen-derived", 2))
        model, _ = await hover_at(client, URI, position_of(SCRIPT, "meta-llama", 2))
    assert "⚠️ alice/brand-new does not exist yet (or is private); not logged in to the Hub " \
           "(run `hf auth login` or set HF_TOKEN)" in push
    assert "cannot check qwen-derived: not logged in to the Hub" in derived
    assert "meta-llama/Llama-3.1-8B is gated: log in and request access on its page" in model
    assert not any(r.authorization for r in hub_stub.requests)


async def test_hover_offline_sends_nothing(hub_stub):
    async with hub_server(hub_stub, ALICE_WRITE, env={"HF_HUB_OFFLINE": "1"}) as client:
        open_document(client, URI, SCRIPT)
        markdown, _ = await hover_at(client, URI, position_of(SCRIPT, "alice/qwen-sft", 2))
    assert "HF_HUB_OFFLINE is set: hubsave does not contact the Hub" in markdown
    assert hub_stub.count() == 0


async def test_hover_with_the_hub_turned_off_sends_nothing(hub_stub):
    options = {"hub": {"enabled": False}}
    async with hub_server(hub_stub, ALICE_WRITE, options=options) as client:
        open_document(client, URI, SCRIPT)
        markdown, _ = await hover_at(client, URI, position_of(SCRIPT, "bob/llama-dpo", 2))
        login = await hub_login(client)
    assert "Hub lookups are turned off (hubsave.hub.enabled is false)" in markdown
    assert login["loggedIn"] is False and "turned off" in login["error"]
    assert hub_stub.count() == 0


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_hover_when_the_hub_is_down(hub_stub):
    down = f"http://127.0.0.1:{_closed_port()}"
    async with hub_server(hub_stub, ALICE_WRITE, env={"HF_ENDPOINT": down}) as client:
        open_document(client, URI, SCRIPT)
        markdown, elapsed = await hover_at(client, URI, position_of(SCRIPT, "alice/qwen-sft", 2))
    assert f"cannot reach the Hub at {down} (connection refused or no network)" in markdown
    assert markdown.startswith("**alice/qwen-sft** · push target") and "⚠️" in markdown
    assert elapsed < 3.0  # refused at once, not waited out: the timeout is 3 s
