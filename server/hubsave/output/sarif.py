"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run. `tool.driver.rules` describes every registered rule from its doc (summary,
why, full markdown help, default level); each result points into it by `ruleIndex`.
Columns are hubsave's character columns, so the run says
`columnKind: unicodeCodePoints` (SARIF's default would be UTF-16 code units).
Paths under the working directory are relative to `%SRCROOT%`, which is how code
scanning maps them onto the repository. A fixable finding carries a `fixes` entry
with the replacement its quick fix makes.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from .. import __version__
from ..analysis.rules import RULES, Rule
from . import cell_prefix, not_checked

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}
SRCROOT = "%SRCROOT%"


def _plain(markdown: str) -> str:
    return markdown.replace("`", "")


def _section(doc: str, title: str) -> str:
    match = re.search(rf"^## {title}\n(.*?)(?=^## |\Z)", doc, re.S | re.M)
    return match.group(1).strip() if match else ""


def rule_descriptor(rule: Rule) -> dict:
    why = _section(rule.doc, "Why")
    full = f"{rule.summary}\n\n{why}" if why else rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _plain(rule.summary), "markdown": rule.summary},
        "fullDescription": {"text": _plain(full), "markdown": full},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "defaultConfiguration": {"level": LEVELS[rule.severity.label], "enabled": not rule.opt_in},
        "properties": {"fixable": rule.fixable, "fixApplicability": [grade.value for grade in rule.fixes]},
    }


def artifact_location(path: str, root: Path) -> dict:
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": SRCROOT}


def region(record: dict) -> dict:
    return {
        "startLine": record["line"],
        "startColumn": record["column"],
        "endLine": record["end_line"],
        "endColumn": record["end_column"],
    }


def result(record: dict, rule_index: dict[str, int], root: Path) -> dict:
    location = artifact_location(record["path"], root)
    physical = {"artifactLocation": location}
    if "cell" not in record:  # a notebook cell's lines are not lines of the .ipynb file
        physical["region"] = region(record)
    found = {
        "ruleId": record["code"],
        "level": LEVELS[record["severity"]],
        "message": {"text": cell_prefix(record) + record["message"]},
        "locations": [{"physicalLocation": physical}],
    }
    if record["code"] in rule_index:
        found["ruleIndex"] = rule_index[record["code"]]
    edit = record.get("edit")
    if edit:
        found["fixes"] = [
            {
                "description": {"text": edit["title"]},
                "artifactChanges": [
                    {
                        "artifactLocation": location,
                        "replacements": [
                            {"deletedRegion": region(edit), "insertedContent": {"text": edit["new_text"]}}
                        ],
                    }
                ],
            }
        ]
    return found


def invocation(results: list, root: Path) -> dict:
    """Files that could not be read, parsed or analyzed, as notifications: they were not checked."""
    notes = []
    for r in results:
        problem = not_checked(r)
        if problem:
            notes.append(
                {
                    "level": problem[0],
                    "message": {"text": problem[1]},
                    "locations": [{"physicalLocation": {"artifactLocation": artifact_location(r.path, root)}}],
                }
            )
    return {"executionSuccessful": not any(r.error for r in results), "toolExecutionNotifications": notes}


def sarif_log(results: list, root: str) -> dict:
    base = Path(root)
    rules = sorted(RULES.values(), key=lambda r: r.code)
    index = {rule.code: i for i, rule in enumerate(rules)}
    run = {
        "tool": {
            "driver": {
                "name": "hubsave",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [rule_descriptor(rule) for rule in rules],
            }
        },
        "invocations": [invocation(results, base)],
        "originalUriBaseIds": {SRCROOT: {"uri": base.as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [result(f, index, base) for r in results for f in r.findings],
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def write(results: list, out: TextIO) -> None:
    json.dump(sarif_log(results, os.getcwd()), out, indent=2, ensure_ascii=False)
    out.write("\n")
