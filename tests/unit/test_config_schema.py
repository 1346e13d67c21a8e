"""The bundled trainer-config schema, as HS109 sees it."""

import json
import subprocess
import sys

import pytest

from hubsave.analysis import config_schema as cs

HUB_FIELDS = {"push_to_hub", "hub_model_id", "hub_strategy", "hub_token", "hub_private_repo", "output_dir", "save_strategy"}
REMOVED_HUB = {"push_to_hub_model_id", "push_to_hub_organization", "push_to_hub_token"}

# RULES.md "What counts as a trainer config" and FACTS.md "TRL 1.x".
STABLE = ["SFTConfig", "DPOConfig", "GRPOConfig", "KTOConfig", "RewardConfig", "RLOOConfig", "DistillationConfig"]
EXPERIMENTAL = {
    "A2POConfig": "a2po", "AsyncDistillationConfig": "async_distillation", "AsyncGRPOConfig": "async_grpo",
    "CPOConfig": "cpo", "ORPOConfig": "orpo", "OnlineDPOConfig": "online_dpo", "TPOConfig": "tpo",
    "IWOPDConfig": "iw_opd", "SDFTConfig": "sdft", "SDPOConfig": "sdpo", "GKDConfig": "gkd", "GOLDConfig": "gold",
    "GMPOConfig": "gmpo", "ServerDistillationConfig": "server_distillation",
}
OLDER = ["PPOConfig", "BCOConfig", "XPOConfig", "NashMDConfig", "PRMConfig"]


def test_versions_are_recorded():
    versions = cs.schema_versions()
    assert int(versions["trl"].split(".")[0]) >= 1
    assert int(versions["transformers"].split(".")[0]) >= 5


@pytest.mark.parametrize("spelling", ["trl.SFTConfig", "SFTConfig", "trl.trainer.SFTConfig", "trl.trainer.sft_config.SFTConfig"])
def test_sft_config_spellings_resolve_to_one_class(spelling):
    schema = cs.resolve_class(spelling)
    assert schema is not None
    assert schema.qualname == "trl.trainer.sft_config.SFTConfig"
    assert "trl.SFTConfig" in schema.import_paths


def test_sft_config_keywords_include_inherited_training_arguments():
    keywords = cs.accepted_keywords("trl.SFTConfig")
    assert HUB_FIELDS <= keywords
    assert {"max_length", "packing", "dataset_text_field", "learning_rate"} <= keywords
    assert "max_seq_length" not in keywords


def test_sft_config_field_details_keep_trl_defaults():
    fields = cs.resolve_class("SFTConfig").fields
    assert fields["max_length"].default == "1024"
    assert fields["gradient_checkpointing"].default == "True"  # TRL's override of TrainingArguments
    assert fields["push_to_hub"].default == "False"
    assert "int" in fields["max_length"].type


@pytest.mark.parametrize("name", STABLE)
def test_stable_configs_are_trainer_configs(name):
    schema = cs.resolve_class(f"trl.{name}")
    assert schema is not None and schema.package == "trl"
    assert HUB_FIELDS <= schema.keywords
    assert REMOVED_HUB <= schema.removed


@pytest.mark.parametrize("name,module", sorted(EXPERIMENTAL.items()))
def test_experimental_configs_resolve_by_their_import_path(name, module):
    schema = cs.resolve_class(f"trl.experimental.{module}.{name}")
    assert schema is not None, name
    assert schema.name == name
    assert HUB_FIELDS <= schema.keywords
    assert name in cs.config_classes()


def test_subclasses_inherit_their_parents_fields_and_renames():
    sft = cs.accepted_keywords("SFTConfig")
    for child in ("GKDConfig", "GOLDConfig"):
        assert sft <= cs.accepted_keywords(child)
        assert cs.suggest(child, "max_seq_length") == "max_length"
    assert cs.accepted_keywords("GRPOConfig") <= cs.accepted_keywords("GMPOConfig")
    assert cs.resolve_class("GMPOConfig").bases == ("trl.trainer.grpo_config.GRPOConfig",)


def test_transformers_classes():
    ta = cs.resolve_class("transformers.TrainingArguments")
    s2s = cs.resolve_class("transformers.Seq2SeqTrainingArguments")
    assert ta.package == s2s.package == "transformers"
    assert HUB_FIELDS <= ta.keywords
    assert ta.keywords < s2s.keywords
    assert "predict_with_generate" in s2s.keywords - ta.keywords
    assert cs.resolve_class("transformers.training_args.TrainingArguments") is ta


def test_removed_hub_arguments_and_their_replacements():
    for name in ("TrainingArguments", "SFTConfig", "ORPOConfig"):
        assert REMOVED_HUB <= cs.removed_keywords(name)
        assert not REMOVED_HUB & cs.accepted_keywords(name)
    assert cs.suggest("SFTConfig", "push_to_hub_model_id") == "hub_model_id"
    assert cs.suggest("SFTConfig", "push_to_hub_organization") == "hub_model_id"
    assert cs.suggest("TrainingArguments", "push_to_hub_token") == "hub_token"
    assert cs.suggest("DPOConfig", "evaluation_strategy") == "eval_strategy"


def test_suggest_close_matches_and_silence():
    assert cs.suggest("SFTConfig", "max_seq_length") == "max_length"
    assert cs.suggest("DPOConfig", "learing_rate") == "learning_rate"
    assert cs.suggest("DPOConfig", "num_epochs") == "num_train_epochs"
    assert cs.suggest("DPOConfig", "Push_To_Hub") == "push_to_hub"
    assert cs.suggest("DPOConfig", "batch_size") is None
    assert cs.suggest("DPOConfig", "completely_unrelated_thing") is None
    assert cs.suggest("NoSuchConfig", "max_seq_length") is None


def test_suggest_uses_the_environment_keywords_when_given():
    env = frozenset({"output_dir", "max_seq_length", "push_to_hub"})
    # The rename target is not accepted by the user's (older) trl: do not offer it.
    assert cs.suggest("SFTConfig", "max_seq_lenght", keywords=env) == "max_seq_length"
    assert cs.suggest("SFTConfig", "max_seq_length", keywords=frozenset({"output_dir"})) is None


def test_older_trl_names_count_as_configs_without_schema():
    names = cs.config_classes()
    for name in OLDER:
        assert name in names
        assert name in cs.known_without_schema()
        assert cs.resolve_class(name) is None
        assert cs.accepted_keywords(name) is None


def test_deprecated_duplicate_short_name_prefers_the_stable_class():
    assert cs.resolve_class("KTOConfig").qualname == "trl.trainer.kto_config.KTOConfig"
    assert cs.resolve_class("trl.experimental.kto.KTOConfig").qualname == "trl.experimental.kto.KTOConfig"
    assert cs.accepted_keywords("trl.experimental.kto.KTOConfig") == cs.accepted_keywords("KTOConfig")


def test_unknown_names_resolve_to_nothing():
    assert cs.resolve_class("trl.NotAConfig") is None
    assert cs.resolve_class("transformers.AutoModel") is None
    assert "_BaseConfig" not in cs.config_classes()


def test_every_class_in_the_json_builds():
    data = json.loads(cs._SCHEMA_FILE.read_text())
    for qualname in data["classes"]:
        schema = cs.resolve_class(qualname)
        assert schema.keywords and "output_dir" in schema.keywords, qualname


def test_schema_is_not_loaded_at_import_but_on_the_first_lookup():
    code = (
        "import hubsave.analysis.config_schema as cs\n"
        "assert cs._loaded is None\n"
        "assert 'output_dir' in cs.accepted_keywords('trl.SFTConfig')\n"
        "print(cs._loaded is not None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True"]


def test_concurrent_lookups_share_one_built_class():
    import threading

    results = []
    threads = [threading.Thread(target=lambda: results.append(cs.resolve_class("GOLDConfig"))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(r) for r in results}) == 1
