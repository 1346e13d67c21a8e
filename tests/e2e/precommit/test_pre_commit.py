"""pre-commit (the real tool, from PyPI) runs this repository's hooks from .pre-commit-hooks.yaml.

A temporary git repository lists this repository as `repo:` (its path) at the pinned
`rev:` HEAD, exactly as a user's `.pre-commit-config.yaml` would list the GitHub URL.
pre-commit clones it and `pip install`s it into its own virtualenv; pip is pointed at
the wheels tests/e2e/precommit/setup.sh downloaded (PIP_NO_INDEX), so the test itself
needs no network. It tests HEAD: commit hook changes before running it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
WHEELHOUSE = ROOT / ".e2e-tools" / "wheelhouse"

pytestmark = pytest.mark.e2e

BAD_SCRIPT = '''from trl import SFTConfig

config = SFTConfig(
    output_dir="qwen-sft",
    push_to_hub=True,
    push_to_hub_model_id="qwen-sft",
    push_to_hub_organization="my-lab",
)
'''
FIXED_SCRIPT = BAD_SCRIPT.replace(
    '    push_to_hub_model_id="qwen-sft",\n    push_to_hub_organization="my-lab",\n',
    '    hub_model_id="my-lab/qwen-sft",\n',
)


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def user_repo(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout of hubsave")
    if not any(WHEELHOUSE.glob("pygls-*.whl")):
        pytest.skip("run tests/e2e/precommit/setup.sh first (downloads the wheels the hook installs)")
    base = tmp_path_factory.mktemp("precommit")
    repo = base / "user-repo"
    repo.mkdir()
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(base / "cache"),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(WHEELHOUSE),
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    env.pop("VIRTUAL_ENV", None)
    rev = _run(["git", "rev-parse", "HEAD"], ROOT, env).stdout.strip()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n      - id: hubsave\n      - id: hubsave-fix\n"
    )
    (repo / "train.py").write_text(BAD_SCRIPT)
    (repo / "README.md").write_text("No job here: the hooks read it and say nothing\n")
    for args in (["git", "init", "-q"], ["git", "add", "-A"]):
        assert _run(args, repo, env).returncode == 0
    return repo, env


def _pre_commit(repo: Path, env: dict[str, str], hook: str) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "pre_commit", "run", hook, "--all-files", "--color", "never"], repo, env)


def test_hook_fails_on_a_bad_script_then_passes_after_the_fix_hook(user_repo):
    repo, env = user_repo
    script = repo / "train.py"

    check = _pre_commit(repo, env, "hubsave")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "hubsave" in check.stdout and "Failed" in check.stdout
    assert "train.py:6:5: HS104" in check.stdout
    assert "README.md" not in check.stdout  # Markdown is read (types_or), and has no job
    assert script.read_text() == BAD_SCRIPT  # the check hook never writes

    fix = _pre_commit(repo, env, "hubsave-fix")
    # pre-commit fails a hook that modified files, even when nothing is left to report.
    assert fix.returncode == 1, fix.stdout + fix.stderr
    assert "files were modified by this hook" in fix.stdout
    assert script.read_text() == FIXED_SCRIPT

    again = _pre_commit(repo, env, "hubsave")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Passed" in again.stdout
