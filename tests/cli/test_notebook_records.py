"""Notebook records (`cell` plus positions inside the cell) in every report format.

The notebook checker builds its records as `finding_record` plus a 0-based `cell`;
the positions then count inside that cell, so line-based reports must not present
them as lines of the .ipynb file.
"""

from __future__ import annotations

import io
import json

from hubsave.analysis import analyze
from hubsave.check import FileResult, finding_record
from hubsave.output import writer

from .test_github_format import parse
from .test_sarif import VALIDATOR

CELL = 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="o", push_to_hub=False)\n'


def notebook_result() -> FileResult:
    (finding,) = analyze(CELL, "nb.ipynb").findings
    return FileResult("nb.ipynb", findings=[{**finding_record("nb.ipynb", finding), "cell": 2}])


def render(fmt: str) -> str:
    out = io.StringIO()
    writer(fmt)([notebook_result()], out)
    return out.getvalue()


def test_text_names_the_cell():
    assert render("text").startswith("nb.ipynb:cell 3:2:36: HS102 ")


def test_github_annotates_the_file_and_says_where():
    name, props, message = parse(render("github").splitlines()[0])
    assert "line" not in props and props["file"] == "nb.ipynb"
    assert message.startswith("cell 3, line 2, column 36: ")


def test_sarif_has_no_file_region_for_a_cell():
    log = json.loads(render("sarif"))
    VALIDATOR.validate(log)
    (result,) = log["runs"][0]["results"]
    assert "region" not in result["locations"][0]["physicalLocation"]
    assert result["message"]["text"].startswith("cell 3, line 2, column 36: ")
