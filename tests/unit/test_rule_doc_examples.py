"""Every "Good" example in the rule docs (`hubsave rule CODE`, hover, docs/rules.md) is
clean: analyzed as a file of its own, it gets no finding at all. Opt-in rules are
selected for their own examples. A local script an example submits exists next to it
and pushes its model (what the example means by a good submission)."""

from __future__ import annotations

import re

import pytest

from hubsave.analysis import Settings, analyze
from hubsave.analysis.command_lines import analyze_shell
from hubsave.analysis.rules import RULES
from hubsave.sources import DiskSources

_BLOCK = re.compile(r"```(python|bash)\n(.*?)```", re.S)
_LOCAL_SCRIPT = re.compile(r"""["']([\w./-]+\.py)["']""")
PUSHES = 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/out")\n'


def examples(code: str, section: str) -> list[tuple[str, str]]:
    """(language, code) of each example block in a section: Python, or a shell command line."""
    doc = RULES[code].doc
    part = doc.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return _BLOCK.findall(part)


def settings_for(code: str) -> Settings:
    select = frozenset({"HS", code}) if RULES[code].opt_in else frozenset()
    return Settings(select=select, sources=DiskSources())


@pytest.mark.parametrize("code", sorted(RULES))
def test_good_examples_get_no_finding(code, tmp_path):
    blocks = examples(code, "Good")
    assert blocks, f"{code} has no Good example"
    for language, block in blocks:
        for script in _LOCAL_SCRIPT.findall(block) + re.findall(r"(?<![\w/:.-])([\w/.-]+\.py)\b", block):
            if "://" not in script:
                (tmp_path / script).parent.mkdir(parents=True, exist_ok=True)
                (tmp_path / script).write_text(PUSHES, encoding="utf-8")
        path = tmp_path / ("example.py" if language == "python" else "example.sh")
        path.write_text(block, encoding="utf-8")
        if language == "python":
            findings = analyze(block, str(path), settings_for(code)).findings
        else:
            findings = analyze_shell(block, settings_for(code), str(path))
        found = [(f.code, f.span.start_line + 1, f.message) for f in findings]
        assert found == [], f"{code}'s Good example:\n{block}"
