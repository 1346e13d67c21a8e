"""The rule docs in README.md and docs/rules.md are the registry's, and complete."""

from pathlib import Path

import pytest

from hubsave.analysis.rules import RULES
from hubsave.docs import render

ROOT = Path(__file__).resolve().parents[2]


def test_generated_docs_are_up_to_date():
    for path, content in render(ROOT).items():
        assert path.read_text(encoding="utf-8") == content, f"{path} is stale: run `python -m hubsave.docs`"


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_doc_has_its_sections(code):
    doc = RULES[code].doc
    for section in ("## Why", "## Bad", "## Good", "## Fix"):
        assert section in doc, f"{code} doc lacks {section}"
