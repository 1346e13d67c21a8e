"""`--diff`: the fixes as a patch that `patch` and `git apply` turn into exactly what `--fix` writes."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import EXAMPLE_DIRS

SCRIPT = 'from trl import SFTConfig\n\nconfig = SFTConfig(\n    output_dir="o",\n    push_to_hub=True,\n    push_to_hub_model_id="m",\n    push_to_hub_organization="org",\n)\n'


def project(root: Path) -> Path:
    """The example scripts, plus the same fixable script with CRLF, no final newline and a BOM."""
    for folder in EXAMPLE_DIRS:
        shutil.copytree(folder, root / folder.name)
    odd = root / "odd"
    odd.mkdir()
    (odd / "crlf.py").write_bytes(SCRIPT.replace("\n", "\r\n").encode())
    (odd / "no_final_newline.py").write_text(SCRIPT.replace('\n    push_to_hub_organization="org",\n)\n', "\n    push_to_hub_organization='org')"))
    (odd / "bom.py").write_bytes(b"\xef\xbb\xbf" + SCRIPT.encode())
    (odd / "clean.py").write_text("print('nothing to fix')\n")
    return root


def same_tree(a: Path, b: Path) -> None:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file() and ".git" not in p.parts)
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file() and ".git" not in p.parts)
    assert files_a == files_b
    for rel in files_a:
        assert filecmp.cmp(a / rel, b / rel, shallow=False), rel


@pytest.fixture
def trees(tmp_path):
    original = project(tmp_path / "original")
    fixed = tmp_path / "fixed"
    shutil.copytree(original, fixed)
    return original, fixed


def test_diff_writes_nothing_and_exits_1(hubsave, trees, tmp_path):
    original, _ = trees
    snapshot = tmp_path / "snapshot"
    shutil.copytree(original, snapshot)
    run = hubsave("--diff", ".", cwd=original)
    assert run.code == 1
    assert run.out.startswith("--- ")
    assert "Would fix" in run.err
    same_tree(original, snapshot)
    assert hubsave("--diff", "--exit-zero", ".", cwd=original).code == 0


@pytest.mark.parametrize("tool", ["patch", "git apply"])
def test_diff_applies_to_what_fix_writes(hubsave, trees, tool):
    original, fixed = trees
    patch_text = hubsave("--diff", ".", cwd=original).out
    for name in ("crlf.py", "no_final_newline.py", "bom.py"):
        assert f"--- odd/{name}\n" in patch_text
    assert "odd/clean.py" not in patch_text
    assert "\\ No newline at end of file" in patch_text

    assert hubsave("--fix", ".", cwd=fixed).code in (0, 1)
    if tool == "patch":
        command = ["patch", "-p0", "--batch", "--quiet", "--no-backup-if-mismatch", "--binary"]
    else:
        subprocess.run(["git", "init", "-q"], cwd=original, check=True)
        command = ["git", "apply", "-p0", "--whitespace=nowarn"]
    applied = subprocess.run(command, cwd=original, input=patch_text.encode(), capture_output=True, timeout=60)
    assert applied.returncode == 0, applied.stderr.decode() + applied.stdout.decode()
    same_tree(original, fixed)
    assert (fixed / "odd" / "crlf.py").read_bytes().count(b"\r\n") == SCRIPT.replace('    push_to_hub_organization="org",\n', "").count("\n")
    assert (fixed / "odd" / "bom.py").read_bytes().startswith(b"\xef\xbb\xbf")


def test_nothing_to_fix_is_an_empty_diff(hubsave, tmp_path):
    (tmp_path / "clean.py").write_text("print('hi')\n")
    run = hubsave("--diff", ".", cwd=tmp_path)
    assert (run.code, run.out) == (0, "")
    assert "No fixes to apply" in run.err
