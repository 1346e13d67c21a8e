"""HS312, HS314: jobs whose command line cannot work (no such program, no such file).

Shell text reaches these codes through `command_lines.analyze_shell`; here are the
Python forms: a `run_job(command=[...])` / MCP `command` list, and an `hf jobs`
argv handed to `subprocess`.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator

from ..findings import SAFE, Finding, FixRequest, Severity
from ..nodes import remembered, statement_nodes
from ..python_argv import list_words
from .jobs import JOB_TRIGGERS
from .registry import rule

if TYPE_CHECKING:
    from ..context import RuleContext


@rule("HS312", "local-file-not-in-job", Severity.ERROR, triggers=JOB_TRIGGERS)
def local_file_not_in_job(ctx: RuleContext) -> Iterator[Finding]:
    """A job runs a file from your machine that the job does not have.

    ## Why
    `hf jobs run IMAGE COMMAND...` and `run_job(image=..., command=[...])` upload
    nothing: the command runs in a fresh container of the image. A script named
    in it (`python train.py`, `uv run scripts/x.py`) exists there only if the
    image has it or a volume mounts it, so the job fails with "file not found".
    And in `hf jobs run -- uv run x.py` the first word after the options is the
    image: the job tries to pull an image called `uv`.

    ## Bad
    ```bash
    hf jobs run --flavor a10g-large python:3.12 python train.py
    hf jobs run --flavor a10g-large -- uv run train.py
    ```

    ## Good
    ```bash
    hf jobs uv run --flavor a10g-large --secrets HF_TOKEN --timeout 2h train.py   # uploads train.py
    hf jobs run --secrets HF_TOKEN --timeout 2h -v ./project:/code python:3.12 python /code/train.py
    ```

    ## Fix
    None automatic: submit with `hf jobs uv run` / `run_uv_job`, which upload
    the script, or mount its folder with a volume. Only well-known public
    images (`python`, `pytorch/pytorch`, `huggingface/trl`, `nvidia/cuda`, ...)
    are taken as not having your file; an absolute path may be in the image.
    """
    from .cli_checks import base_image_local_script

    for job in ctx.facts.running_jobs:
        is_run = job.function in ("run_job", "create_scheduled_job") or job.operation in ("run", "scheduled run")
        if not is_run or job.open or "volumes" in job.options:
            continue
        image = job.value("image", None)
        command = job.options.get("command")
        words = list_words(ctx.doc, command.value_node) if command is not None else None
        if not isinstance(image, str) or words is None:
            continue
        found = base_image_local_script(image, words)
        if found is not None:
            word, path = found
            yield ctx.finding(
                "HS312",
                word.span,
                f"{path!r} is a file on your machine: {job.function} uploads nothing and the {image} image "
                "does not have it, so the job fails with file not found; use run_uv_job, or mount its folder "
                "with a volume",
            )


@rule("HS314", "legacy-jobs-cli", Severity.ERROR, triggers=("huggingface-cli",), fixes=(SAFE,))
def legacy_jobs_cli(ctx: RuleContext) -> Iterator[Finding]:
    """`huggingface-cli jobs ...`: that program is gone, no job starts.

    ## Why
    huggingface_hub 1.0 removed the `huggingface-cli` command; its commands
    live on as `hf`. A script, Makefile, guide or CI step that still calls
    `huggingface-cli jobs uv run ...` stops at "command not found" (the
    separate `hfjobs` package is another program: not this rule).

    ## Bad
    ```bash
    huggingface-cli jobs uv run --flavor a10g-large train.py
    ```

    ## Good
    ```bash
    hf jobs uv run --flavor a10g-large --secrets HF_TOKEN --timeout 2h train.py
    ```

    ## Fix
    Safe: replaces `huggingface-cli` with `hf` (same subcommands and options).
    """
    for stmt in ctx.doc.statements_where("legacy-jobs-argv", None, keep=_holds_legacy_argv).body:
        for node in remembered(stmt, _legacy_argvs):
            first = node.elts[0]
            quote = ctx.source(first)[:1]
            yield ctx.finding(
                "HS314",
                first,
                "huggingface-cli is gone since huggingface_hub 1.0: the command is not found and no job starts; use hf",
                fix=FixRequest.make("Use hf", SAFE, "replace", span=ctx.doc.span(first), text=f"{quote}hf{quote}"),
            )


def _holds_legacy_argv(stmt: ast.stmt) -> bool:
    return bool(remembered(stmt, _legacy_argvs))


def _legacy_argvs(stmt: ast.AST) -> list[ast.List | ast.Tuple]:
    """List and tuple literals starting "huggingface-cli", "jobs" (the words
    `list_words` reads from their string constants), kept on the statement."""
    return [
        node
        for node in statement_nodes(stmt)
        if isinstance(node, (ast.List, ast.Tuple))
        and len(node.elts) >= 2
        and all(isinstance(e, ast.Constant) and e.value == w for e, w in zip(node.elts, ("huggingface-cli", "jobs")))
    ]


@rule("HS311", "jobs-option-after-script", Severity.ERROR, triggers=(), fixes=(SAFE,))
def jobs_option_after_script(ctx: RuleContext) -> Iterator[Finding]:
    """An argument meant for the script is also an `hf jobs` option: hf jobs takes it.

    ## Why
    `hf jobs uv run` (huggingface_hub 2.4) is a click command that parses
    options wherever they appear before `--`: an option written after the
    script is still a Jobs option. (So `hf jobs uv run train.py --flavor
    a10g-large` does run on an A10G.) When the script declares an option of
    the same name (`--name`, `--timeout`, `-e`, `-v`, `-p`, `-d`...), the value
    written for the script goes to the Job instead (its name, env, volumes,
    timeout) and the script never gets it: it runs with its default or stops
    for a missing argument. hubsave reads the options the uploaded script
    declares with argparse's `add_argument`.

    ## Bad
    ```bash
    hf jobs uv run --secrets HF_TOKEN --timeout 2h train.py --name qwen-run-3 --epochs 3
    ```

    ## Good
    ```bash
    hf jobs uv run --secrets HF_TOKEN --timeout 2h -- train.py --name qwen-run-3 --epochs 3
    ```

    ## Fix
    Safe (the arguments go where they were written for). Puts `--` before the script, so every argument after it goes to the
    script; offered only when each Jobs option after the script is one the
    script declares. Command lines only (shell scripts, Makefiles, Markdown,
    workflow steps); Python submissions pass the script's arguments apart.
    """
    # Found by `command_lines.analyze_shell` only (no trigger: never run on Python).
    return iter(())
