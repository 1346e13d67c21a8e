"""A job submission given as JSON, written as the Python call the analysis reads.

`hf_jobs("uv", {...})` for the MCP tool, `run_uv_job(script=..., ...)` for the Jobs
API. The call is one line, and every value written into it remembers where it came
from (`args.secrets.HF_TOKEN`), so a finding's span maps back to the JSON the agent
sent, and a fixed call reads back as JSON.
"""

from __future__ import annotations

import ast
import json
import keyword
import math
from dataclasses import dataclass, field
from typing import Any

from ..analysis.catalog import MCP_JOB_TOOL, PYTHON_JOB_FUNCTIONS
from ..analysis.findings import Span

# The MCP tool's operations (hf-mcp-server): the analysis knows which of them start a job.
MCP_OPERATIONS = frozenset(
    {"run", "uv", "ps", "logs", "inspect", "cancel", "scheduled run", "scheduled uv", "scheduled ps",
     "scheduled inspect", "scheduled delete", "scheduled suspend", "scheduled resume"}
)  # fmt: skip
# A submission larger than this is not a job: refused before it is parsed.
MAX_PAYLOAD_CHARS = 2_000_000


class PayloadError(ValueError):
    """The submission is not something hubsave can read; the message says why."""


def json_path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    if key.isidentifier():
        return f"{parent}.{key}"
    return f"{parent}[{json.dumps(key)}]"


@dataclass
class RenderedCall:
    """The submission as one line of Python, and which JSON path each stretch of it holds."""

    text: str
    form: str  # "mcp" | "python"
    function: str
    operation: str | None = None
    # (start, end, path): offsets into `text` of each value, key and entry written.
    stretches: list[tuple[int, int, str]] = field(default_factory=list)

    def path_at(self, span: Span) -> str:
        """The innermost JSON path whose stretch holds the span (the whole `args` at least)."""
        if span.start_line != 0 or span.end_line != 0:
            return "args"
        best = ("args", len(self.text) + 1)
        for start, end, path in self.stretches:
            if start <= span.start_col and span.end_col <= end and end - start < best[1]:
                best = (path, end - start)
        return best[0]


class _Writer:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.stretches: list[tuple[int, int, str]] = []

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        if self.size > MAX_PAYLOAD_CHARS:
            raise PayloadError(f"the submission is larger than {MAX_PAYLOAD_CHARS // 1_000_000} MB of text")

    def value(self, value: Any, path: str, depth: int = 0) -> None:
        if depth > 50:
            raise PayloadError(f"{path} is nested too deeply")
        start = self.size
        if isinstance(value, dict):
            self.write("{")
            for index, (key, item) in enumerate(value.items()):
                if not isinstance(key, str):
                    raise PayloadError(f"{path} has a key that is not a string")
                self.write(", " if index else "")
                self.entry(repr(key), item, json_path(path, key), depth + 1)
            self.write("}")
        elif isinstance(value, list):
            self.write("[")
            for index, item in enumerate(value):
                self.write(", " if index else "")
                self.value(item, json_path(path, index), depth + 1)
            self.write("]")
        elif value is None or isinstance(value, (str, bool, int)) or (isinstance(value, float) and math.isfinite(value)):
            self.write(repr(value))
        else:
            raise PayloadError(f"{path} is a {type(value).__name__}, not a JSON value")
        self.stretches.append((start, self.size, path))

    def entry(self, key_text: str, value: Any, path: str, depth: int = 0) -> None:
        """`"key": value` or `key=value`: the key and the pair belong to the entry's path."""
        start = self.size
        self.write(key_text)
        self.stretches.append((start, self.size, path))
        self.write(": " if key_text[:1] in "'\"" else "=")
        self.value(value, path, depth)
        self.stretches.append((start, self.size, path))


def render_mcp(operation: Any, args: Any) -> RenderedCall:
    """`hf_jobs(operation, args)` as the MCP tool receives it."""
    _one_of("operation", operation.strip() if isinstance(operation, str) else operation, MCP_OPERATIONS, "hf_jobs operations")
    _an_object(args, "the hf_jobs tool's arguments")
    writer = _Writer()
    writer.write(f"{MCP_JOB_TOOL}(")
    writer.value(operation, "operation")
    writer.write(", ")
    writer.value(args, "args")
    writer.write(")\n")
    return RenderedCall("".join(writer.parts), "mcp", MCP_JOB_TOOL, operation.strip(), writer.stretches)


def render_python(function: Any, args: Any) -> RenderedCall:
    """`run_uv_job(script=..., secrets=...)`: the Jobs API call, every argument by name."""
    _one_of("function", function, PYTHON_JOB_FUNCTIONS, "Jobs API functions")
    _an_object(args, f"{function}'s keyword arguments")
    writer = _Writer()
    writer.write(f"{function}(")
    for index, (name, value) in enumerate(args.items()):
        if not name.isidentifier() or keyword.iskeyword(name):
            raise PayloadError(f"args has {name!r}, which cannot be a keyword argument of {function}")
        writer.write(", " if index else "")
        writer.entry(name, value, json_path("args", name))
    writer.write(")\n")
    return RenderedCall("".join(writer.parts), "python", function, None, writer.stretches)


def _one_of(field: str, value: Any, known: frozenset[str], what: str) -> None:
    if value not in known:
        raise PayloadError(f"{field} must be one of the {what} ({', '.join(sorted(known))}), not {value!r}")


def _an_object(args: Any, what: str) -> None:
    if not isinstance(args, dict):
        kind = "null" if args is None else f"a {type(args).__name__}"
        raise PayloadError(f"args must be a JSON object ({what}), not {kind}")


def read_back(text: str, rendered: RenderedCall) -> dict | None:
    """The arguments of the (fixed) call in `text`, as JSON; None when a value is code
    (`get_token()`) that JSON cannot hold."""
    call = _the_call(text, rendered.function)
    if call is None:
        return None
    try:
        if rendered.form == "mcp":
            value = ast.literal_eval(call.args[1]) if len(call.args) > 1 else {}
            return value if isinstance(value, dict) else None
        return {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords if kw.arg is not None}
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def _the_call(text: str, function: str) -> ast.Call | None:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    for statement in tree.body:
        value = getattr(statement, "value", None)
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == function:
            return value
    return None
