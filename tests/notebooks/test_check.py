"""`hubsave check` on notebooks, run as a user runs it: a subprocess on real .ipynb files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hubsave.analysis.rules import RULES
from hubsave.kinds.notebook_file import read_notebook

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks"
COURSE, SMOL = "course_trainer.ipynb", "sft_smol.ipynb"
# The rules these notebooks are about (other rules may also fire on them as they are added).
SELECT = ("--select", "HS101,HS102,HS204")


def check(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hubsave", "check", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    for name in (COURSE, SMOL):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


def test_text_output_names_the_cell(workdir: Path):
    run = check(*SELECT, COURSE, SMOL, cwd=workdir)
    assert run.returncode == 1, run.stderr
    # Cell numbers count every cell from 1 (markdown included), lines and columns inside the cell.
    expected = [
        "course_trainer.ipynb:cell 6:3:51: HS102 push_to_hub=False: TrainingArguments uploads nothing, and the model "
        "is lost when the job's container is deleted",
        "sft_smol.ipynb:cell 7:1:14: HS101 SFTConfig never pushes to the Hub (push_to_hub defaults to False): when "
        "the job's container is deleted, the trained model is lost",
    ]
    # The f-string's placeholder namespace (`f"your-username/{finetune_name}"`), once HS204 exists.
    placeholder = ["sft_smol.ipynb:cell 7:9:18: HS204 "] if "HS204" in RULES else []
    lines = run.stdout.splitlines()
    assert [line if " HS204 " not in line else line[: line.index("HS204") + 6] for line in lines[:-1]] == (
        expected + placeholder
    )
    # The %%writefile cell's SFTConfig is another file's code: not reported.
    assert lines[-1].startswith(f"Found {len(expected + placeholder)} problems in 2 file(s)")


def test_json_output_gives_the_cell_index_and_positions_inside_it(workdir: Path):
    run = check("--format", "json", "--select", "HS101,HS102", COURSE, SMOL, cwd=workdir)
    records = json.loads(run.stdout)
    assert [(r["path"], r["cell"], r["code"], r["line"], r["column"], r["end_line"], r["end_column"]) for r in records] == [
        (COURSE, 5, "HS102", 3, 51, 3, 68),
        (SMOL, 6, "HS101", 1, 14, 1, 23),
    ]
    cells = read_notebook((workdir / COURSE).read_text(encoding="utf-8")).cells
    line = cells[5].source.splitlines()[2]
    assert line[50:67] == "push_to_hub=False"


def test_fix_changes_only_the_fixed_cell_sources(workdir: Path):
    before = {name: (workdir / name).read_bytes() for name in (COURSE, SMOL)}
    # HS102's fix overrides a value written: unsafe, so it needs --unsafe-fixes (and the
    # namespace, for the hub_model_id it adds).
    flags = ("--unsafe-fixes", "--config", 'namespace = "alice"', "--select", "HS101,HS102")
    run = check("--fix", *flags, ".", cwd=workdir)
    assert "Fixed 2 problems." in run.stdout, run.stdout + run.stderr
    after = {name: (workdir / name).read_bytes() for name in (COURSE, SMOL)}
    # Byte for byte: the one changed line of each file, nothing else (outputs, metadata, layout).
    assert after[COURSE] == before[COURSE].replace(
        b'"training_args = TrainingArguments(\\"test-trainer\\", push_to_hub=False)"',
        b'"training_args = TrainingArguments(\\"test-trainer\\", push_to_hub=True, hub_model_id=\\"alice/test-trainer\\")"',
    )
    hub_id = b'    "    hub_model_id=f\\"your-username/{finetune_name}\\",\\n",\n'
    assert after[SMOL] == before[SMOL].replace(hub_id, hub_id + b'    "    push_to_hub=True,\\n",\n')
    # Fixing again changes nothing.
    check("--fix", *flags, ".", cwd=workdir)
    assert (workdir / SMOL).read_bytes() == after[SMOL]


def test_fix_keeps_a_string_source_a_string_and_crlf_layout(tmp_path: Path):
    cells = [
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
         "source": "from trl import SFTConfig\nconfig = SFTConfig(output_dir='out')"},
    ]
    text = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=2)
    path = tmp_path / "nb.ipynb"
    path.write_bytes(text.replace("\n", "\r\n").encode())
    check("--fix", "--config", 'namespace = "alice"', "--select", "HS101", "nb.ipynb", cwd=tmp_path)
    expected = text.replace("output_dir='out')", "output_dir='out', push_to_hub=True, hub_model_id='alice/out')")
    expected = expected.replace("\n", "\r\n")
    assert path.read_bytes() == expected.encode()


def test_invalid_notebook_is_reported_and_the_other_files_still_checked(tmp_path: Path):
    (tmp_path / "broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    (tmp_path / "train.py").write_text('from trl import SFTConfig\nc = SFTConfig(output_dir="x")\n', encoding="utf-8")
    run = check("broken.ipynb", "train.py", cwd=tmp_path)
    assert run.returncode == 2
    assert "broken.ipynb: cannot read notebook: invalid JSON (line 1, column 12" in run.stderr
    assert run.stdout.startswith("train.py:2:5: HS101 ")


def test_a_cell_that_does_not_parse_is_named_and_the_rest_checked(tmp_path: Path):
    cells = [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": source}
        for source in (["from trl import SFTConfig"], ["def broken(:\n", "    pass"], ["c = SFTConfig(output_dir='x')"])
    ]
    (tmp_path / "nb.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    run = check("nb.ipynb", cwd=tmp_path)
    assert run.returncode == 1
    assert "nb.ipynb:1:1: could not be parsed (cell 2 line 1: invalid syntax, the other cells were checked)" in run.stdout
    assert run.stdout.startswith("nb.ipynb:cell 3:1:5: HS101 ")
    assert run.stdout.rstrip().endswith("1 file could not be parsed.")


def test_notebooks_of_other_languages_are_not_python(tmp_path: Path):
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": ["from trl import SFTConfig\n", "c = SFTConfig(output_dir='x')"]}]
    metadata = {"kernelspec": {"language": "R", "name": "ir"}, "language_info": {"name": "R"}}
    (tmp_path / "nb.ipynb").write_text(json.dumps({"cells": cells, "metadata": metadata, "nbformat": 4}))
    run = check("nb.ipynb", cwd=tmp_path)
    assert (run.returncode, run.stdout.strip()) == (0, "All checks passed (1 file).")
