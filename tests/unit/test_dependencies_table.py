"""HS501 support data: import names -> distributions, what dependencies provide."""

import sys

import pytest

from hubsave.analysis import dependencies_table as dt


@pytest.mark.parametrize(
    "module,dist",
    [
        ("sklearn", "scikit-learn"), ("yaml", "PyYAML"), ("PIL", "pillow"), ("cv2", "opencv-python"),
        ("bs4", "beautifulsoup4"), ("flash_attn", "flash-attn"), ("huggingface_hub", "huggingface-hub"),
        ("torch", "torch"), ("trl", "trl"), ("wandb", "wandb"), ("trackio", "trackio"), ("dateutil", "python-dateutil"),
    ],
)
def test_distribution_for_import(module, dist):
    assert dt.distribution_for_import(module) == dist


@pytest.mark.parametrize("module", ["os", "json", "dataclasses", "asyncio", "tomllib", "__future__", "sys"])
def test_stdlib_needs_no_distribution(module):
    assert dt.is_stdlib(module)
    assert dt.distribution_for_import(module) is None


def test_unknown_module_is_none_because_it_may_be_a_local_file():
    assert dt.distribution_for_import("my_helpers") is None
    assert not dt.is_stdlib("my_helpers")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("trl[peft]>=0.12", ("trl", {"peft"})),
        ("Flash_Attn --no-build-isolation", ("flash-attn", set())),
        ("PyYAML", ("pyyaml", set())),
        ("transformers[torch, sentencepiece]==5.2", ("transformers", {"torch", "sentencepiece"})),
        ("torch; sys_platform == 'linux'", ("torch", set())),
        ("trl @ git+https://github.com/huggingface/trl", ("trl", set())),
        ("git+https://github.com/huggingface/trl", None),
        ("", None),
    ],
)
def test_parse_requirement(text, expected):
    got = dt.parse_requirement(text)
    assert (got if got is None else (got[0], set(got[1]))) == expected


def test_trl_brings_the_training_stack():
    provided = dt.provided_by(["trl"])
    assert {"trl", "transformers", "datasets", "accelerate", "huggingface_hub", "torch", "yaml", "numpy", "safetensors", "tokenizers"} <= provided
    assert "peft" not in provided
    assert "wandb" not in provided


def test_extras_count():
    assert "peft" in dt.provided_by(["trl[peft]>=0.12"])
    assert "PIL" in dt.provided_by(["transformers[vision]"])
    assert "PIL" not in dt.provided_by(["transformers"])


def test_names_are_normalized_and_import_names_mapped():
    provided = dt.provided_by(["PyYAML", "Scikit_Learn", "pillow", "opencv-python-headless", "beautifulsoup4"])
    assert {"yaml", "sklearn", "PIL", "cv2", "bs4"} <= provided


def test_unknown_distribution_provides_its_own_name():
    assert dt.provided_by(["some-new-lib>=1"]) == {"some_new_lib"}
    assert dt.imports_of("typing-extensions") == {"typing_extensions"}


def test_bare_urls_provide_nothing():
    assert dt.provided_by(["git+https://example.invalid/x.git"]) == set()


def test_peft_requires_transformers_and_torch():
    assert {"peft", "transformers", "torch", "accelerate"} <= dt.provided_by(["peft"])


def test_stdlib_matches_the_running_interpreter():
    assert set(sys.stdlib_module_names) <= dt._load().stdlib
