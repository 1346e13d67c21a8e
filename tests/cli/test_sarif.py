"""`--format sarif`: valid SARIF 2.1.0, rule metadata from the registry, fixes that match the quick fixes."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from hubsave.analysis import Settings
from hubsave.analysis.fragments import analyze_source
from hubsave.analysis.rules import RULES
from hubsave.fixes.fragments import fix_parts
from hubsave.kinds import Source, kind_of
from hubsave.sources import DiskSources

from .conftest import EXAMPLE_DIRS, ROOT

# Severities in SARIF: information and hint are notes.
SARIF_LEVELS = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}

SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "sarif" / "sarif-schema-2.1.0.json").read_text())
VALIDATOR = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def sarif(hubsave, *args, cwd) -> dict:
    run = hubsave("--format", "sarif", *args, cwd=cwd)
    log = json.loads(run.out)
    VALIDATOR.validate(log)
    return log


def replace(text: str, region: dict, new: str) -> str:
    """Apply one SARIF replacement: 1-based lines, code point columns, end exclusive."""
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    start = offsets[region["startLine"] - 1] + region["startColumn"] - 1
    end = offsets[region["endLine"] - 1] + region["endColumn"] - 1
    return text[:start] + new + text[end:]


@pytest.mark.parametrize("folder", EXAMPLE_DIRS, ids=lambda p: p.name)
def test_examples_validate_and_match_the_json_records(hubsave, folder):
    folder = str(folder.relative_to(ROOT))
    log = sarif(hubsave, folder, cwd=ROOT)
    records = json.loads(hubsave("--format", "json", folder, cwd=ROOT).out)
    (run,) = log["runs"]
    assert log["version"] == "2.1.0"
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"
    results = run["results"]
    assert len(results) == len(records) > 0
    for result, record in zip(results, records):
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": record["path"], "uriBaseId": "%SRCROOT%"}
        if "cell" in record:  # a notebook: SARIF regions cannot address a cell, the message does
            assert "region" not in location and "fixes" not in result
            where = f"cell {record['cell'] + 1}, line {record['line']}, column {record['column']}: "
            assert result["message"]["text"] == where + record["message"]
            continue
        assert location["region"] == {
            "startLine": record["line"],
            "startColumn": record["column"],
            "endLine": record["end_line"],
            "endColumn": record["end_column"],
        }
        assert result["ruleId"] == record["code"]
        rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
        assert rule["id"] == record["code"]
        assert result["message"]["text"] == record["message"]
        assert result["level"] == SARIF_LEVELS[record["severity"]]
        assert ("fixes" in result) == record["fixable"]


def test_rules_carry_the_registry_docs(hubsave):
    run = sarif(hubsave, "examples/train_ok.py", cwd=ROOT)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)
    for descriptor in rules:
        rule = RULES[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["markdown"] == rule.summary
        assert "`" not in descriptor["shortDescription"]["text"]
        assert descriptor["help"]["markdown"] == rule.doc
        why = rule.doc.split("## Why\n", 1)[1].split("\n## ", 1)[0].strip()
        assert descriptor["fullDescription"]["markdown"] == f"{rule.summary}\n\n{why}"
        assert descriptor["defaultConfiguration"]["level"] == SARIF_LEVELS[rule.severity.label]
        assert descriptor["properties"]["fixable"] is rule.fixable
    assert run["results"] == []


@pytest.mark.parametrize("folder", EXAMPLE_DIRS, ids=lambda p: p.name)
def test_each_fix_replacement_makes_the_quick_fix_edit(hubsave, folder):
    run = sarif(hubsave, str(folder), cwd=ROOT)["runs"][0]
    fixed = 0
    for result in run["results"]:
        if "fixes" not in result:
            continue
        path = ROOT / result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        text = path.read_text(encoding="utf-8")
        ((change,),) = [f["artifactChanges"] for f in result["fixes"]]
        (replacement,) = change["replacements"]
        by_sarif = replace(text, replacement["deletedRegion"], replacement["insertedContent"]["text"])
        region = result["locations"][0]["physicalLocation"]["region"]
        # As `hubsave check`: cross-file rules (HS111, HS313) read the scripts (each file's project root);
        # a shell script's findings come from its command lines, through the same path.
        source = Source.text(kind_of(str(path)) or "python", text)
        analysis = analyze_source(source, str(path), Settings(sources=DiskSources()))
        (placed,) = [
            p
            for p in analysis.findings
            if p.finding.code == result["ruleId"]
            and (p.finding.span.start_line + 1, p.finding.span.start_col + 1) == (region["startLine"], region["startColumn"])
        ]
        assert by_sarif == fix_parts(analysis, placed, placed.raw.fix)[0]
        assert result["fixes"][0]["description"]["text"] == placed.raw.fix.title
        fixed += 1
    assert fixed > 0


def test_columns_count_code_points_not_utf16_units(hubsave, tmp_path):
    # "😀" is one code point and two UTF-16 units: the finding's column must count it once.
    script = 'from trl import SFTConfig\nnote = "😀é"; config = SFTConfig(output_dir="out", push_to_hub=False)\n'
    (tmp_path / "train.py").write_text(script, encoding="utf-8")
    # HS102's fix is unsafe (it overrides a value written) and needs the namespace for hub_model_id.
    run = sarif(hubsave, "train.py", "--unsafe-fixes", "--config", 'namespace = "alice"', cwd=tmp_path)["runs"][0]
    (result,) = run["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startColumn"] == script.splitlines()[1].index("push_to_hub") + 1
    (replacement,) = result["fixes"][0]["artifactChanges"][0]["replacements"]
    fixed = replace(script, replacement["deletedRegion"], replacement["insertedContent"]["text"])
    assert "push_to_hub=True" in fixed and "😀é" in fixed


def test_paths_outside_the_working_directory_are_absolute_uris(hubsave, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "my train.py").write_text('from trl import SFTConfig\nSFTConfig(output_dir="o")\n')
    work = tmp_path / "work"
    work.mkdir()
    (work / "sub dir").mkdir()
    (work / "sub dir" / "a.py").write_text('from trl import SFTConfig\nSFTConfig(output_dir="o")\n')
    run = sarif(hubsave, str(outside), "sub dir", cwd=work)["runs"][0]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert uris == [
        {"uri": (outside / "my train.py").as_uri()},
        {"uri": "sub%20dir/a.py", "uriBaseId": "%SRCROOT%"},
    ]


def test_files_not_checked_are_notifications(hubsave, tmp_path):
    (tmp_path / "broken.py").write_text("from trl import SFTConfig\nSFTConfig(\n")
    (tmp_path / "binary.py").write_bytes(b"\x00\x01")
    (tmp_path / "huge.py").write_text("# padding\n" * 600_000)
    run = hubsave("--format", "sarif", ".", cwd=tmp_path)
    assert run.code == 2
    log = json.loads(run.out)
    VALIDATOR.validate(log)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    notes = {
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: (n["level"], n["message"]["text"])
        for n in invocation["toolExecutionNotifications"]
    }
    assert notes["binary.py"][0] == "error" and notes["binary.py"][1].startswith("cannot read")
    assert notes["broken.py"][0] == "error" and notes["broken.py"][1].startswith("skipped, does not parse")
    assert notes["huge.py"][0] == "warning" and "larger than" in notes["huge.py"][1]


def test_schema_rejects_what_hubsave_must_not_emit():
    # The shipped schema is strict enough to catch a broken region or level.
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "hubsave"}}, "results": [
        {"message": {"text": "m"}, "level": "fatal"}]}]}
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(bad)
    bad["runs"][0]["results"][0]["level"] = "error"
    bad["runs"][0]["results"][0]["locations"] = [{"physicalLocation": {"region": {"startLine": 0}}}]
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(bad)


@pytest.mark.parametrize(("fmt", "imported"), [("text", False), ("json", False), ("github", False), ("sarif", True)])
def test_fix_edits_are_computed_only_for_sarif(fmt, imported):
    # libcst is what computing a fix costs: the plain paths must not load it.
    code = (
        "import sys\nfrom hubsave.cli import main\n"
        f"main(['check', '--format', {fmt!r}, 'examples'])\n"
        "print('libcst' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stderr.strip().splitlines()[-1] == str(imported)
    assert ('"fixes"' in done.stdout) == imported
