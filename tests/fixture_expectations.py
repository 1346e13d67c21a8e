"""Read the expectations written inline in rule fixtures.

A fixture `tests/fixtures/rules/HS101*.py` (or `HS301*.sh`, command lines) marks
each line where a finding of its rule must start with a trailing comment `# expect:
HS101` (several: `# expect: HS101, HS304`; with a severity: `# expect: HS101(error)`).
A line that cannot end with a comment (a shell line continued with a backslash) is marked
by a comment line just above it: `# expect-next: HS301`. A first-line comment
`# hubsave-settings: {...}` (JSON, editor-style keys) sets the settings.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hubsave.analysis import Settings
from hubsave.config import build_settings, normalize
from hubsave.sources import DiskSources

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
_EXPECT = re.compile(r"#\s*expect(?P<next>-next)?:\s*(?P<codes>[A-Z0-9(), a-z]+)$")
_SETTINGS = re.compile(r"^#\s*hubsave-settings:\s*(?P<json>\{.*\})\s*$")


def rule_fixtures() -> list[Path]:
    return sorted([*FIXTURES.glob("HS*.py"), *FIXTURES.glob("HS*.sh")])


def code_of(path: Path) -> str:
    return path.name[:5]


def expectations(text: str) -> set[tuple[int, str, str | None]]:
    """{(0-based line, code, severity or None)}."""
    found = set()
    for number, line in enumerate(text.splitlines()):
        match = _EXPECT.search(line)
        if not match:
            continue
        if match.group("next"):
            number += 1
        for item in match.group("codes").split(","):
            item = item.strip()
            severity = None
            if "(" in item:
                item, severity = item.rstrip(")").split("(")
            found.add((number, item.strip(), severity))
    return found


def settings_of(text: str) -> Settings:
    first = text.splitlines()[0] if text else ""
    match = _SETTINGS.match(first)
    values = normalize(json.loads(match.group("json"))) if match else {}
    # Cross-file rules read the files next to the fixture, as `hubsave check` would.
    settings, problems = build_settings(values, namespace=values.get("namespace"), sources=DiskSources())
    assert not problems, problems
    return settings
