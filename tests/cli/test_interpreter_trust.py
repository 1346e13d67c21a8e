"""Nothing in a checked repository makes `hubsave check` run a program (issue 13).

`hubsave check` runs as a subprocess from inside the repository (`python -m hubsave`,
so the repository is even on its sys.path), as a pre-commit hook or CI job would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile_repo import TRAIN, make_hostile_repo
from tests.user_env import make_user_env

IGNORED = "`interpreter` is ignored: it names a program hubsave would run"


def check(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hubsave", "check", "--format", "json", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})},
    )


def hs109(run: subprocess.CompletedProcess) -> dict[str, str]:
    """{file name: message} of the HS109 findings."""
    return {Path(f["path"]).name: f["message"] for f in json.loads(run.stdout) if f["code"] == "HS109"}


@pytest.fixture(scope="module")
def old_trl(tmp_path_factory):
    """A real venv whose (stand-in) trl still accepts max_seq_length."""
    return make_user_env(tmp_path_factory.mktemp("user") / "venv")


def test_the_projects_interpreter_is_never_run(tmp_path):
    repo = make_hostile_repo(tmp_path / "repo")
    (repo.root / "other.py").write_text(TRAIN)  # two files under the same pyproject.toml
    run = check(repo.root, ".")
    assert not repo.marker.exists()
    # HS109 still speaks, from the bundled schema; the rest of [tool.hubsave] applies.
    assert set(hs109(run)) == {"train.py", "other.py"}
    assert all("(trl 1.16.0)" in m for m in hs109(run).values())
    assert run.stderr.count(IGNORED) == 1, run.stderr
    assert "--python / HUBSAVE_PYTHON" in run.stderr


def test_a_config_file_cannot_name_the_interpreter_either(tmp_path):
    repo = make_hostile_repo(tmp_path / "repo")
    run = check(repo.root, "--config", "pyproject.toml", ".")
    assert not repo.marker.exists()
    assert "(trl 1.16.0)" in hs109(run)["train.py"]
    assert run.stderr.count(IGNORED) == 1
    inline = check(repo.root, "--config", 'interpreter = "./evil.sh"', ".")
    assert inline.returncode == 2 and "--python" in inline.stderr
    assert not repo.marker.exists()


@pytest.mark.parametrize("how", ["--python", "HUBSAVE_PYTHON"])
def test_the_users_python_is_read(old_trl, tmp_path, how):
    repo = make_hostile_repo(tmp_path / "repo")
    args, env = (["--python", old_trl], None) if how == "--python" else ([], {"HUBSAVE_PYTHON": old_trl})
    run = check(repo.root, *args, ".", env=env)
    # That trl still takes max_seq_length: no HS109, the project's script untouched.
    assert hs109(run) == {}, run.stdout
    assert not repo.marker.exists()
    typo = tmp_path / "typo.py"
    typo.write_text("from trl import SFTConfig\nSFTConfig(output_dir='o', num_train_epoch=3)\n")
    assert "the installed trl" in hs109(check(tmp_path, *args, "typo.py", env=env))["typo.py"]


def test_a_user_given_program_that_is_not_python_is_reported_once(tmp_path):
    (tmp_path / "a.py").write_text(TRAIN)
    (tmp_path / "b.py").write_text(TRAIN)
    not_python = shutil.which("true")
    run = check(tmp_path, "--python", not_python, ".")
    assert run.stderr.count("is not a Python interpreter") == 1, run.stderr
    assert "HS109 uses the bundled schema" in run.stderr
    assert {name: "(trl 1.16.0)" in m for name, m in hs109(run).items()} == {"a.py": True, "b.py": True}


def test_jedis_safety_check_refuses_a_python_planted_in_a_repository(tmp_path):
    """`--python .venv/bin/python` typed by the user, but the cloned repository ships
    that file: jedi's safety check (not a Python installed on this system) refuses it."""
    repo = make_hostile_repo(tmp_path / "repo")
    planted = repo.root / ".venv" / "bin" / "python"
    planted.parent.mkdir(parents=True)
    shutil.copy(repo.script, planted)
    planted.chmod(0o755)
    run = check(repo.root, "--python", ".venv/bin/python", "train.py")
    assert not repo.marker.exists()
    assert run.stderr.count("was not started: it is not a Python installed on this system") == 1, run.stderr
    assert "(trl 1.16.0)" in hs109(run)["train.py"]


def test_the_checked_folder_is_not_read_as_an_environment(tmp_path):
    """`python -m hubsave` puts the current folder on sys.path; jedi must not read (nor,
    for compiled modules, import) packages from it. Here the repository ships its own
    `trl` that would accept max_seq_length: HS109 still answers from the bundled schema."""
    package = tmp_path / "trl"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from dataclasses import dataclass\n\n@dataclass\nclass SFTConfig:\n"
        "    output_dir: str = ''\n    max_seq_length: int = 0\n    push_to_hub: bool = False\n    hub_model_id: str = ''\n"
    )
    (tmp_path / "train.py").write_text(TRAIN)
    run = check(tmp_path, "train.py")
    assert "(trl 1.16.0)" in hs109(run)["train.py"], run.stdout
