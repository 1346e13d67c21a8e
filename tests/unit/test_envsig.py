"""jedi reads config signatures from the user's environment (a real venv made here,
holding small stand-in `transformers` and `trl` packages: the real ones need torch)."""

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from hubsave import envsig
from hubsave.analysis import config_schema

TRANSFORMERS = {
    "transformers/__init__.py": """
        from typing import TYPE_CHECKING
        _import_structure = {"training_args": ["TrainingArguments"]}
        if TYPE_CHECKING:
            from .training_args import TrainingArguments
        else:
            import sys
            sys.modules[__name__] = None  # stands in for transformers' lazy module
    """,
    "transformers/training_args.py": """
        from dataclasses import dataclass, field

        @dataclass
        class TrainingArguments:
            output_dir: str | None = field(default=None, metadata={"help": "where"})
            push_to_hub: bool = False
            hub_model_id: str | None = None
            push_to_hub_model_id: str | None = None  # still here in this old release
            _n_gpu: int = field(init=False, repr=False, default=-1)
            _setup_done: bool = field(
                default=False,
                init=False,
            )
    """,
}

TRL = {
    "trl/__init__.py": """
        from typing import TYPE_CHECKING
        _import_structure = {"trainer": ["SFTConfig", "OpenConfig"]}
        if TYPE_CHECKING:
            from .trainer import SFTConfig, OpenConfig
    """,
    "trl/trainer/__init__.py": """
        from .sft_config import SFTConfig
        from .open_config import OpenConfig, FixedConfig
    """,
    "trl/trainer/base_config.py": """
        from dataclasses import dataclass, field
        from transformers import TrainingArguments

        @dataclass
        class _BaseConfig(TrainingArguments):
            logging_steps: float = field(default=10)
    """,
    "trl/trainer/sft_config.py": """
        from dataclasses import dataclass, field, InitVar
        from typing import ClassVar
        from .base_config import _BaseConfig

        @dataclass
        class SFTConfig(_BaseConfig):
            _VALID: ClassVar[tuple] = ("a",)
            max_seq_length: int | None = field(default=1024)
            env_only_field: bool = False
            seed_from_env: InitVar[int] = 0
    """,
    "trl/trainer/open_config.py": """
        from .sft_config import SFTConfig

        class OpenConfig(SFTConfig):
            def __init__(self, output_dir=None, extra=1, **kwargs):
                super().__init__(output_dir=output_dir, **kwargs)

        class FixedConfig(SFTConfig):
            def __init__(self, output_dir=None, *, only=1):
                super().__init__(output_dir=output_dir)
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
}


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def _venv(path: Path) -> tuple[Path, Path]:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    python = path / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    return python, Path(purelib)


@pytest.fixture(scope="module")
def user_env(tmp_path_factory):
    """A venv with old-style trl + transformers installed; returns its interpreter."""
    python, site = _venv(tmp_path_factory.mktemp("user") / "venv")
    _write(site, TRANSFORMERS)
    _write(site, TRL)
    yield str(python)
    envsig.invalidate(str(python))


@pytest.fixture(scope="module")
def bare_env(tmp_path_factory):
    """A venv where trl is installed but transformers is not."""
    python, site = _venv(tmp_path_factory.mktemp("bare") / "venv")
    _write(site, TRL)
    yield str(python)
    envsig.invalidate(str(python))


def test_keywords_come_from_the_installed_package(user_env):
    keywords = envsig.accepted_keywords("trl.SFTConfig", user_env, timeout=60)
    assert keywords == {
        "output_dir", "push_to_hub", "hub_model_id", "push_to_hub_model_id",  # across packages
        "logging_steps",  # trl's private base
        "max_seq_length", "env_only_field", "seed_from_env",  # own fields and InitVar
    }


def test_environment_wins_over_the_bundled_schema(user_env):
    keywords = envsig.accepted_keywords("trl.SFTConfig", user_env, timeout=60)
    bundled = config_schema.accepted_keywords("trl.SFTConfig")
    # This user's trl still takes max_seq_length: HS109 must not fire here.
    assert "max_seq_length" in keywords and "max_seq_length" not in bundled
    assert "env_only_field" not in bundled


def test_experimental_import_path(user_env):
    keywords = envsig.accepted_keywords("trl.experimental.orpo.ORPOConfig", user_env, timeout=60)
    assert {"beta", "output_dir", "logging_steps"} <= keywords


def test_open_ended_init_is_unknown(user_env):
    # jedi shows only output_dir and extra; the **kwargs means anything goes.
    assert envsig.accepted_keywords("trl.trainer.OpenConfig", user_env, timeout=60) is None


def test_explicit_init_without_kwargs_is_exact(user_env):
    assert envsig.accepted_keywords("trl.trainer.FixedConfig", user_env, timeout=60) == {"output_dir", "only"}


def test_class_not_installed_is_none(user_env):
    assert envsig.accepted_keywords("trl.GRPOConfig", user_env, timeout=60) is None
    assert envsig.accepted_keywords("peft.LoraConfig", user_env, timeout=60) is None
    assert envsig.accepted_keywords("SFTConfig", user_env, timeout=60) is None  # needs a module


def test_partial_hierarchy_is_not_trusted(bare_env):
    # transformers missing: jedi only sees TRL's own fields; partial keywords would make
    # HS109 flag push_to_hub, so the answer is None (use the bundled schema).
    assert envsig.accepted_keywords("trl.SFTConfig", bare_env, timeout=60) is None


def test_missing_interpreter_is_none(tmp_path):
    assert envsig.accepted_keywords("trl.SFTConfig", str(tmp_path / "nope" / "python"), timeout=60) is None


def test_answers_are_cached_per_environment_and_class(user_env):
    first = envsig.submit("trl.SFTConfig", user_env)
    assert envsig.submit("trl.SFTConfig", user_env) is first
    first.result(timeout=60)
    assert envsig.accepted_keywords("trl.SFTConfig", user_env, timeout=0) == first.result()  # cached: no wait
    envsig.invalidate(user_env)
    again = envsig.submit("trl.SFTConfig", user_env)
    assert again is not first
    assert again.result(timeout=60) == first.result()


def test_timeout_zero_does_not_block_and_the_answer_lands_later(user_env):
    envsig.invalidate(user_env)
    assert envsig.accepted_keywords("trl.SFTConfig", user_env, timeout=0) is None
    assert "max_seq_length" in envsig.submit("trl.SFTConfig", user_env).result(timeout=60)


def test_concurrent_callers_share_one_lookup(user_env):
    envsig.invalidate(user_env)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(envsig.accepted_keywords("trl.SFTConfig", user_env, timeout=60)))
        for _ in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 6 and all(r == results[0] and "max_seq_length" in r for r in results)


def test_current_interpreter_default():
    # hubsave's own environment has jedi but no trl (torch-free test venv).
    assert envsig.accepted_keywords("trl.SFTConfig", None, timeout=60) is None
    assert envsig.submit("trl.SFTConfig") is envsig.submit("trl.SFTConfig", sys.executable)


def test_jedi_is_not_imported_with_hubsave():
    code = "import sys, hubsave.envsig, hubsave.analysis.config_schema; print('jedi' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_an_isolated_lookup_answers_the_same_without_loading_jedi(user_env, tmp_path):
    # The language server's lookups run in a child process: the same answer, and jedi
    # (with what it read of the environment) never loaded into the long-lived process.
    python = user_env
    # A checked folder's own jedi (the child runs in it) is never what runs.
    marker = tmp_path / "ran"
    (tmp_path / "jedi.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    code = textwrap.dedent(f"""
        import sys
        from hubsave import envsig
        envsig.isolate()
        print(sorted(envsig.accepted_keywords("trl.SFTConfig", {python!r}, timeout=120) or []))
        print(envsig.accepted_keywords("trl.NoSuchConfig", {python!r}, timeout=120))
        print(envsig.accepted_keywords("trl.SFTConfig", {str(tmp_path / "missing")!r}, timeout=120))
        print(envsig.problem({str(tmp_path / "missing")!r}))
        print("jedi" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path).stdout.splitlines()
    assert out[0] == str(sorted(envsig.accepted_keywords("trl.SFTConfig", python, timeout=120) or []))
    assert "output_dir" in out[0]
    assert out[1:] == ["None", "None", f"{tmp_path / 'missing'} does not exist", "False"]
    assert not marker.exists()
