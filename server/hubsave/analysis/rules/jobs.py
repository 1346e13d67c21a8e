"""HS3xx: job submissions, the MCP `hf_jobs(...)` tool call and the Python Jobs API."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator

from ..catalog import (
    DEFAULT_JOB_TIMEOUT,
    MCP_TOKEN_PLACEHOLDERS,
)
from ..facts import Arg, JobCall, dict_items, token_entries
from ..findings import SAFE, UNSAFE, Finding, FixRequest, Severity, step
from .registry import rule

if TYPE_CHECKING:
    from ..context import RuleContext

JOB_TRIGGERS = ("hf_jobs", "_job")
_GET_TOKEN = "get_token()"


def _dict_quote(ctx: RuleContext, node: ast.Dict | None) -> str:
    if node is not None:
        for key in node.keys:
            if key is not None and ctx.source(key)[:1] in "'\"":
                return ctx.source(key)[0]
    return '"'


def _set_option(ctx: RuleContext, job: JobCall, key: str, value: str, quote: str):
    """The edit step that sets one job option, in the form the submission uses."""
    if job.form == "mcp":
        assert job.options_dict is not None
        return step("set_dict_entry", dict=ctx.doc.span(job.options_dict), key=f"{quote}{key}{quote}", value=value)
    return step("set_keyword", **ctx.at_call(job.call), name=key, value=value)


def _token_secret_fix(ctx: RuleContext, job: JobCall) -> FixRequest | None:
    if job.form == "mcp" and job.options_dict is None:
        return None
    quote = _dict_quote(ctx, job.options_dict)
    token = f"{quote}HF_TOKEN{quote}"
    value = f"{quote}$HF_TOKEN{quote}" if job.form == "mcp" else _GET_TOKEN
    secrets = job.options.get("secrets")
    if secrets is not None and isinstance(secrets.value_node, ast.Dict):
        steps = [step("set_dict_entry", dict=ctx.doc.span(secrets.value_node), key=token, value=value)]
    else:
        steps = [_set_option(ctx, job, "secrets", f"{{{token}: {value}}}", quote)]
    if job.form == "python":
        steps.append(step("add_import", module="huggingface_hub", name="get_token"))
    title = 'Add the HF_TOKEN secret ("$HF_TOKEN")' if job.form == "mcp" else "Add secrets={\"HF_TOKEN\": get_token()}"
    return FixRequest(title, tuple(steps), UNSAFE)


@rule("HS301", "job-without-token", Severity.ERROR, triggers=JOB_TRIGGERS, fixes=(UNSAFE,))
def job_without_token(ctx: RuleContext) -> Iterator[Finding]:
    """A job is submitted without the `HF_TOKEN` secret: it cannot push its results.

    ## Why
    Nothing passes your login into a job's container. Without an `HF_TOKEN`
    secret, `push_to_hub` fails with 401 at the end of training and the
    container, with the model, is deleted.

    ## Bad
    ```python
    hf_jobs("uv", {"script": "train.py", "flavor": "a10g-large"})
    run_uv_job("train.py", flavor="a10g-large")
    ```

    ## Good
    ```python
    hf_jobs("uv", {"script": "https://example.com/train.py", "timeout": "2h", "secrets": {"HF_TOKEN": "$HF_TOKEN"}})
    run_uv_job("train.py", timeout="2h", secrets={"HF_TOKEN": get_token()})
    ```

    ## Fix
    Unsafe (it hands your token to the job): the MCP tool replaces exactly
    `"$HF_TOKEN"` with your token; the Python API sends values verbatim, so it
    gets `get_token()` (and its import).
    """
    for job in ctx.facts.running_jobs:
        secrets = job.options.get("secrets")
        if secrets is None:
            if job.open:
                continue
        elif not isinstance(secrets.value_node, ast.Dict) or token_entries(secrets):
            continue
        elif not all(isinstance(k, ast.Constant) for k in secrets.value_node.keys):
            continue  # `**other` or computed keys: it may be there
        if token_entries(job.options.get("env")):
            continue  # HS303 tells it to move to secrets
        yield ctx.finding(
            "HS301",
            job.call.func,
            "job submitted without the HF_TOKEN secret: it cannot push to the Hub, and its "
            "results are deleted with the container",
            fix=_token_secret_fix(ctx, job),
        )


@rule("HS302", "hardcoded-job-token", Severity.ERROR, triggers=JOB_TRIGGERS, fixes=(UNSAFE,))
def hardcoded_job_token(ctx: RuleContext) -> Iterator[Finding]:
    """A literal token is written into a job's `HF_TOKEN` secret or env value.

    ## Why
    The token is in your source (and your git history, and every copy of the
    script) for anyone to use. The value is never shown in the message.

    ## Bad
    ```python
    hf_jobs("uv", {"script": "train.py", "secrets": {"HF_TOKEN": "hf_abc123..."}})
    ```

    ## Good
    ```python
    hf_jobs("uv", {"script": "https://example.com/train.py", "timeout": "2h", "secrets": {"HF_TOKEN": "$HF_TOKEN"}})
    ```

    ## Fix
    Unsafe (the job then runs with your login's token, not the one written):
    MCP: `"$HF_TOKEN"`; Python API: `get_token()` (and its import).
    """
    for job in ctx.facts.running_jobs:
        for option in ("secrets", "env"):
            for _, _, value in token_entries(job.options.get(option)):
                text = value.value if isinstance(value, ast.Constant) else None
                if not isinstance(text, str) or text.strip() in MCP_TOKEN_PLACEHOLDERS or not text.strip():
                    continue
                if job.form == "mcp":
                    quote = ctx.source(value)[0]
                    fix = FixRequest.make(
                        'Use "$HF_TOKEN"', UNSAFE, "replace", span=ctx.doc.span(value), text=f"{quote}$HF_TOKEN{quote}"
                    )
                else:
                    fix = FixRequest(
                        "Use get_token()",
                        (
                            step("replace", span=ctx.doc.span(value), text=_GET_TOKEN),
                            step("add_import", module="huggingface_hub", name="get_token"),
                        ),
                        UNSAFE,
                    )
                yield ctx.finding(
                    "HS302",
                    value,
                    f"a token is written into the job's {option}: anyone with the script can use it",
                    fix=fix,
                )


@rule("HS303", "token-in-env", Severity.WARNING, triggers=JOB_TRIGGERS, fixes=(SAFE, UNSAFE))
def token_in_env(ctx: RuleContext) -> Iterator[Finding]:
    """`HF_TOKEN` is passed in a job's `env` instead of its `secrets`.

    ## Why
    Environment values are shown in the job's details to anyone who can see
    the job; secrets are not.

    ## Bad
    ```python
    hf_jobs("uv", {"script": "train.py", "env": {"HF_TOKEN": "$HF_TOKEN"}})
    ```

    ## Good
    ```python
    hf_jobs("uv", {"script": "https://example.com/train.py", "timeout": "2h", "secrets": {"HF_TOKEN": "$HF_TOKEN"}})
    ```

    ## Fix
    Safe: moves the entry from `env` to `secrets`. Unsafe when `secrets`
    already has a token, which the moved one replaces.
    """
    for job in ctx.facts.running_jobs:
        env = job.options.get("env")
        for key, key_node, value in token_entries(env):
            fix = None
            secrets = job.options.get("secrets")
            if env is not None and (job.form == "python" or job.options_dict is not None):
                assert isinstance(env.value_node, ast.Dict)
                entry = f"{ctx.source(key_node)}: {ctx.source(value)}"
                if secrets is not None and isinstance(secrets.value_node, ast.Dict):
                    add = step("set_dict_entry", dict=ctx.doc.span(secrets.value_node), key=ctx.source(key_node), value=ctx.source(value))
                elif secrets is None:
                    add = _set_option(ctx, job, "secrets", f"{{{entry}}}", _dict_quote(ctx, job.options_dict))
                else:
                    add = None
                if add is not None:
                    # Remove first: the env dict comes before a new `secrets` option.
                    remove = _remove_token_from_env(ctx, job, env, key_node)
                    fix = FixRequest(
                        "Move HF_TOKEN from env to secrets",
                        (add, remove) if _after(secrets, env) else (remove, add),
                        # Over a token already in secrets: which of the two the job used is unknown.
                        UNSAFE if token_entries(secrets) else SAFE,
                    )
            yield ctx.finding(
                "HS303",
                key_node,
                f"{key} is passed in env: anyone who can see the job's details can read it; use secrets",
                fix=fix,
            )


def _remove_token_from_env(ctx: RuleContext, job: JobCall, env: Arg, key_node: ast.expr):
    """Drop the entry, or the whole `env` option when the token was all it held."""
    assert isinstance(env.value_node, ast.Dict)
    if len(env.value_node.keys) > 1:
        return step("remove_dict_entry", dict=ctx.doc.span(env.value_node), key=ctx.source(key_node))
    if job.form == "mcp":
        assert job.options_dict is not None and isinstance(env.key_node, ast.expr)
        return step("remove_dict_entry", dict=ctx.doc.span(job.options_dict), key=ctx.source(env.key_node))
    return step("remove_keyword", **ctx.at_call(job.call), name="env")


def _after(secrets: Arg | None, env: Arg) -> bool:
    """Whether editing `secrets` first leaves `env`'s position unchanged."""
    return secrets is not None and (secrets.span.start_line, secrets.span.start_col) > (
        env.span.start_line,
        env.span.start_col,
    )


@rule("HS304", "default-timeout", Severity.WARNING, triggers=JOB_TRIGGERS, fixes=(UNSAFE,))
def default_timeout(ctx: RuleContext) -> Iterator[Finding]:
    """A training job has no `timeout`: it is killed after the default 30 minutes.

    ## Why
    Jobs stop at 30 minutes unless told otherwise. Training rarely fits; the
    job is killed mid-run and its files are deleted with the container.

    ## Bad
    ```python
    hf_jobs("uv", {"script": "train.py", "secrets": {"HF_TOKEN": "$HF_TOKEN"}})
    ```

    ## Good
    ```python
    hf_jobs("uv", {"script": "https://example.com/train.py", "timeout": "2h", "secrets": {"HF_TOKEN": "$HF_TOKEN"}})
    ```

    ## Fix
    Unsafe (a guess at the run's length): adds `timeout="2h"`; adjust it.
    """
    for job in ctx.facts.running_jobs:
        if "timeout" in job.options or job.open:
            continue
        if _script_clearly_does_not_train(job):
            continue
        fix = None
        if job.form == "python" or job.options_dict is not None:
            quote = _dict_quote(ctx, job.options_dict)
            fix = FixRequest(
                f'Add timeout "{DEFAULT_JOB_TIMEOUT}"',
                (_set_option(ctx, job, "timeout", f"{quote}{DEFAULT_JOB_TIMEOUT}{quote}", quote),),
                UNSAFE,
            )
        yield ctx.finding(
            "HS304",
            job.call.func,
            "job without a timeout: it is killed after the default 30 minutes and its results deleted",
            fix=fix,
        )


def _script_clearly_does_not_train(job: JobCall) -> bool:
    """Inline code or a command we can read, and it never mentions training."""
    script = job.value("script", None) if job.form == "mcp" else None
    if job.form == "mcp" and isinstance(script, str) and "\n" in script:
        return "train" not in script.lower()
    command = job.value("command", None)
    if job.operation in ("run", "scheduled run") or job.function in ("run_job", "create_scheduled_job"):
        if isinstance(command, (list, tuple)) and all(isinstance(c, str) for c in command):
            return "train" not in " ".join(command).lower()
    return False


@rule("HS306", "unexpanded-token-placeholder", Severity.ERROR, triggers=("$HF_TOKEN", "${HF_TOKEN}"), fixes=(SAFE,))
def unexpanded_token_placeholder(ctx: RuleContext) -> Iterator[Finding]:
    """`"$HF_TOKEN"` in a Python Jobs API call: sent literally, not expanded.

    ## Why
    Only the MCP `hf_jobs` tool replaces `"$HF_TOKEN"` with your token.
    `run_uv_job`, `run_job` and the scheduled variants send the string as it
    is: the job's token is the eight characters `$HF_TOKEN` and every push
    fails with 401.

    ## Bad
    ```python
    run_uv_job("train.py", secrets={"HF_TOKEN": "$HF_TOKEN"})
    ```

    ## Good
    ```python
    from huggingface_hub import get_token
    run_uv_job("train.py", timeout="2h", secrets={"HF_TOKEN": get_token()})
    ```

    ## Fix
    Safe: `get_token()` (and its import), the token `"$HF_TOKEN"` meant.
    """
    for job in ctx.facts.running_jobs:
        if job.form != "python":
            continue
        for option in ("secrets", "env"):
            mapping = job.options.get(option)
            if mapping is None or not isinstance(mapping.value_node, ast.Dict):
                continue
            for key, _, value in dict_items(mapping.value_node):
                if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                    continue
                if value.value.strip() not in MCP_TOKEN_PLACEHOLDERS:
                    continue
                yield ctx.finding(
                    "HS306",
                    value,
                    f'"{value.value.strip()}" in {option} is sent literally by {job.function}: the job gets '
                    "the string, not your token, and cannot push",
                    fix=FixRequest(
                        "Use get_token()",
                        (
                            step("replace", span=ctx.doc.span(value), text=_GET_TOKEN),
                            step("add_import", module="huggingface_hub", name="get_token"),
                        ),
                        SAFE,
                    ),
                )
