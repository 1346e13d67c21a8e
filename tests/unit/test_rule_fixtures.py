"""Every rule against its fixture files: exact findings, and fixes that work.

Fix-all's result on each fixture is a snapshot: `fixed/<fixture>` (safe fixes, as
`hubsave check --fix` applies them) and `fixed-unsafe/<fixture>` (with
`--unsafe-fixes`), each present only when the fixes change the file. After changing
a fix on purpose, rewrite them with `HUBSAVE_UPDATE_SNAPSHOTS=1` and read the diff.
"""

from __future__ import annotations

import ast
import dataclasses
import os
import re

import pytest

from hubsave.analysis import analyze
from hubsave.analysis.command_lines import analyze_shell
from hubsave.analysis.rules import RULES
from hubsave.fixes.apply import apply_fix, fix_all
from tests.fixture_expectations import FIXTURES as FIXTURE_DIR
from tests.fixture_expectations import code_of, expectations, rule_fixtures, settings_of

FIXTURES = rule_fixtures()


def _ids(paths):
    return [p.name for p in paths]


def _findings(text, path, settings):
    """Python fixtures through the engine; `.sh` fixtures (command lines) through analyze_shell."""
    if path.suffix == ".sh":
        return analyze_shell(text, settings, str(path))
    result = analyze(text, str(path), settings)
    assert result.syntax_error is None
    return result.findings


def _still_valid(path, text):
    if path.suffix == ".py":
        ast.parse(text)


def test_every_rule_has_a_fixture():
    covered = {code_of(p) for p in FIXTURES}
    missing = sorted(code for code in RULES if code not in covered and not RULES[code].opt_in)
    assert not missing, f"rules without a fixture: {missing}"


def test_every_fixable_rule_offers_a_fix_in_its_fixtures():
    offered = set()
    for path in FIXTURES:
        text = path.read_text(encoding="utf-8")
        offered |= {f.code for f in _findings(text, path, settings_of(text)) if f.fix}
    missing = sorted(code for code, rule in RULES.items() if rule.fixable and code not in offered)
    assert not missing, f"fixable rules whose fixtures never offer a fix: {missing}"


@pytest.mark.parametrize("path", FIXTURES, ids=_ids(FIXTURES))
def test_fixture_findings(path):
    text = path.read_text(encoding="utf-8")
    code = code_of(path)
    settings = settings_of(text)
    findings = _findings(text, path, settings)
    expected = expectations(text)
    expected_lines = {(line, c) for line, c, _ in expected if c == code}
    actual = {(f.span.start_line, f.code) for f in findings if f.code == code}
    assert actual == expected_lines, (
        f"missing: {sorted(expected_lines - actual)}, unexpected: {sorted(actual - expected_lines)}"
    )
    severities = {(line, c): s for line, c, s in expected if s}
    for finding in findings:
        wanted = severities.get((finding.span.start_line, finding.code))
        if wanted:
            assert finding.severity.label == wanted, finding
    for finding in findings:
        assert finding.message and finding.code in RULES


@pytest.mark.parametrize("path", FIXTURES, ids=_ids(FIXTURES))
def test_each_fix_applies_alone(path):
    """Each fix leaves a file that parses and no longer has that finding."""
    text = path.read_text(encoding="utf-8")
    code = code_of(path)
    settings = settings_of(text)
    findings = [f for f in _findings(text, path, settings) if f.code == code and f.fix]
    for finding in findings:
        fixed = apply_fix(text, finding.fix)
        _still_valid(path, fixed)
        after = _findings(fixed, path, settings)
        assert len([f for f in after if f.code == code]) < len(
            [f for f in _findings(text, path, settings) if f.code == code]
        ), f"{finding.fix.title} did not remove {code} at line {finding.span.start_line + 1}"


@pytest.mark.parametrize("path", FIXTURES, ids=_ids(FIXTURES))
def test_fix_all_silences_the_rule_and_is_idempotent(path):
    text = path.read_text(encoding="utf-8")
    code = code_of(path)
    settings = settings_of(text)
    if path.suffix == ".sh":
        fixed = _fix_all_shell(text, path, settings)
        remaining = [f for f in analyze_shell(fixed, settings, str(path)) if f.code == code and f.automatic_fix()]
        assert not remaining, remaining
        assert _fix_all_shell(fixed, path, settings) == fixed
        return
    fixed, applied = fix_all(text, str(path), settings)
    ast.parse(fixed)
    remaining = [f for f in analyze(fixed, str(path), settings).findings if f.code == code and f.automatic_fix()]
    assert not remaining, remaining
    again, applied_again = fix_all(fixed, str(path), settings)
    assert again == fixed and not applied_again


def _fix_all_shell(text, path, settings):
    """Every automatic fix of a command-line text, one at a time, re-analyzing after each."""
    for _ in range(200):
        fixes = [f.fix for f in analyze_shell(text, settings, str(path)) if f.automatic_fix(settings.unsafe_fixes)]
        if not fixes:
            return text
        text = apply_fix(text, fixes[0])
    raise AssertionError("fixes never converge")


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("path", FIXTURES, ids=_ids(FIXTURES))
def test_fix_all_output_matches_its_snapshot(path, unsafe):
    text = path.read_text(encoding="utf-8")
    settings = dataclasses.replace(settings_of(text), unsafe_fixes=unsafe)
    fixed = _fix_all_shell(text, path, settings) if path.suffix == ".sh" else fix_all(text, str(path), settings)[0]
    snapshot = FIXTURE_DIR / ("fixed-unsafe" if unsafe else "fixed") / path.name
    if os.environ.get("HUBSAVE_UPDATE_SNAPSHOTS"):
        if fixed != text:
            snapshot.parent.mkdir(exist_ok=True)
            snapshot.write_text(fixed, encoding="utf-8")
        elif snapshot.exists():
            snapshot.unlink()
    if fixed == text:
        assert not snapshot.exists(), f"{snapshot} is stale: fix-all no longer changes {path.name}"
    else:
        assert snapshot.exists(), f"fix-all changes {path.name}; no snapshot {snapshot}"
        assert fixed == snapshot.read_text(encoding="utf-8")


def test_every_fix_has_a_grade_its_rule_declares_and_documents():
    for path in FIXTURES:
        text = path.read_text(encoding="utf-8")
        for finding in _findings(text, path, settings_of(text)):
            for fix in filter(None, (finding.fix, *finding.alternatives)):
                assert fix.applicability in RULES[finding.code].fixes, (path.name, finding.code, fix)
    for rule in RULES.values():
        fix_section = rule.doc.partition("## Fix")[2].lower()
        for grade in rule.fixes:
            word = {"display-only": "display-only"}.get(grade.value, grade.value)
            assert re.search(rf"\b{word}\b", fix_section), f"{rule.code}'s Fix section does not say {word!r}"
