"""The `[tool.hf-jobs]` table of a script's PEP 723 header, read as huggingface_hub 2.4's
`cli/_uv_script_header.py` reads it: `hf jobs uv run` takes its flavor, timeout,
secrets (names), env, volumes... unless the command line sets them; `run_uv_job()`
and the MCP tool ignore it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PEP_723 = re.compile(r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$")
VALID_KEYS = ("image", "flavor", "python", "timeout", "name", "namespace", "network_group", "env", "secrets",
              "labels", "volumes", "network_aliases")  # fmt: skip
# What is lost when the table is ignored, in the order messages name them.
LAUNCH_KEYS = ("secrets", "timeout", "flavor", "volumes", "env", "image")


@dataclass
class HfJobsTable:
    values: dict  # the table as TOML gives it
    line: int  # 0-based line of the `[tool.hf-jobs]` header in the script
    errors: list[str] = field(default_factory=list)  # what the CLI refuses (it exits before submitting)

    @property
    def secrets(self) -> list[str]:
        value = self.values.get("secrets")
        return [s for s in value if isinstance(s, str)] if isinstance(value, list) else []

    def get(self, key: str) -> str | None:
        value = self.values.get(key)
        if key == "timeout" and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value if isinstance(value, str) else None

    @property
    def volumes(self) -> list[str]:
        value = self.values.get("volumes")
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def read_table(script: str) -> HfJobsTable | None:
    """The script's table; None when it has none (or its header is not valid TOML)."""
    if "hf-jobs" not in script:
        return None
    text = script.replace("\r\n", "\n").replace("\r", "\n")
    for match in _PEP_723.finditer(text):
        if match.group("type") != "script":
            continue
        lines = match.group("content").splitlines(keepends=True)
        content = "".join(line[2:] if line.startswith("# ") else line[1:] for line in lines)
        import tomllib

        try:
            table = tomllib.loads(content).get("tool", {}).get("hf-jobs")
        except tomllib.TOMLDecodeError:
            return None
        if table is None:
            return None
        first = text.count("\n", 0, match.start()) + 1
        line = next((first + i for i, raw in enumerate(lines) if "hf-jobs" in raw), first)
        if not isinstance(table, dict):
            return HfJobsTable({}, line, [f"'tool.hf-jobs' must be a table, got {type(table).__name__}"])
        return HfJobsTable(table, line, _errors(table))
    return None


def _errors(table: dict) -> list[str]:
    errors = []
    unknown = sorted(k for k in table if k not in VALID_KEYS)
    if unknown:
        errors.append(f"unknown key(s) {', '.join(map(repr, unknown))} (valid: {', '.join(VALID_KEYS)})")
    for key in ("image", "flavor", "python", "name", "namespace", "network_group"):
        if key in table and not isinstance(table[key], str):
            errors.append(f"{key!r} must be a string")
    timeout = table.get("timeout")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (str, int))):
        errors.append("'timeout' must be a duration string (\"2h\") or a number of seconds")
    for key in ("env", "labels"):
        if key in table and not isinstance(table[key], dict):
            errors.append(f"{key!r} must be a table of strings")
    for key in ("secrets", "volumes", "network_aliases"):
        if key in table and not (isinstance(table[key], list) and all(isinstance(v, str) for v in table[key])):
            errors.append(f"{key!r} must be a list of strings")
    return errors


def entry_spans(script: str, table: HfJobsTable, key: str):
    """(key span, value span) of `# key = value` in the table's lines; None when not found
    (a dotted or inline-table spelling)."""
    from .findings import Span

    lines = script.splitlines()
    for number in range(table.line + 1, len(lines)):
        line = lines[number]
        body = line.lstrip("#").strip()
        if body.startswith("[") or line.startswith("# ///"):
            return None
        match = re.match(rf"^#\s*({re.escape(key)})\s*=\s*(.*?)\s*(#.*)?$", line)
        if match:
            key_span = Span(number, match.start(1), number, match.end(1))
            value_span = Span(number, match.start(2), number, match.end(2))
            return key_span, value_span
    return None
