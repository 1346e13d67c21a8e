"""`--format github`: workflow commands the Actions runner parses back to the same values."""

from __future__ import annotations

import json
import re

import pytest

from hubsave.output.github import command, escape_data, escape_property

from .conftest import ROOT

COMMAND = re.compile(r"^::(?P<name>[a-z]+) (?P<props>[^:]*)::(?P<message>.*)$")


def unescape(value: str, prop: bool) -> str:
    """The runner's unescaping (ActionCommand.Unescape*), in its order."""
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else []) + [("%25", "%")]
    for escaped, plain in pairs:
        value = value.replace(escaped, plain)
    return value


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    props = dict(p.split("=", 1) for p in match["props"].split(","))
    return match["name"], {k: unescape(v, True) for k, v in props.items()}, unescape(match["message"], False)


def test_escaping():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a,b:c%d\ne") == "a%2Cb%3Ac%25d%0Ae"
    assert escape_data("a,b:c") == "a,b:c"  # the message may keep , and :


@pytest.mark.parametrize("text", ["plain", "%0A is not a newline", "a,b:c", "x\ny\rz", "%%25", "::error::"])
def test_round_trip(text):
    name, props, message = parse(command("warning", text, file=text, title=text))
    assert (name, props, message) == ("warning", {"file": text, "title": text}, text)
    assert "\n" not in command("warning", text, file=text)


def test_findings_become_annotations(hubsave):
    run = hubsave("--format", "github", "examples", cwd=ROOT)
    records = json.loads(hubsave("--format", "json", "examples", cwd=ROOT).out)
    lines = run.out.splitlines()
    assert run.code == 1 and len(lines) == len(records) > 0
    for line, record in zip(lines, records):
        name, props, message = parse(line)
        assert name == record["severity"]  # error / warning
        if "cell" in record:  # a notebook: the position is inside a cell, so it goes in the message
            assert props == {"file": record["path"], "title": f"hubsave {record['code']}"}
            where = f"cell {record['cell'] + 1}, line {record['line']}, column {record['column']}: "
            assert message == where + record["message"]
            continue
        assert props == {
            "file": record["path"],
            "line": str(record["line"]),
            "col": str(record["column"]),
            "endLine": str(record["end_line"]),
            "endColumn": str(record["end_column"]),
            "title": f"hubsave {record['code']}",
        }
        assert message == record["message"]


def test_odd_file_names_and_notice_level(hubsave, tmp_path):
    folder = tmp_path / "100%, done: yes"
    folder.mkdir()
    (folder / "a,b.py").write_text('from trl import SFTConfig\nSFTConfig(output_dir="o", push_to_hub_token=None)\n')
    run = hubsave("--format", "github", "--select", "HS104", "--config", 'severity.HS104 = "information"', ".", cwd=tmp_path)
    (line,) = run.out.splitlines()
    name, props, _ = parse(line)
    assert name == "notice"
    assert props["file"] == "100%, done: yes/a,b.py"
    assert "%2C" in line and "%3A" in line and "%25" in line


def test_files_not_checked_are_annotations_too(hubsave, tmp_path):
    (tmp_path / "broken.py").write_text("from trl import SFTConfig\nSFTConfig(\n")
    (tmp_path / "huge.py").write_text("# padding\n" * 600_000)
    run = hubsave("--format", "github", ".", cwd=tmp_path)
    broken, huge = (parse(line) for line in run.out.splitlines())
    assert (broken[0], broken[1]["file"], broken[1]["title"]) == ("error", "broken.py", "hubsave")
    assert broken[2].startswith("skipped, does not parse")
    assert (huge[0], huge[1]["file"]) == ("warning", "huge.py") and "larger than" in huge[2]
    assert run.code == 1
