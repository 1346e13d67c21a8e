"""HS111, HS112: a job's script arguments decide whether it pushes, and must exist.

The Python forms here (`run_uv_job(URL, script_args=[...])`, `run_job(command=[...])`,
MCP `hf_jobs(..., {"script_args": [...]})`); shell command lines go through
`command_lines.analyze_shell`. Both read the argv with `job_argv` and judge it with
`script_arguments.check_program`.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator

from ..catalog import MCP_UV_OPERATIONS, UV_JOB_FUNCTIONS
from ..facts import JobCall
from ..findings import SAFE, UNSAFE, Finding, Severity, Span, step
from ..job_argv import Program, program_of_command, program_of_script
from ..python_argv import job_volumes, list_words
from .script_arguments import check_program
from ..shell_words import Word
from .jobs import JOB_TRIGGERS
from .registry import rule

if TYPE_CHECKING:
    from ..context import RuleContext


def _program(ctx: RuleContext, job: JobCall) -> tuple[Program, ast.expr | None] | None:
    """The job's program and the list node holding its arguments (None: no such list yet)."""
    uv = job.function in UV_JOB_FUNCTIONS if job.form == "python" else job.operation in MCP_UV_OPERATIONS
    if uv:
        from .job_scripts import string_node

        script = job.options.get("script")
        node = string_node(ctx, script)  # written there, or a name bound once to it
        if script is None or node is None:
            return None
        word = Word(node.value, ctx.doc.span(script.value_node), ctx.source(script.value_node))
        args_arg = job.options.get("script_args")
        if args_arg is None:
            program = program_of_script(word, [])
            if program is not None:
                program.open = job.open
            return (program, None) if program is not None else None
        words = list_words(ctx.doc, args_arg.value_node)
        program = program_of_script(word, words or [])
        if program is None:
            return None
        program.open = program.open or words is None
        return program, args_arg.value_node if words is not None else None
    command = job.options.get("command")
    words = list_words(ctx.doc, command.value_node) if command is not None else None
    if words is None:
        return None
    program = program_of_command(words)
    return (program, command.value_node) if program is not None else None  # type: ignore[union-attr]


def _appender(ctx: RuleContext, job: JobCall, node: ast.expr | None):
    def append(extra: list[str]):
        if isinstance(node, (ast.List, ast.Tuple)):
            quote = next((ctx.source(e)[0] for e in node.elts if ctx.source(e)[:1] in "'\""), '"')
            items = ", ".join(f"{quote}{w}{quote}" for w in extra)
            if node.elts:
                end = ctx.doc.span(node.elts[-1])
                at = Span(end.end_line, end.end_col, end.end_line, end.end_col)
                return step("replace", span=at, text=f", {items}")
            whole = ctx.doc.span(node)
            at = Span(whole.end_line, whole.end_col - 1, whole.end_line, whole.end_col - 1)
            return step("replace", span=at, text=items)
        if node is None and job.form == "python":
            items = ", ".join(f'"{w}"' for w in extra)
            return step("set_keyword", **ctx.at_call(job.call), name="script_args", value=f"[{items}]")
        if node is None and job.options_dict is not None:
            items = ", ".join(f'"{w}"' for w in extra)
            return step("set_dict_entry", dict=ctx.doc.span(job.options_dict), key='"script_args"', value=f"[{items}]")
        return None

    return append


def argv_findings(ctx: RuleContext, code: str) -> Iterator[Finding]:
    """The argv findings of one code: HS111 and HS112 here, and HS103 / HS105 / HS204
    for `--hub_model_id` / `--hub_strategy` values, reported by those rules."""
    return (f for f in _findings(ctx) if f.code == code)


def _findings(ctx: RuleContext) -> list[Finding]:
    """Every argv finding of the document, computed once for every code that reads it."""
    cached = ctx.doc.cache.get("job_script_args")
    if cached is None:
        cached = ctx.doc.cache["job_script_args"] = []
        for job in ctx.facts.running_jobs:
            found = _program(ctx, job)
            if found is None:
                continue
            program, node = found
            cached.extend(check_program(program, ctx.settings, ctx.doc.path, job_volumes(job), _appender(ctx, job, node)))
    return cached


@rule("HS111", "script-args-never-push", Severity.ERROR, triggers=JOB_TRIGGERS, fixes=(SAFE, UNSAFE))
def script_args_never_push(ctx: RuleContext) -> Iterator[Finding]:
    """A job runs a script whose arguments never turn on `push_to_hub`: the model is lost.

    ## Why
    TRL's scripts (`trl/scripts/sft.py` by URL, `python -m trl.scripts.sft`,
    `accelerate launch -m trl.scripts.sft`), the `trl sft|dpo|grpo|...` CLI
    and local scripts built on `TrlParser` / `HfArgumentParser` take their
    whole training config from the command line. They push only with
    `--push_to_hub` (or `push_to_hub: true` in the `--config` YAML). Without
    it the model is written to `--output_dir` inside the job's container,
    which is deleted when the job ends. Output written under a writable
    mounted bucket (`-v hf://buckets/...:/mnt`) survives: no finding then.

    ## Bad
    ```bash
    hf jobs uv run --flavor a10g-large --secrets HF_TOKEN --timeout 2h \\
        https://raw.githubusercontent.com/huggingface/trl/main/trl/scripts/sft.py \\
        --model_name_or_path Qwen/Qwen2-0.5B --dataset_name trl-lib/Capybara --output_dir qwen-sft
    ```

    ## Good
    ```bash
    hf jobs uv run --flavor a10g-large --secrets HF_TOKEN --timeout 2h \\
        https://raw.githubusercontent.com/huggingface/trl/main/trl/scripts/sft.py \\
        --model_name_or_path Qwen/Qwen2-0.5B --dataset_name trl-lib/Capybara --output_dir qwen-sft \\
        --push_to_hub --hub_model_id alice/qwen-sft
    ```

    ## Fix
    Safe when the repo is named too (`--hub_model_id` written or added);
    unsafe when it sets a written `--push_to_hub false` (a value you wrote) or
    could not name the repo. Adds `--push_to_hub` after the script's arguments (and `--hub_model_id
    <namespace>/<output_dir name>` when the Hub login is known), or sets a
    written `--push_to_hub false` to `true`. Unknown arguments (`"$@"`, a list
    built at run time) or a `--config` file that is not in the workspace keep
    the rule silent.
    """
    yield from argv_findings(ctx, "HS111")


@rule("HS112", "unknown-script-argument", Severity.ERROR, triggers=JOB_TRIGGERS, fixes=(SAFE, UNSAFE))
def unknown_script_argument(ctx: RuleContext) -> Iterator[Finding]:
    """An argument TRL's script does not accept: the job stops at start.

    ## Why
    `TrlParser` (trl 1.16) hands every argument to `HfArgumentParser`, which
    raises "Some specified arguments are not used by the HfArgumentParser" for
    one that no dataclass of the script (`ScriptArguments`, the trainer's
    config, `ModelConfig`, `DatasetMixtureConfig`) has: the job has started,
    the GPU is paid, and it stops before training. Arguments removed from
    recent releases are the usual cause: `--max_seq_length` (now
    `--max_length`), `--evaluation_strategy` (`--eval_strategy`),
    `--torch_dtype` (`--dtype`), `--warmup_ratio`. With the `trl` CLI an
    argument the script does not know goes to `accelerate launch`, so only
    removed ones are reported there.

    ## Bad
    ```bash
    trl sft --model_name_or_path Qwen/Qwen2-0.5B --max_seq_length 2048 --output_dir out
    ```

    ## Good
    ```bash
    trl sft --model_name_or_path Qwen/Qwen2-0.5B --max_length 2048 --output_dir out
    ```

    ## Fix
    Safe for a known replacement whose value carries over; unsafe when the
    value needs converting (`--group_by_length` is `--train_sampling_strategy group_by_length`). Renames a removed argument to its known replacement; a misspelling is
    only named in the message.
    """
    yield from argv_findings(ctx, "HS112")
