"""HS307, HS308, HS310: the script a job runs: not uploaded, missing, or losing its results.

HS308 and HS310 read other files through `Settings.sources` (the analysis never
opens a file itself); without one they stay silent.
"""

from __future__ import annotations

import ast
import dataclasses
import os
from typing import TYPE_CHECKING, Iterator

from ..catalog import MCP_UV_OPERATIONS, PYTHON_JOB_FUNCTIONS, UV_JOB_FUNCTIONS
from ..facts import Arg, JobCall
from ..findings import SAFE, Finding, Related, Severity, Span
from ..symbols import callee_name
from ..workspace import local_script, script_paths
from .jobs import JOB_TRIGGERS
from .registry import rule
from ..nodes import remembered, statement_nodes, walk

if TYPE_CHECKING:
    from ..context import RuleContext

# What in a job's script loses the trained model (HS308 relays these).
LOSES_RESULTS = frozenset({"HS101", "HS102", "HS106"})


def _script_arg(job: JobCall) -> Arg | None:
    if job.form == "mcp" and job.operation in MCP_UV_OPERATIONS:
        return job.options.get("script")
    if job.form == "python" and job.function in UV_JOB_FUNCTIONS:
        return job.options.get("script")
    return None


def string_node(ctx: RuleContext, arg: Arg | None) -> ast.Constant | None:
    """The string literal a job's `script` is: written there, or bound once to the
    name used there (`SCRIPT = \"\"\"...\"\"\"` then `{"script": SCRIPT}`, as job
    launchers write inline code)."""
    if arg is None:
        return None
    node = arg.value_node
    if isinstance(node, ast.Name):
        node = _single_string_binding(ctx, node.id)
    return node if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _single_string_binding(ctx: RuleContext, name: str) -> ast.Constant | None:
    """The string literal `name` is assigned, if it is assigned exactly once in the file.

    Only statements that mention the name can assign it: a long file is walked
    there alone (the choice is cached per statement)."""
    tree = ctx.doc.statements_where(("mentions", name), lambda text: name in text)
    count, value = 0, None
    for stmt in tree.body:
        for node in (stmt, *remembered(stmt, _assignments_below)):
            if not isinstance(node, _ASSIGNMENTS):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if any(isinstance(n, ast.Name) and n.id == name for n in walk(target)):
                    count += 1
                    value = node.value if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str) else None
    return value if count == 1 else None


_ASSIGNMENTS = (ast.Assign, ast.AnnAssign, ast.AugAssign)


def _assignments_below(stmt: ast.AST) -> list[ast.Assign | ast.AnnAssign | ast.AugAssign]:
    """The assignments inside a statement, kept on it (`remembered`): the order does not
    matter to the one caller, which needs the single one."""
    return [node for node in statement_nodes(stmt)[1:] if isinstance(node, _ASSIGNMENTS)]


def _string(ctx: RuleContext, arg: Arg | None) -> str | None:
    node = string_node(ctx, arg)
    return node.value if node is not None else None


@rule("HS307", "local-script-not-uploaded", Severity.ERROR, triggers=("hf_jobs",))
def local_script_not_uploaded(ctx: RuleContext) -> Iterator[Finding]:
    """The MCP `hf_jobs` tool is given a local file path as `script`: it does not upload files.

    ## Why
    The tool runs `uv run <script>` inside the job's container. A URL is
    downloaded and text with a newline is piped in as code, but a path such as
    `train.py` names a file that exists only on your machine: the job fails at
    once with "file not found".

    ## Bad
    ```python
    hf_jobs("uv", {"script": "train.py", "timeout": "2h", "secrets": {"HF_TOKEN": "$HF_TOKEN"}})
    ```

    ## Good
    ```python
    hf_jobs("uv", {"script": "https://huggingface.co/datasets/alice/scripts/resolve/main/train.py",
                   "timeout": "2h", "secrets": {"HF_TOKEN": "$HF_TOKEN"}})
    run_uv_job("train.py", timeout="2h", secrets={"HF_TOKEN": get_token()})  # uploads the file
    ```

    ## Fix
    None automatic. Pass the script's code inline (the whole file as the
    `script` string), a URL where the job can download it (a Hub repo or a
    gist), or submit with `huggingface_hub.run_uv_job("train.py", ...)`, which
    uploads the local file.
    """
    for job in ctx.facts.running_jobs:
        if job.form != "mcp" or job.operation not in MCP_UV_OPERATIONS:
            continue
        arg = job.options.get("script")
        path = local_script(_string(ctx, arg))
        if arg is None or path is None:
            continue
        yield ctx.finding(
            "HS307",
            arg.value_node,
            f"{path!r} is a file on your machine: the hf_jobs tool does not upload it, so the job "
            "fails with file not found; pass the code inline, a URL, or use run_uv_job",
        )


@rule("HS310", "job-script-missing", Severity.ERROR, triggers=("_job",))
def job_script_missing(ctx: RuleContext) -> Iterator[Finding]:
    """`run_uv_job` names a local script that does not exist.

    ## Why
    The Python Jobs API uploads the local file before it starts the job; a
    missing `.py` file raises `FileNotFoundError` at submission. A relative path
    is looked up from the submitting file's folder, then from its project root
    (the folder of the nearest `pyproject.toml` or `.git` above it), the same
    way in `hubsave check`, VS Code and Neovim, wherever they run; never from
    the current directory. Run the submitting code from one of those two folders. A path the file also passes to another call
    (`open(path, "w")`, `Path(path)`) is taken as written before the submission.

    ## Bad
    ```python
    run_uv_job("scripts/trian.py", timeout="2h", secrets={"HF_TOKEN": get_token()})
    ```

    ## Good
    ```python
    run_uv_job("scripts/train.py", timeout="2h", secrets={"HF_TOKEN": get_token()})
    ```

    ## Fix
    None automatic: correct the path or create the script.
    """
    sources = ctx.settings.sources
    if sources is None:
        return
    for job in ctx.facts.running_jobs:
        if job.form != "python":
            continue
        arg = _script_arg(job)
        path = local_script(_string(ctx, arg))
        if arg is None or path is None:
            continue
        if any(sources.read(p) is not None for p in script_paths(sources, path, ctx.doc.path)):
            continue
        if _written_by_the_file(ctx, _string(ctx, arg) or ""):
            continue
        yield ctx.finding(
            "HS310",
            arg.value_node,
            f"{path!r} is not found next to this file or from its project root: "
            f"{job.function}() raises FileNotFoundError when it tries to upload it",
        )


def _written_by_the_file(ctx: RuleContext, script: str) -> bool:
    """The path also goes to another call (`open(path, "w")`, `Path(path)`,
    `shutil.copy(..., path)`): the launcher makes the file before submitting it."""
    tree = ctx.doc.tree
    assert tree is not None
    for node in walk(tree):
        if isinstance(node, ast.Call) and callee_name(node) not in PYTHON_JOB_FUNCTIONS:
            values = [*node.args, *(kw.value for kw in node.keywords)]
            if any(isinstance(v, ast.Constant) and v.value == script for v in values):
                return True
    return False


@dataclasses.dataclass
class _Script:
    text: str
    path: str | None  # None: inline code in this document
    name: str  # how messages call it


def _inline_origin(ctx: RuleContext, node: ast.expr) -> tuple[int, int] | None:
    """(line, column) of the code's first character in this file, when the string's
    source is its value verbatim (a plain triple-quoted string): then line N of the
    code is line N of the string."""
    if not isinstance(node, ast.Constant):
        return None
    source = ctx.source(node)
    prefix = len(source) - len(source.lstrip("rRuU"))
    body = source[prefix:]
    for quote in ('"""', "'''", '"', "'"):
        if body.startswith(quote) and body.endswith(quote) and len(body) >= 2 * len(quote):
            if body[len(quote) : -len(quote)] != node.value:
                return None
            span = ctx.doc.span(node)
            return span.start_line, span.start_col + prefix + len(quote)
    return None


def _analyzed_script(ctx: RuleContext, job: JobCall) -> _Script | None:
    arg = _script_arg(job)
    code = _string(ctx, arg)
    if arg is None or code is None:
        return None
    if job.form == "mcp":
        return _Script(code, None, "its inline script") if "\n" in code else None
    path = local_script(code)
    sources = ctx.settings.sources
    if path is None or sources is None:
        return None
    for candidate in script_paths(sources, path, ctx.doc.path):
        text = sources.read(candidate)
        if text is not None:
            return _Script(text, candidate, os.path.basename(path))
    return None  # HS310 reports it


@rule("HS308", "job-script-loses-results", Severity.ERROR, triggers=JOB_TRIGGERS)
def job_script_loses_results(ctx: RuleContext) -> Iterator[Finding]:
    """The script a job runs never saves its model to the Hub: reported at the submission.

    ## Why
    A job's container is deleted when it ends. If the script it runs has no
    push (HS101, HS102) or pushes nothing (HS106), the GPU time is paid and the
    model is gone. hubsave reads the script the submission names: the local
    file `run_uv_job` uploads (its unsaved text when it is open in the editor),
    or the code written inline in an `hf_jobs` call.

    ## Bad
    ```python
    # train.py: SFTConfig(output_dir="out") and trainer.train(), no push
    run_uv_job("train.py", timeout="2h", secrets={"HF_TOKEN": get_token()})
    ```

    ## Good
    ```python
    # train.py: SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/out")
    run_uv_job("train.py", timeout="2h", secrets={"HF_TOKEN": get_token()})
    ```

    ## Fix
    None here: fix the script (its own diagnostics have quick fixes). The
    message names the script's line; the related information points at it.
    """
    from ..python_argv import job_volumes

    for job in ctx.facts.running_jobs:
        script = _analyzed_script(ctx, job)
        if script is None:
            continue
        volumes = job_volumes(job)
        if volumes is None:
            continue  # a mount we cannot read may keep the results
        lost = lost_results(script.text, script.path, ctx.settings, volumes)
        if not lost:
            continue
        arg = _script_arg(job)
        assert arg is not None
        first = lost[0]
        if script.path is None:
            # The key, not the whole string: a diagnostic over fifty lines of code hides them.
            where: ast.AST = arg.key_node if isinstance(arg.key_node, ast.AST) else arg.value_node
            string = string_node(ctx, arg)
            assert string is not None
            origin = _inline_origin(ctx, string)
            spans = [_in_this_file(f.span, origin, ctx.doc.span(string)) for f in lost]
            related = tuple(Related(ctx.doc.path, s, f"{f.code}: {f.message}") for s, f in zip(spans, lost))
            line = f"line {spans[0].start_line + 1}" if origin else f"line {first.span.start_line + 1} of the code"
        else:
            where = arg.value_node
            related = tuple(Related(script.path, f.span, f"{f.code}: {f.message}") for f in lost)
            line = f"line {first.span.start_line + 1}"
        more = f" (and {len(lost) - 1} more)" if len(lost) > 1 else ""
        yield ctx.finding(
            "HS308",
            where,
            f"the job runs {script.name}, which loses the trained model: {line}: {first.message}{more}",
            related=related,
        )


def lost_results(text: str, path: str | None, settings, volumes) -> list[Finding]:
    """What in a job's script loses the trained model (HS101, HS102, HS106), unless the
    config writes under a writable mounted volume (then its files outlive the job)."""
    from ..document import Document
    from ..engine import analyze  # the script gets the same analysis, limited to what loses results
    from ..facts import Facts
    from ..job_argv import survives

    # HS308 being on is the user's choice here: the script's own `ignore` comments
    # count, the selection of rules for this file (which may leave HS101 out) does not.
    script_settings = dataclasses.replace(
        settings, select=LOSES_RESULTS, ignore=frozenset(), ephemeral=True, sources=None, severity={}
    )
    result = analyze(text, path, script_settings)
    lost = [f for f in result.findings if f.code in LOSES_RESULTS]
    if lost and any(v.writable for v in volumes):
        assert isinstance(result.document, Document)
        configs = Facts.of(result.document).configs
        outputs = [c.value("output_dir", None) for c in configs]
        if all(survives(o if isinstance(o, str) else None, volumes) for o in outputs):
            return []
    return lost


def _in_this_file(span: Span, origin: tuple[int, int] | None, fallback: Span) -> Span:
    """A span of inline code, as a span of the document that holds the string."""
    if origin is None:
        return fallback
    line, col = origin

    def shift(at_line: int, at_col: int) -> tuple[int, int]:
        return line + at_line, (col + at_col) if at_line == 0 else at_col

    start, end = shift(span.start_line, span.start_col), shift(span.end_line, span.end_col)
    return Span(*start, *end)


# What each ignored table key means for the job, in the message.
_LOST = {
    "secrets": "secrets {} (the job gets no token and cannot push)",
    "timeout": "timeout {} (the job is killed after 30 minutes)",
    "flavor": "flavor {} (the job runs on cpu-basic)",
    "volumes": "volumes {}",
    "env": "env {}",
    "image": "image {}",
}
_OPTION_OF = {"secrets": "secrets", "timeout": "timeout", "flavor": "flavor", "volumes": "volumes", "env": "env", "image": "image"}


@rule("HS313", "header-ignored", Severity.ERROR, triggers=JOB_TRIGGERS, fixes=(SAFE,))
def header_ignored(ctx: RuleContext) -> Iterator[Finding]:
    """A script's `[tool.hf-jobs]` table is ignored by `run_uv_job()` and the MCP tool.

    ## Why
    `hf jobs uv run` reads the table in the script's `# /// script` header
    (flavor, timeout, secrets, volumes, ...) and uses what the command line
    does not set. `run_uv_job()`, `create_scheduled_uv_job()` and the MCP
    `hf_jobs` tool never read it: the same script submitted with them runs on
    `cpu-basic`, for 30 minutes, without its secrets. hubsave reads the table
    of the local file `run_uv_job` uploads, or of the inline code an
    `hf_jobs` call sends, and names the settings that are lost.

    ## Bad
    ```python
    # train.py: [tool.hf-jobs] flavor = "a10g-large", timeout = "3h", secrets = ["HF_TOKEN"]
    run_uv_job("train.py")
    ```

    ## Good
    ```python
    run_uv_job("train.py", flavor="a10g-large", timeout="3h", secrets={"HF_TOKEN": get_token()})
    ```

    ## Fix
    Safe (the settings the table already asks for): passes the table's `flavor`, `timeout` and `secrets` as arguments
    (`get_token()` for `HF_TOKEN` with the Python API, `"$HF_TOKEN"` with the
    MCP tool); other settings are only named.
    """
    from ..hf_jobs_table import LAUNCH_KEYS, read_table

    for job in ctx.facts.running_jobs:
        if job.open:
            continue
        script = _analyzed_script(ctx, job)
        if script is None:
            continue
        table = read_table(script.text)
        if table is None:
            continue
        lost = [k for k in LAUNCH_KEYS if table.values.get(k) and _OPTION_OF[k] not in job.options]
        if not lost:
            continue
        arg = _script_arg(job)
        assert arg is not None
        described = ", ".join(_LOST[k].format(_shown(table.values[k])) for k in lost)
        yield ctx.finding(
            "HS313",
            arg.value_node if script.path is not None else (arg.key_node if isinstance(arg.key_node, ast.AST) else arg.value_node),
            f"{job.function}() ignores the script's [tool.hf-jobs] table (only hf jobs uv run reads it): "
            f"lost are {described}",
            fix=_pass_table_fix(ctx, job, table, lost),
            related=(Related(script.path, Span(table.line, 0, table.line, 0), "the [tool.hf-jobs] table"),) if script.path else (),
        )


def _shown(value) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return ", ".join(value)
    return repr(value)


def _pass_table_fix(ctx: RuleContext, job: JobCall, table, lost: list[str]):
    from ..findings import FixRequest, step

    steps = []
    mcp = job.form == "mcp"
    if mcp and job.options_dict is None:
        return None
    for key in ("flavor", "timeout"):
        value = table.get(key)
        if key in lost and value is not None:
            steps.append(_option_step(ctx, job, key, f'"{value}"'))
    if "secrets" in lost:
        names = table.secrets
        token = "$HF_TOKEN" if mcp else None
        entries = []
        for name in names:
            if name == "HF_TOKEN":
                entries.append(f'"HF_TOKEN": "{token}"' if mcp else '"HF_TOKEN": get_token()')
            else:
                return None  # another secret's value is the user's to pass
        steps.append(_option_step(ctx, job, "secrets", "{" + ", ".join(entries) + "}"))
        if not mcp:
            steps.append(step("add_import", module="huggingface_hub", name="get_token"))
    if not steps:
        return None
    # The settings the table already asks for, now where this form reads them.
    return FixRequest("Pass the [tool.hf-jobs] settings as arguments", tuple(steps), SAFE)


def _option_step(ctx: RuleContext, job: JobCall, key: str, value: str):
    from ..findings import step

    if job.form == "mcp":
        assert job.options_dict is not None
        return step("set_dict_entry", dict=ctx.doc.span(job.options_dict), key=f'"{key}"', value=value)
    return step("set_keyword", **ctx.at_call(job.call), name=key, value=value)
