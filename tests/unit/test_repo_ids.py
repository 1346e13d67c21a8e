"""Repo-id facts (what Hub hover and HS702 read) and the validation they rest on."""

from __future__ import annotations

import pytest

from hubsave.analysis.document import Document
from hubsave.analysis.facts import Facts
from hubsave.analysis.repo_id import clearly_an_id, looks_like_local_path, problem, repair, split
from hubsave.analysis.repo_sites import LOAD_REFERENCE, PUSH_TARGET
from hubsave.analysis.strings import rewrite, rewrite_start

SCRIPT = '''\
from datasets import load_dataset
from huggingface_hub import HfApi, snapshot_download
from transformers import AutoModel, pipeline
from trl import SFTConfig, SFTTrainer

REPO = "alice/qwen-sft"
config = SFTConfig(output_dir="o", push_to_hub=True, hub_model_id=REPO)
data = load_dataset("trl-lib/Capybara", split="train")
trainer = SFTTrainer(model="Qwen/Qwen2.5-0.5B", args=config, train_dataset=data)
trainer.push_to_hub("End of training")
model = AutoModel.from_pretrained("./output_dir")
model.push_to_hub(f"your-username/{config.output_dir}")
HfApi().upload_folder(repo_id="alice/ds", folder_path="d", repo_type="dataset")
snapshot_download("alice/space", repo_type="space")
pipe = pipeline("text-generation", model="gpt2")
'''


@pytest.fixture(scope="module")
def sites():
    doc = Document(SCRIPT, "train.py")
    return {(s.origin, doc.span(s.node).start_line + 1): s for s in Facts.of(doc).repo_ids}


def test_every_place_an_id_goes(sites):
    summary = {key: (s.kind, s.value, s.repo_type, s.may_be_path) for key, s in sites.items()}
    assert summary == {
        ("hub_model_id", 6): (PUSH_TARGET, "alice/qwen-sft", "model", False),  # traced to the literal
        ("load_dataset", 8): (LOAD_REFERENCE, "trl-lib/Capybara", "dataset", True),
        ("model", 9): (LOAD_REFERENCE, "Qwen/Qwen2.5-0.5B", "model", True),
        ("from_pretrained", 11): (LOAD_REFERENCE, "./output_dir", "model", True),
        ("push_to_hub", 12): (PUSH_TARGET, None, None, False),
        ("upload_folder", 13): (PUSH_TARGET, "alice/ds", "dataset", False),
        ("snapshot_download", 14): (LOAD_REFERENCE, "alice/space", "space", False),
        ("pipeline", 15): (LOAD_REFERENCE, "gpt2", "model", True),
    }  # no site for the trainer's commit message


def test_traced_site_keeps_both_places(sites):
    site = sites[("hub_model_id", 6)]
    assert site.traced and site.call is not None and site.use.lineno == 7 and site.node.lineno == 6


def test_f_string_namespace(sites):
    site = sites[("push_to_hub", 12)]
    assert site.value is None and site.prefix == "your-username/" and site.namespace == "your-username"


@pytest.mark.parametrize(
    "repo_id, reason",
    [
        ("alice/model", None),
        ("gpt2", None),
        ("Alice/Qwen2.5-0.5B_v1", None),
        ("a/b/c", "more than one '/'"),
        ("alice/my model", "contains a space"),
        ("alice/", "has an empty part"),
        ("alice/m@v1", "contains '@' (only letters, digits, '-', '_' and '.' are allowed)"),
        ("alice/" + "m" * 97, "a part is longer than 96 characters"),
        ("-alice/m", "a part starts or ends with '-' or '.'"),
        ("alice/m.", "a part starts or ends with '-' or '.'"),
        ("alice/a--b", "contains '--' or '..'"),
        ("alice/a..b", "contains '--' or '..'"),
        ("alice/model.git", "ends with '.git'"),
    ],
)
def test_problem_follows_validate_repo_id(repo_id, reason):
    assert problem(repo_id) == reason


@pytest.mark.parametrize(
    "repo_id, repaired",
    [
        ("alice/my model", "alice/my-model"),
        (" alice/m ", "alice/m"),
        ("alice/a--b", "alice/a-b"),
        ("alice/m.git", "alice/m"),
        ("https://huggingface.co/alice/m", "alice/m"),
        ("https://huggingface.co/datasets/alice/m", None),  # needs a repo_type too
        ("alice/m@v1", None),
        ("a/b/c", None),
    ],
)
def test_repair_only_when_unambiguous(repo_id, repaired):
    assert repair(repo_id) == repaired
    if repaired:
        assert problem(repaired) is None


def test_paths_and_ids():
    assert split("alice/m") == ("alice", "m") and split("m") == (None, "m")
    for path in ("./out", "/data/ckpt", "~/m", "C:\\m", "runs/exp/checkpoint-500", "data/train.jsonl"):
        assert looks_like_local_path(path) and not clearly_an_id(path)
    assert clearly_an_id("meta-llama/Llama--3") and not clearly_an_id("outputs/my run")
    assert not clearly_an_id("gpt2")  # no namespace: may be a folder


def test_literal_rewrites_keep_the_users_quotes():
    assert rewrite("'a b'", "a b", "a-b") == "'a-b'"
    assert rewrite('"a" "b"', "ab", "c") is None  # implicit concatenation
    assert rewrite('"a\\tb"', "a\tb", "c") is None  # escapes
    assert rewrite_start('f"username/{x}"', "username/", "alice/") == 'f"alice/{x}"'
    assert rewrite_start("'username/m'", "username/", 'al"ice/') == "'al\"ice/m'"
    assert rewrite_start("'username/m'", "username/", "al'ice/") is None


def test_has_space_accepts_exactly_what_str_isspace_accepts():
    from hubsave.analysis.repo_id import has_space

    every = (chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    assert all(has_space(c) == c.isspace() for c in every)
    assert not has_space("") and has_space("alice/my model") and not has_space("alice/model")
