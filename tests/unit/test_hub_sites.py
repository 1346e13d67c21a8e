"""The repo-id locator, the completion slots and the live rules HS701/HS702 (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from hubsave.analysis import analyze
from hubsave.analysis.document import Document
from hubsave.analysis.hub_sites import is_repo_id, repo_sites, site_at
from hubsave.analysis.settings import Settings
from hubsave.analysis.value_slots import slot_at
from hubsave.fixes.apply import apply_fix

SCRIPT = '''\
from datasets import load_dataset
from huggingface_hub import create_repo, upload_folder, hf_hub_download
from transformers import AutoModelForCausalLM
from trl import SFTConfig, SFTTrainer

model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2.5-0.5B")
local = AutoModelForCausalLM.from_pretrained("./checkpoints/last")
data = load_dataset("trl-lib/Capybara", split="train")
create_repo("acme/shared-model", exist_ok=True)
upload_folder(repo_id="alice/qwen-sft", folder_path="out", repo_type="dataset")
hf_hub_download(repo_id="bob/llama-dpo", filename="config.json")
pushed = SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/qwen-sft")
derived = SFTConfig(output_dir="runs/qwen-derived", push_to_hub=True)
local_only = SFTConfig(output_dir="runs/local")
trainer = SFTTrainer(model="Qwen/Qwen2.5-0.5B", args=pushed, train_dataset=data)
trainer.push_to_hub("final commit message")
model.push_to_hub("alice/merged")
'''


def _sites():
    return [(s.span.start_line, s.kind, s.repo_type, s.repo_id, s.call) for s in repo_sites(Document(SCRIPT))]


def test_every_kind_of_site_with_its_type():
    assert _sites() == [
        (5, "model", "model", "Qwen/Qwen2.5-0.5B", "from_pretrained"),
        (6, "model", "model", "./checkpoints/last", "from_pretrained"),
        (7, "dataset", "dataset", "trl-lib/Capybara", "load_dataset"),
        (8, "push", "model", "acme/shared-model", "create_repo"),
        (9, "push", "dataset", "alice/qwen-sft", "upload_folder"),
        (10, "model", "model", "bob/llama-dpo", "hf_hub_download"),
        (11, "push", "model", "alice/qwen-sft", "hub_model_id"),
        (12, "derived", "model", "qwen-derived", "SFTConfig"),  # on the class name
        (12, "derived", "model", "qwen-derived", "SFTConfig"),  # and on output_dir
        (14, "model", "model", "Qwen/Qwen2.5-0.5B", "SFTTrainer"),
        (16, "push", "model", "alice/merged", "push_to_hub"),
    ]


def test_site_at_finds_the_literal_under_the_cursor():
    doc = Document(SCRIPT)
    sites = repo_sites(doc)
    line = SCRIPT.splitlines()[11]
    col = line.index("alice/qwen-sft") + 3
    assert site_at(sites, 11, col).repo_id == "alice/qwen-sft"
    assert site_at(sites, 11, 0) is None
    derived_line = SCRIPT.splitlines()[12]
    assert site_at(sites, 12, derived_line.index("SFTConfig") + 1).kind == "derived"


def test_repo_id_shape():
    assert is_repo_id("gpt2") and is_repo_id("alice/qwen-sft") and is_repo_id("Qwen/Qwen2.5-0.5B")
    for bad in ("./out", "/data/x", "a/b/c", "a--b", "x..y", "repo.git", "", "-x", "alice/",
                "hf_abcdefghijklmnopqrstuvwxyz012345", "alice/hf_abcdefghijklmnopqrstuvwxyz012345"):
        assert not is_repo_id(bad), bad


def test_completion_slots():
    text = ('from trl import SFTConfig\nfrom huggingface_hub import run_uv_job\n'
            'c = SFTConfig(hub_strategy="ev", save_strategy="", hub_model_id="")\n'
            'run_uv_job("train.py", flavor="a10")\n'
            'hf_jobs("uv", {"script": "train.py", "flavor": ""})\n')
    doc = Document(text)
    line2 = text.splitlines()[2]
    slot = slot_at(doc, 2, line2.index('"ev"') + 3)
    assert (slot.kind, slot.text, slot.content.start_col) == ("hub_strategy", "ev", line2.index('"ev"') + 1)
    assert slot_at(doc, 2, line2.index('""') + 1).kind == "save_strategy"
    repo = slot_at(doc, 2, line2.rindex('""') + 1)
    assert repo.kind == "repo" and repo.site.check == "push"
    flavor = slot_at(doc, 3, text.splitlines()[3].index("a10") + 3)
    assert (flavor.kind, flavor.job_form) == ("flavor", "python")
    assert slot_at(doc, 4, text.splitlines()[4].rindex('""') + 1).job_form == "mcp"
    assert slot_at(doc, 3, 2) is None


@dataclass(frozen=True)
class Verdict:
    outcome: str
    message: str


def _live(verdicts, live=True):
    settings = Settings(live_hub=live, hub_verdicts=verdicts)
    return [(f.span.start_line, f.code, f.message) for f in analyze(SCRIPT, None, settings).findings
            if f.code.startswith("HS7")]


def test_live_rules_read_the_verdicts_they_are_given():
    verdicts = {
        ("push", "model", "alice/qwen-sft"): Verdict("forbidden", "your token is read-only"),
        ("push", "model", "qwen-derived"): Verdict("forbidden", "read-only token"),
        ("push", "model", "acme/shared-model"): Verdict("push", "exists: pushes go into it"),
        ("read", "dataset", "trl-lib/Capybara"): Verdict("missing", "dataset trl-lib/Capybara not found"),
        ("read", "model", "Qwen/Qwen2.5-0.5B"): Verdict("no_access", "gated, no access"),
        ("read", "model", "bob/llama-dpo"): Verdict("unknown", "Hub did not answer within 3 s"),
    }
    found = _live(verdicts)
    assert [(line, code) for line, code, _ in found] == [
        (5, "HS702"), (7, "HS702"), (11, "HS701"), (12, "HS701"), (14, "HS702")]
    assert found[2][2] == "the push will fail: your token is read-only"
    assert found[1][2] == "loading it will fail: dataset trl-lib/Capybara not found"


def test_live_rules_are_opt_in_and_silent_without_answers():
    forbidden = {("push", "model", "alice/qwen-sft"): Verdict("forbidden", "no")}
    assert _live(forbidden, live=False) == []
    assert _live({}) == []


def test_hs103_offers_each_writable_namespace():
    text = 'from trl import SFTConfig\nc = SFTConfig(output_dir="qwen-sft", push_to_hub=True)\n'
    settings = Settings(namespace="alice", namespaces=("alice", "acme", "bigco"))
    finding = next(f for f in analyze(text, None, settings).findings if f.code == "HS103")
    titles = [fix.title for fix in (finding.fix, *finding.alternatives)]
    assert titles == ['Add hub_model_id="alice/qwen-sft"', 'Add hub_model_id="acme/qwen-sft"',
                      'Add hub_model_id="bigco/qwen-sft"']
    fixed = apply_fix(text, finding.alternatives[0])
    assert 'hub_model_id="acme/qwen-sft"' in fixed
    assert not [f for f in analyze(fixed, None, settings).findings if f.code == "HS103"]


def test_every_flavor_has_its_hardware_detail():
    from hubsave.analysis.hardware import DETAILS, hardware_for
    from hubsave.analysis.rules.job_options import JOB_HARDWARE, MCP_FLAVORS

    assert set(DETAILS) == set(JOB_HARDWARE) | set(MCP_FLAVORS)
    assert list(hardware_for("python")) == list(JOB_HARDWARE)
    assert list(hardware_for("mcp")) == list(MCP_FLAVORS)
    assert all(detail for detail in DETAILS.values())
