"""`hubsave check` on every file kind: positions in the file's own lines, fixes written in its syntax."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "kinds"
TRL_SFT = "https://raw.githubusercontent.com/huggingface/trl/main/trl/scripts/sft.py"


def hubsave(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hubsave", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "bad", tmp_path / "bad")
    return tmp_path / "bad"


def records(folder: Path, *args: str) -> list[tuple[str, str, int, int]]:
    run = hubsave("check", "--format", "json", *args, ".", cwd=folder)
    found = [(r["path"].removeprefix("./"), r["code"], r["line"], r["column"]) for r in json.loads(run.stdout)]
    return sorted(found, key=lambda r: (r[0], r[2], r[3]))


def test_every_kind_is_read_at_its_own_positions(bad: Path):
    assert records(bad) == [
        (".github/workflows/train.yml", "HS301", 7, 14),  # `- run: hf jobs ...`: after `run: `
        (".github/workflows/train.yml", "HS304", 7, 14),
        (".github/workflows/train.yml", "HS111", 7, 49),
        (".github/workflows/train.yml", "HS304", 11, 11),  # inside the `run: |` block
        (".github/workflows/train.yml", "HS111", 12, 13),
        ("Makefile", "HS301", 9, 3),  # after the tab and `-`
        ("Makefile", "HS304", 9, 3),
        ("Makefile", "HS111", 9, 38),
        ("guide.md", "HS109", 9, 38),  # a Python block, through the Python analysis (no HS101: an example)
        ("guide.md", "HS301", 15, 1),
        ("guide.md", "HS304", 15, 1),
        ("guide.md", "HS111", 15, 36),
        ("guide.md", "HS304", 21, 3),  # after the console's `$ `
        ("guide.md", "HS111", 22, 5),  # the continued line; the output line is not a command
        ("launch.sh", "HS301", 5, 1),
        ("launch.sh", "HS304", 5, 1),
        ("launch.sh", "HS111", 6, 5),
    ]


def test_good_files_pass():
    run = hubsave("check", ".", cwd=FIXTURES / "good")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "All checks passed (4 files)" in run.stdout


def test_fix_writes_each_kind_in_its_own_syntax(bad: Path):
    # Safe fixes only: the guide's renamed argument. Command-line fixes change what the job
    # does (secrets, timeout), so they are graded unsafe.
    assert "Fixed 1 problem." in hubsave("check", "--fix", ".", cwd=bad).stdout
    assert 'config = SFTConfig(output_dir="out", warmup_steps=0.1)' in (bad / "guide.md").read_text()

    run = hubsave("check", "--fix", "--unsafe-fixes", ".", cwd=bad)
    assert "Fixed 12 problems" in run.stdout  # 13 with the rename above
    makefile = (bad / "Makefile").read_text()
    assert f"\t-hf jobs uv run --flavor a10g-small --secrets HF_TOKEN --timeout 2h {TRL_SFT} --output_dir out\n" in makefile
    guide = (bad / "guide.md").read_text()
    assert f"$ hf jobs uv run --secrets HF_TOKEN \\\n    --timeout 2h {TRL_SFT} --output_dir out --push_to_hub\nJob started" in guide
    workflow = (bad / ".github/workflows/train.yml").read_text()
    assert f"      - run: hf jobs uv run --flavor a10g-small --secrets HF_TOKEN --timeout 2h {TRL_SFT}" in workflow
    script = (bad / "launch.sh").read_text()
    assert f'    --secrets HF_TOKEN --timeout 2h "{TRL_SFT}" \\\n' in script
    # Left: HS111 outside the guide, whose --push_to_hub would leave an HS103 fix-all cannot fix.
    assert {code for _, code, _, _ in records(bad, "--select", "HS1,HS3")} == {"HS111"}


def test_executable_with_a_shell_shebang_is_a_shell_script(bad: Path):
    script = bad / "launch"
    shutil.copy(bad / "launch.sh", script)
    script.chmod(0o755)
    assert ("launch", "HS301", 5, 1) in records(bad)


def test_github_and_sarif_reports_carry_the_positions(bad: Path):
    github = hubsave("check", "--format", "github", "Makefile", cwd=bad).stdout
    assert "file=Makefile,line=9,col=3" in github.replace(" ", "")
    sarif = json.loads(hubsave("check", "--format", "sarif", "guide.md", cwd=bad).stdout)
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in sarif["runs"][0]["results"]]
    assert {"startLine": 21, "startColumn": 3} in [{k: r[k] for k in ("startLine", "startColumn")} for r in regions]
