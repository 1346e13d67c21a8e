"""Configs built by TrlParser / HfArgumentParser take their values from the command line:
no HS1xx finding at all on scripts written in the trl example scripts' style."""

from pathlib import Path

import pytest

from hubsave.analysis import Settings, analyze

FIXTURES = Path(__file__).parents[1] / "fixtures" / "rules"
STYLE = [FIXTURES / "HS109_trl_example_style.py", FIXTURES / "HS101_parser_built.py"]


@pytest.mark.parametrize("path", STYLE, ids=[p.name for p in STYLE])
@pytest.mark.parametrize("ephemeral", [False, True])
def test_no_trainer_config_finding(path, ephemeral):
    text = path.read_text(encoding="utf-8")
    findings = analyze(text, str(path), Settings(ephemeral=ephemeral, environment_signatures=False)).findings
    assert [f for f in findings if f.code.startswith("HS1")] == []
