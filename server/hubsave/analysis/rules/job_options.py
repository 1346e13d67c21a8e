"""HS305, HS309: job options the MCP tool or the Jobs API rejects or silently drops."""

from __future__ import annotations

import ast
import difflib
import re
from typing import TYPE_CHECKING, Iterator

from ..catalog import MCP_RUNNING_OPERATIONS, MCP_UV_OPERATIONS
from ..facts import Arg, JobCall
from ..findings import SAFE, UNSAFE, Applicability, Finding, FixRequest, Severity, Span
from .jobs import JOB_TRIGGERS
from .registry import rule

if TYPE_CHECKING:
    from ..context import RuleContext

# huggingface_hub 2.4.0 `JobHardware` (the Python API; the client does not check it).
JOB_HARDWARE = (
    "cpu-basic", "cpu-upgrade", "cpu-performance", "cpu-xl", "t4-small", "t4-medium", "l4x1", "l4x4",
    "l40sx1", "l40sx4", "l40sx8", "a10g-small", "a10g-large", "a10g-largex2", "a10g-largex4",
    "a100-large", "a100x4", "a100x8", "h200", "h200x2", "h200x4", "h200x8", "rtx-pro-6000",
    "rtx-pro-6000x2", "rtx-pro-6000x4", "rtx-pro-6000x8",
)  # fmt: skip
# The MCP `hf_jobs` tool's enum (hf-mcp-server 0.4.12): checked before anything is sent.
MCP_FLAVORS = (
    "cpu-basic", "cpu-upgrade", "cpu-performance", "cpu-xl", "sprx8", "zero-a10g", "t4-small", "t4-medium",
    "l4x1", "l4x4", "l40sx1", "l40sx4", "l40sx8", "a10g-small", "a10g-large", "a10g-largex2",
    "a10g-largex4", "a100-large", "a100x4", "a100x8", "inf2x6",
)  # fmt: skip
# The Python API sends any name to the Hub: hardware the MCP enum knows is taken as real too.
PYTHON_FLAVORS = JOB_HARDWARE + tuple(f for f in MCP_FLAVORS if f not in JOB_HARDWARE)

TIMEOUT = re.compile(r"^\d+(\.\d+)?[smhd]?$")
_UNITS = {"s": "s", "sec": "s", "second": "s", "m": "m", "min": "m", "minute": "m", "h": "h", "hr": "h",
          "hour": "h", "d": "d", "day": "d"}  # fmt: skip
_TIMEOUT_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")

# Keys the MCP tool reads (anything else is dropped without a word), by operation.
_MCP_COMMON = frozenset({"namespace", "flavor", "env", "secrets", "timeout", "volumes", "detach"})
MCP_KEYS = {
    "uv": _MCP_COMMON | {"script", "with_deps", "script_args", "python"},
    "run": _MCP_COMMON | {"image", "command"},
}
MCP_KEYS["scheduled uv"] = MCP_KEYS["uv"] | {"schedule", "suspend"}
MCP_KEYS["scheduled run"] = MCP_KEYS["run"] | {"schedule", "suspend"}

# huggingface_hub 2.4.0 signatures (keyword-only after `script`).
_PY_COMMON = frozenset(
    {"image", "env", "secrets", "flavor", "timeout", "attempts", "name", "labels", "volumes", "expose",
     "expose_public", "ssh", "network_group", "network_aliases", "resource_group_id", "namespace", "token"}
)  # fmt: skip
PYTHON_KEYS = {
    "run_uv_job": _PY_COMMON | {"script", "script_args", "dependencies", "python"},
    "run_job": _PY_COMMON | {"command"},
}
PYTHON_KEYS["create_scheduled_uv_job"] = PYTHON_KEYS["run_uv_job"] | {"schedule", "suspend", "concurrency"}
PYTHON_KEYS["create_scheduled_job"] = PYTHON_KEYS["run_job"] | {"schedule", "suspend", "concurrency"}

# Names people carry over from the other form, the CLI or other tools.
_KNOWN_MIXUPS = {
    "dependencies": "with_deps",
    "with_deps": "dependencies",
    "deps": "with_deps",
    "with": "with_deps",
    "requirements": "with_deps",
    "packages": "with_deps",
    "secret": "secrets",
    "environment": "env",
    "envs": "env",
    "hardware": "flavor",
    "args": "script_args",
    "arguments": "script_args",
}


def _quote(ctx: RuleContext, node: ast.AST) -> str:
    text = ctx.source(node)
    return text[0] if text[:1] in "'\"" else '"'


def closest_flavor(value: str, valid: tuple[str, ...]) -> str | None:
    """`A10G-Large` -> `a10g-large`, `a100` -> `a100-large`, `t4` -> `t4-small`, typos by similarity."""
    name = value.strip().lower().replace("_", "-").replace(" ", "-")
    if name in valid:
        return name
    # A bare GPU name means its smallest size: the list is ordered smallest first.
    for candidate in valid:
        if candidate.startswith(name) and candidate[len(name) : len(name) + 1] in ("-", "x"):
            return candidate
    close = difflib.get_close_matches(name, valid, n=1, cutoff=0.75)
    return close[0] if close else None


def flavor_grade(value: str, suggestion: str) -> Applicability:
    """Another spelling of the same name (`A10G_Large`) is certain; a size or a typo is a guess."""
    return SAFE if value.strip().lower().replace("_", "-").replace(" ", "-") == suggestion else UNSAFE


def closest_timeout(value: str) -> str | None:
    """`2 hours` -> `2h`, `90min` -> `90m`, `1h30m` -> `90m`; None when unreadable."""
    text = value.strip().lower()
    parts = _TIMEOUT_PART.findall(text)
    if not parts or _TIMEOUT_PART.sub("", text).strip(" ,+and") != "":
        return None
    units = []
    for _, word in parts:
        unit = _UNITS.get(word) or _UNITS.get(word.rstrip("s"))
        if unit is None:
            return None
        units.append(unit)
    if len(parts) == 1:
        return f"{parts[0][0]}{units[0]}"
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    total = sum(float(number) * seconds[unit] for (number, _), unit in zip(parts, units))
    smallest = min(units, key=seconds.__getitem__)
    amount = total / seconds[smallest]
    return f"{int(amount) if amount.is_integer() else round(amount, 3)}{smallest}"


def timeout_hint(suggestion: str | None) -> str:
    return f"; write {suggestion!r}" if suggestion else ' (a number of seconds, or a number ending in s, m, h or d: "2h")'


def _literal_string(arg: Arg | None) -> str | None:
    if arg is None or not isinstance(arg.value_node, ast.Constant):
        return None
    return arg.value_node.value if isinstance(arg.value_node.value, str) else None


def _replace_value(ctx: RuleContext, arg: Arg, new: str, what: str, grade: Applicability) -> FixRequest:
    quote = _quote(ctx, arg.value_node)
    return FixRequest.make(f"Use {what} {new}", grade, "replace", span=ctx.doc.span(arg.value_node), text=f"{quote}{new}{quote}")


def _table(ctx: RuleContext):
    """This script's own `[tool.hf-jobs]` table, which `hf jobs uv run` reads."""
    from ..hf_jobs_table import read_table

    if "hf-jobs" not in ctx.doc.text:
        return None
    return read_table(ctx.doc.text)


def _table_values(ctx: RuleContext) -> Iterator[Finding]:
    """HS305 on the table's flavor / timeout and on values of the wrong type: the CLI
    refuses to submit the script."""
    from ..hf_jobs_table import entry_spans

    table = _table(ctx)
    if table is None:
        return
    for key, value, valid, suggest in (
        ("flavor", table.values.get("flavor"), PYTHON_FLAVORS, lambda v: closest_flavor(v, PYTHON_FLAVORS)),
        ("timeout", table.get("timeout"), None, closest_timeout),
    ):
        if not isinstance(value, str) or (valid is not None and value in valid) or (valid is None and TIMEOUT.match(value)):
            continue
        spans = entry_spans(ctx.doc.text, table, key)
        if spans is None:
            continue
        suggestion = suggest(value)
        hint = f"; did you mean {suggestion!r}?" if suggestion else ""
        fix = None
        if suggestion and spans[1] and ctx.doc.slice(spans[1])[:1] in "'\"":
            quote = ctx.doc.slice(spans[1])[0]
            grade = flavor_grade(value, suggestion) if key == "flavor" else SAFE
            fix = FixRequest.make(f"Use {key} {suggestion}", grade, "replace", span=spans[1], text=f"{quote}{suggestion}{quote}")
        what = "a Jobs hardware name" if key == "flavor" else "a duration the Jobs API reads"
        yield ctx.finding(
            "HS305", spans[1], f"{key} {value!r} in [tool.hf-jobs] is not {what}: the job is refused{hint}", fix=fix
        )
    for error in table.errors:
        if error.startswith("unknown key"):
            continue  # HS309
        key = error.split("'")[1] if "'" in error else None
        spans = entry_spans(ctx.doc.text, table, key) if key else None
        where = spans[1] if spans else Span(table.line, 0, table.line, len(ctx.doc.lines[table.line]))
        yield ctx.finding("HS305", where, f"[tool.hf-jobs]: {error}: hf jobs uv run refuses the script")


@rule("HS305", "invalid-job-option", Severity.ERROR, triggers=(*JOB_TRIGGERS, "hf-jobs"), fixes=(SAFE, UNSAFE))
def invalid_job_option(ctx: RuleContext) -> Iterator[Finding]:
    """A job's `flavor` is not a hardware name, or its `timeout` is not a duration.

    ## Why
    The MCP `hf_jobs` tool checks `flavor` against its list and `timeout`
    against `^\\d+(\\.\\d+)?[smhd]?$` and refuses the call; the Python API sends
    them to the Hub, which rejects the job. The two lists differ: `h200` and
    `rtx-pro-6000` exist for `run_uv_job` but not in the MCP tool's enum, and
    `h100` exists in neither.

    ## Bad
    ```python
    hf_jobs("uv", {"script": "https://example.com/train.py", "flavor": "h100", "timeout": "2 hours"})
    ```

    ## Good
    ```python
    hf_jobs("uv", {"script": "https://example.com/train.py", "flavor": "a100-large", "timeout": "2h",
                   "secrets": {"HF_TOKEN": "$HF_TOKEN"}})
    ```

    ## Fix
    Safe for another spelling of the same value (`A10G-Large`, `2 hours`);
    unsafe for a guess (a size, a close name).
    Replaces the value with the closest valid one (`A10G-Large` -> `a10g-large`,
    `a100` -> `a100-large`, `2 hours` -> `2h`, `1h30m` -> `90m`) when there is one.
    The same values in a script's `[tool.hf-jobs]` table, and values of the
    wrong type there, make `hf jobs uv run` refuse the script.
    """
    yield from _table_values(ctx)
    for job in ctx.facts.running_jobs:
        valid = MCP_FLAVORS if job.form == "mcp" else PYTHON_FLAVORS
        flavor_arg = job.options.get("flavor")
        flavor = _literal_string(flavor_arg)
        if flavor_arg is not None and flavor is not None and flavor not in valid:
            suggestion = closest_flavor(flavor, valid)
            if job.form == "mcp" and flavor in JOB_HARDWARE:
                why = "the hf_jobs tool's list does not have it (run_uv_job does): the call is refused"
            elif job.form == "mcp":
                why = "the hf_jobs tool refuses the call"
            else:
                why = "the Hub rejects the job"
            hint = f"; did you mean {suggestion!r}?" if suggestion else ""
            yield ctx.finding(
                "HS305",
                flavor_arg.value_node,
                f"flavor {flavor!r} is not a Jobs hardware name: {why}{hint}",
                fix=_replace_value(ctx, flavor_arg, suggestion, "flavor", flavor_grade(flavor, suggestion)) if suggestion else None,
            )
        timeout_arg = job.options.get("timeout")
        timeout = _literal_string(timeout_arg)
        if timeout_arg is not None and timeout is not None and not TIMEOUT.match(timeout):
            suggestion = closest_timeout(timeout)
            hint = timeout_hint(suggestion)
            yield ctx.finding(
                "HS305",
                timeout_arg.value_node,
                f"timeout {timeout!r} is not a duration the Jobs API reads: the job is refused{hint}",
                fix=_replace_value(ctx, timeout_arg, suggestion, "timeout", SAFE) if suggestion else None,
            )


def _accepted(job: JobCall) -> frozenset[str] | None:
    if job.form == "mcp":
        return MCP_KEYS.get(job.operation or "")
    return PYTHON_KEYS.get(job.function)


def suggest_key(key: str, accepted: frozenset[str]) -> str | None:
    mixup = _KNOWN_MIXUPS.get(key)
    if mixup in accepted:
        return mixup
    close = difflib.get_close_matches(key, sorted(accepted), n=1, cutoff=0.8)
    return close[0] if close else None


def _key_span(ctx: RuleContext, arg: Arg) -> Span:
    if isinstance(arg.key_node, ast.keyword):
        start = ctx.doc.span(arg.key_node)
        return Span(start.start_line, start.start_col, start.start_line, start.start_col + len(arg.name))
    assert arg.key_node is not None
    return ctx.doc.span(arg.key_node)


def _rename_fix(ctx: RuleContext, job: JobCall, arg: Arg, new: str) -> FixRequest | None:
    if new in job.options:
        return None  # both are there: which one to keep is the user's call
    title = f"Rename {arg.name} to {new}"
    # A name known to be carried over from the other form is certain; a close spelling is a guess.
    grade = SAFE if _KNOWN_MIXUPS.get(arg.name) == new else UNSAFE
    if isinstance(arg.key_node, ast.keyword):
        return FixRequest.make(title, grade, "rename_keyword", **ctx.at_call(job.call), name=arg.name, new=new)
    assert arg.key_node is not None
    quote = _quote(ctx, arg.key_node)
    return FixRequest.make(title, grade, "replace", span=ctx.doc.span(arg.key_node), text=f"{quote}{new}{quote}")


def _table_keys(ctx: RuleContext) -> Iterator[Finding]:
    from ..hf_jobs_table import VALID_KEYS, entry_spans

    table = _table(ctx)
    if table is None:
        return
    for key in table.values:
        if key in VALID_KEYS:
            continue
        spans = entry_spans(ctx.doc.text, table, key)
        if spans is None:
            continue
        suggestion = suggest_key(key, frozenset(VALID_KEYS))
        hint = f"; it is {suggestion!r}" if suggestion else ""
        yield ctx.finding(
            "HS309",
            spans[0],
            f"{key!r} is not a key of [tool.hf-jobs]: hf jobs uv run refuses the script{hint}",
            fix=FixRequest.make(
                f"Rename {key} to {suggestion}",
                SAFE if _KNOWN_MIXUPS.get(key) == suggestion else UNSAFE,
                "replace",
                span=spans[0],
                text=suggestion,
            ) if suggestion else None,
        )


@rule("HS309", "unknown-job-key", Severity.ERROR, triggers=(*JOB_TRIGGERS, "hf-jobs"), fixes=(SAFE, UNSAFE))
def unknown_job_key(ctx: RuleContext) -> Iterator[Finding]:
    """A job option the submission form does not know: dropped, or a `TypeError`.

    ## Why
    The two forms name options differently. The MCP `hf_jobs` tool calls the
    extra packages `with_deps` and silently drops keys it does not know, so
    `"dependencies"` never installs anything and the job dies on its first
    import. The Python API calls them `dependencies=`; `with_deps=` or
    `secret=` is a `TypeError`.

    ## Bad
    ```python
    hf_jobs("uv", {"script": "https://example.com/train.py", "dependencies": ["trl"]})
    run_uv_job("train.py", with_deps=["trl"], secret={"HF_TOKEN": get_token()})
    ```

    ## Good
    ```python
    hf_jobs("uv", {"script": "https://example.com/train.py", "with_deps": ["trl"], "timeout": "2h",
                   "secrets": {"HF_TOKEN": "$HF_TOKEN"}})
    run_uv_job("train.py", dependencies=["trl"], timeout="2h", secrets={"HF_TOKEN": get_token()})
    ```

    ## Fix
    Safe for a name carried over from the other form (`dependencies` and
    `with_deps`, `secret`); unsafe for a close spelling.
    Renames the key when the intended one is clear. For the Python API only
    names with a likely intended one are reported (a newer huggingface_hub may
    accept keywords this list does not know); for the MCP tool every unknown key.
    A key a script's `[tool.hf-jobs]` table does not have makes `hf jobs uv run`
    refuse the script.
    """
    yield from _table_keys(ctx)
    for job in ctx.facts.jobs:
        if job.form == "mcp" and job.operation not in MCP_RUNNING_OPERATIONS:
            continue
        accepted = _accepted(job)
        if accepted is None:
            continue
        for key, arg in job.options.items():
            if key in accepted or arg.origin == "positional" or arg.key_node is None:
                continue
            suggestion = suggest_key(key, accepted)
            if job.form == "python":
                if suggestion is None:
                    continue
                consequence = f"{job.function}() raises TypeError"
            else:
                consequence = "the hf_jobs tool drops it without a word"
                if key == "dependencies" and job.operation in MCP_UV_OPERATIONS:
                    consequence += " and the packages are never installed"
            hint = f"; it is {suggestion!r}" if suggestion else ""
            yield ctx.finding(
                "HS309",
                _key_span(ctx, arg),
                f"{key!r} is not an option of {job.function}: {consequence}{hint}",
                fix=_rename_fix(ctx, job, arg, suggestion) if suggestion else None,
            )
