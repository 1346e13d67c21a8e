"""scripts/gen_config_schema.py on small wheels built here (offline): the AST reading
that produces data/config_schema.json."""

import importlib.util
import json
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from hubsave.analysis.config_schema import _Schema

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("gen_config_schema", ROOT / "scripts" / "gen_config_schema.py")
gen = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = gen  # dataclasses look their module up there
spec.loader.exec_module(gen)

TRANSFORMERS_NEW = {
    "transformers/__init__.py": "",
    "transformers/training_args.py": """
        from dataclasses import dataclass, field
        @dataclass
        class TrainingArguments:
            output_dir: str | None = field(default=None, metadata={"help": "x"})
            push_to_hub: bool = False
            hub_model_id: str | None = None
            hub_token: str | None = None
            eval_strategy: str = "no"
            _n_gpu: int = field(init=False, repr=False, default=-1)
            lr_kwargs: dict = field(default_factory=dict)
    """,
    "transformers/training_args_seq2seq.py": """
        from dataclasses import dataclass, field
        from .training_args import TrainingArguments
        @dataclass
        class Seq2SeqTrainingArguments(TrainingArguments):
            predict_with_generate: bool = False
    """,
}
TRL_NEW = {
    "trl/__init__.py": """
        from typing import TYPE_CHECKING
        _import_structure = {"trainer": ["SFTConfig", "OpenConfig"]}
        if TYPE_CHECKING:
            from .trainer import SFTConfig, OpenConfig
    """,
    "trl/trainer/__init__.py": """
        _import_structure = {"sft_config": ["SFTConfig"], "open_config": ["OpenConfig"]}
    """,
    "trl/trainer/base_config.py": """
        from dataclasses import dataclass, field
        from transformers import TrainingArguments
        @dataclass
        class _BaseConfig(TrainingArguments):
            logging_steps: float = field(default=10)
            hub_token: str | None = field(init=False, default=None)
    """,
    "trl/trainer/sft_config.py": """
        from dataclasses import dataclass, field, InitVar
        from typing import ClassVar
        from .base_config import _BaseConfig
        @dataclass
        class SFTConfig(_BaseConfig):
            NAMES: ClassVar[tuple] = ()
            max_length: int | None = 1024
            seed_in: InitVar[int] = 0
            callback: object = make_default()
    """,
    "trl/trainer/open_config.py": """
        from .sft_config import SFTConfig
        class OpenConfig(SFTConfig):
            def __init__(self, a=1, **kwargs):
                super().__init__(**kwargs)
    """,
    "trl/experimental/__init__.py": "",
    "trl/experimental/orpo/__init__.py": "from .orpo_config import ORPOConfig\n",
    "trl/experimental/orpo/orpo_config.py": """
        from dataclasses import dataclass
        from ...trainer.base_config import _BaseConfig
        @dataclass
        class ORPOConfig(_BaseConfig):
            beta: float = 0.1
    """,
    "trl/experimental/kto/__init__.py": """
        from dataclasses import dataclass
        from ...trainer import SFTConfig as _SFTConfig
        @dataclass
        class KTOLike(_SFTConfig):
            pass
    """,
    "trl/scripts/utils.py": """
        from dataclasses import dataclass
        @dataclass
        class ScriptArguments:
            dataset_name: str = ""
    """,
    "trl/scripts/sft.py": """
        from dataclasses import dataclass
        from .utils import ScriptArguments
        @dataclass
        class SFTScriptArguments(ScriptArguments):
            packing_note: str = ""
        def make_parser(subparsers=None, prog=None):
            from trl import SFTConfig, TrlParser
            dataclass_types = (SFTScriptArguments, SFTConfig)
            return TrlParser(dataclass_types, prog=prog)
    """,
}
TRANSFORMERS_OLD = {
    **TRANSFORMERS_NEW,
    "transformers/training_args.py": textwrap.dedent(TRANSFORMERS_NEW["transformers/training_args.py"])
    + "    evaluation_strategy: str = 'no'\n    push_to_hub_model_id: str | None = None\n",
}
TRL_OLD = {
    **TRL_NEW,
    "trl/trainer/sft_config.py": textwrap.dedent(TRL_NEW["trl/trainer/sft_config.py"]) + "    max_seq_length: int = 1024\n",
    "trl/trainer/ppo_config.py": """
        from dataclasses import dataclass
        from .base_config import _BaseConfig
        @dataclass
        class PPOConfig(_BaseConfig):
            kl_coef: float = 0.05
    """,
    "trl/trainer/__init__.py": """
        _import_structure = {"sft_config": ["SFTConfig"], "open_config": ["OpenConfig"], "ppo_config": ["PPOConfig"]}
    """,
}


def _wheel(directory: Path, dist: str, version: str, files: dict[str, str]) -> None:
    with zipfile.ZipFile(directory / f"{dist}-{version}-py3-none-any.whl", "w") as zf:
        for name, text in files.items():
            zf.writestr(name, textwrap.dedent(text))


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    wheels = tmp_path_factory.mktemp("wheels")
    _wheel(wheels, "transformers", "9.1.0", TRANSFORMERS_NEW)
    _wheel(wheels, "trl", "3.0.0", TRL_NEW)
    _wheel(wheels, "transformers", "4.57.6", TRANSFORMERS_OLD)
    _wheel(wheels, "trl", "0.29.1", TRL_OLD)
    out = wheels / "schema.json"
    assert gen.main(["--wheel-dir", str(wheels), "--skip-requirements", "--output", str(out)]) == 0
    return json.loads(out.read_text())


def test_newest_wheels_are_used_and_recorded(schema):
    assert schema["versions"] == {"trl": "3.0.0", "transformers": "9.1.0"}
    assert schema["compared_with"] == {"trl": "0.29.1", "transformers": "4.57.6"}


def test_only_training_arguments_subclasses_are_configs(schema):
    names = {c["name"] for c in schema["classes"].values()}
    assert names == {
        "TrainingArguments", "Seq2SeqTrainingArguments", "_BaseConfig", "SFTConfig", "OpenConfig", "ORPOConfig", "KTOLike",
    }


def test_import_paths_follow_lazy_and_plain_reexports(schema):
    classes = schema["classes"]
    assert classes["trl.trainer.sft_config.SFTConfig"]["import_paths"] == [
        "trl.SFTConfig", "trl.trainer.SFTConfig", "trl.trainer.sft_config.SFTConfig",
    ]
    assert "trl.experimental.orpo.ORPOConfig" in classes["trl.experimental.orpo.orpo_config.ORPOConfig"]["import_paths"]
    assert classes["trl.experimental.kto.KTOLike"]["bases"] == ["trl.trainer.sft_config.SFTConfig"]
    assert classes["trl.trainer.base_config._BaseConfig"]["import_paths"] == []
    assert "transformers.TrainingArguments" in classes["transformers.training_args.TrainingArguments"]["import_paths"]


def test_fields_defaults_and_exclusions(schema):
    sft = schema["classes"]["trl.trainer.sft_config.SFTConfig"]
    assert list(sft["fields"]) == ["max_length", "seed_in", "callback"]  # ClassVar is no field
    assert sft["fields"]["max_length"] == {"type": "int | None", "default": "1024"}
    assert sft["fields"]["seed_in"]["type"] == "int"  # InitVar unwrapped
    assert "default" not in sft["fields"]["callback"]  # not a literal
    ta = schema["classes"]["transformers.training_args.TrainingArguments"]
    assert "_n_gpu" not in ta["fields"] and ta["init_false"] == ["_n_gpu"]
    assert ta["fields"]["lr_kwargs"]["default"] == "<factory>"
    assert schema["classes"]["trl.trainer.base_config._BaseConfig"]["init_false"] == ["hub_token"]


def test_removed_and_renamed_from_the_previous_release(schema):
    ta = schema["classes"]["transformers.training_args.TrainingArguments"]
    assert {"evaluation_strategy", "push_to_hub_model_id", "push_to_hub_organization", "push_to_hub_token"} <= set(ta["removed"])
    assert ta["renames"]["evaluation_strategy"] == "eval_strategy"
    # hub_token is init=False on _BaseConfig in this made-up release: no rename to it.
    sft = schema["classes"]["trl.trainer.sft_config.SFTConfig"]
    assert sft["removed"] == ["max_seq_length"] and sft["renames"] == {"max_seq_length": "max_length"}
    assert "PPOConfig" in schema["known_without_schema"]
    assert "ScriptArguments" not in schema["known_without_schema"]


def test_loader_reads_what_the_generator_writes(schema):
    loaded = _Schema(schema)
    sft = loaded.build(loaded.by_short["SFTConfig"])
    assert sft.keywords == {"output_dir", "push_to_hub", "hub_model_id", "eval_strategy", "lr_kwargs", "logging_steps",
                            "max_length", "seed_in", "callback"}
    assert "hub_token" not in sft.keywords  # init=False on a base removes an inherited keyword
    assert loaded.build(loaded.by_path["trl.OpenConfig"]).keywords is None  # **kwargs
    assert loaded.build(loaded.by_short["KTOLike"]).keywords == sft.keywords
    assert sft.renames["max_seq_length"] == "max_length"
    assert sft.renames["push_to_hub_model_id"] == "hub_model_id"
    assert "push_to_hub_token" not in sft.renames  # its target is not accepted here


def test_trl_scripts_arguments_are_their_parsers_dataclasses(schema):
    sft = schema["scripts"]["sft"]
    assert sft["dataclasses"] == ["trl.scripts.sft.SFTScriptArguments", "trl.trainer.sft_config.SFTConfig"]
    assert {"dataset_name", "packing_note", "max_length", "push_to_hub", "output_dir"} <= set(sft["arguments"])
    assert "hub_token" not in sft["arguments"]  # init=False: HfArgumentParser adds no argument
    assert sft["renames"]["max_seq_length"] == "max_length" and "max_seq_length" in sft["removed"]


def test_requirement_lines_are_normalized():
    assert gen.parse_requirement('Pillow<=15.0,>=10.0.1; extra == "vision"') == ("pillow", [], "vision")
    assert gen.parse_requirement("transformers[hub_kernels]; extra == 'kernels'") == ("transformers", ["hub-kernels"], "kernels")
    assert gen.parse_requirement("huggingface_hub>=0.34.0") == ("huggingface-hub", [], None)


def test_changes_since_the_previous_release_rebuild_its_keywords(schema):
    classes = schema["classes"]
    # Each change is recorded once, on the class that made it; subclasses inherit it.
    assert classes["transformers.training_args.TrainingArguments"]["since_previous"] == {
        "added": [], "removed": ["evaluation_strategy", "push_to_hub_model_id"],
    }
    assert classes["trl.trainer.sft_config.SFTConfig"]["since_previous"] == {"added": [], "removed": ["max_seq_length"]}
    loaded = _Schema(schema)
    sft = loaded.build(loaded.by_short["SFTConfig"])
    assert sft.dropped == {"max_seq_length"} and sft.added == frozenset()


def test_conversions_reach_the_loader(tmp_path, monkeypatch):
    monkeypatch.setitem(gen.RENAMES, "TrainingArguments", {
        "evaluation_strategy": {"to": "eval_strategy", "values": [["steps", "steps"], [True, "epoch"]]},
    })
    wheels = tmp_path
    _wheel(wheels, "transformers", "9.1.0", TRANSFORMERS_NEW)
    _wheel(wheels, "trl", "3.0.0", TRL_NEW)
    _wheel(wheels, "transformers", "4.57.6", TRANSFORMERS_OLD)
    _wheel(wheels, "trl", "0.29.1", TRL_OLD)
    out = wheels / "schema.json"
    assert gen.main(["--wheel-dir", str(wheels), "--skip-requirements", "--output", str(out)]) == 0
    data = json.loads(out.read_text())
    ta = data["classes"]["transformers.training_args.TrainingArguments"]
    assert ta["rename_values"] == {"evaluation_strategy": {"values": [["steps", "steps"], [True, "epoch"]]}}
    loaded = _Schema(data)
    sft = loaded.build(loaded.by_short["SFTConfig"])  # inherited by subclasses
    conversion = sft.conversions["evaluation_strategy"]
    assert conversion.convert(True) == (True, "epoch") and conversion.convert(1) == (False, None)
