"""HS1xx: trainer configs (`TrainingArguments` and every TRL config) that lose the model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..catalog import REMOVED_HUB_ARGUMENTS
from ..facts import ConfigCall, derived_repo_name
from ..findings import (
    DISPLAY_ONLY,
    SAFE,
    SNIPPET_NAME,
    SNIPPET_NAMESPACE,
    UNSAFE,
    Applicability,
    EditStep,
    Finding,
    FixRequest,
    Severity,
    Tag,
    step,
)
from .registry import rule

if TYPE_CHECKING:
    from ..context import RuleContext

CONFIG_TRIGGERS = ("Config", "TrainingArguments")


def _loses_results_severity(ctx: RuleContext) -> Severity:
    # In a job the container (and the model) is deleted; a local run keeps its files.
    return Severity.ERROR if ctx.job_script else Severity.WARNING


def _pushes_elsewhere(ctx: RuleContext) -> bool:
    return ctx.facts.pushes_elsewhere


def quote_of(ctx: RuleContext, config: ConfigCall) -> str:
    """The quote character the call already uses, so inserted strings match."""
    for arg in config.args.values():
        text = ctx.source(arg.value_node)
        if text[:1] in "'\"":
            return text[0]
    return '"'


def hub_model_id_fixes(
    ctx: RuleContext, config: ConfigCall, first: tuple[EditStep, ...], title: str, grade: Applicability
) -> list[FixRequest]:
    """`first` (what turns pushing on) plus `hub_model_id`, so the fix never leaves HS103 behind.

    With the Hub login known: one fix per namespace, the login's own first (where the
    Trainer pushes today, so it keeps `grade`) then its orgs (another target: unsafe).
    Without it: a display-only snippet whose namespace the editor selects for typing.
    """
    if config.has("hub_model_id") and first:
        return [FixRequest(title, first, grade)]
    call = ctx.at_call(config.call)
    quote = quote_of(ctx, config)
    name = derived_repo_name(config)
    login = ctx.settings.namespace
    joined = f"{title}, " if first else ""
    if login and name:
        return [
            FixRequest(
                f'{joined}{"add" if first else "Add"} hub_model_id="{owner}/{name}"',
                (*first, step("set_keyword", **call, name="hub_model_id", value=f"{quote}{owner}/{name}{quote}")),
                grade if owner == login else UNSAFE,
            )
            for owner in dict.fromkeys((login, *ctx.settings.namespaces))
        ]
    value = f"{quote}{login or SNIPPET_NAMESPACE}/{name or SNIPPET_NAME}{quote}"
    return [
        FixRequest(
            f"{joined}{'add' if first else 'Add'} hub_model_id (type the repo id)",
            (*first, step("set_keyword", **call, name="hub_model_id", value=value)),
            DISPLAY_ONLY,
        )
    ]


@rule("HS101", "push-to-hub-missing", Severity.WARNING, triggers=CONFIG_TRIGGERS, fixes=(SAFE, DISPLAY_ONLY))
def push_to_hub_missing(ctx: RuleContext) -> Iterator[Finding]:
    """A trainer config never pushes to the Hub, and the script uploads no other way.

    ## Why
    `push_to_hub` defaults to `False`. A Hugging Face Job runs in a throw-away
    container: when it ends, its disk is deleted, and the trained model with it.
    Error in a job script (a PEP 723 `# /// script` block, a script a job
    submission names, or the `ephemeral` setting), warning elsewhere.

    ## Bad
    ```python
    config = SFTConfig(output_dir="qwen-sft", num_train_epochs=3)
    ```

    ## Good
    ```python
    config = SFTConfig(output_dir="qwen-sft", num_train_epochs=3,
                       push_to_hub=True, hub_model_id="alice/qwen-sft")
    ```

    ## Fix
    Safe: adds `push_to_hub=True` and `hub_model_id="<namespace>/<name>"` together
    (the namespace of your Hub login, the name from `output_dir`), so the fix does
    not leave HS103 behind. Without a known login the editor offers a display-only
    snippet that selects the namespace for you to type; fix-all and `--fix` skip it.
    Silent when the script pushes another way (`trainer.push_to_hub()`,
    `model.push_to_hub(...)`, `upload_folder(...)`).
    """
    if _pushes_elsewhere(ctx):
        return
    for config in ctx.facts.configs:
        if config.has("push_to_hub") or config.open:
            continue
        push = step("set_keyword", **ctx.at_call(config.call), name="push_to_hub", value="True")
        fixes = hub_model_id_fixes(ctx, config, (push,), "Add push_to_hub=True", SAFE)
        yield ctx.finding(
            "HS101",
            config.call.func,
            f"{config.config} never pushes to the Hub (push_to_hub defaults to False): "
            "when the job's container is deleted, the trained model is lost",
            severity=_loses_results_severity(ctx),
            fix=fixes[0],
            alternatives=tuple(fixes[1:]),
        )


@rule("HS102", "push-to-hub-disabled", Severity.WARNING, triggers=CONFIG_TRIGGERS, fixes=(UNSAFE, DISPLAY_ONLY))
def push_to_hub_disabled(ctx: RuleContext) -> Iterator[Finding]:
    """`push_to_hub=False` in a trainer config, and the script uploads no other way.

    ## Why
    Nothing is uploaded during or after training. In a Hugging Face Job the
    container is deleted when the job ends, and the model with it. Error in a
    job script, warning elsewhere (as HS101).

    ## Bad
    ```python
    args = TrainingArguments(output_dir="out", push_to_hub=False)
    ```

    ## Good
    ```python
    args = TrainingArguments(output_dir="out", push_to_hub=True, hub_model_id="alice/out")
    ```

    ## Fix
    Unsafe (it overrides a value you wrote): sets the value to `True`, with
    `hub_model_id` as HS101's fix adds it when there is none (without a known
    login: a display-only snippet in the editor).
    """
    if _pushes_elsewhere(ctx):
        return
    for config in ctx.facts.configs:
        arg = config.args.get("push_to_hub")
        if arg is None or arg.value is not False:
            continue
        flip = step("replace", span=ctx.doc.span(arg.value_node), text="True")
        fixes = hub_model_id_fixes(ctx, config, (flip,), "Set push_to_hub=True", UNSAFE)
        yield ctx.finding(
            "HS102",
            arg.span,
            f"push_to_hub=False: {config.config} uploads nothing, and the model is lost "
            "when the job's container is deleted",
            severity=_loses_results_severity(ctx),
            fix=fixes[0],
            alternatives=tuple(fixes[1:]),
        )


@rule("HS103", "hub-model-id-missing", Severity.WARNING, triggers=(*CONFIG_TRIGGERS, "--push_to_hub"), fixes=(SAFE, UNSAFE, DISPLAY_ONLY))
def hub_model_id_missing(ctx: RuleContext) -> Iterator[Finding]:
    """`push_to_hub=True` without `hub_model_id`: the repo name is guessed from `output_dir`.

    ## Why
    The Trainer creates the repo named after the last part of `output_dir`
    (default `trainer_output`) in the namespace of whoever owns the token. A
    job run with an organisation's token, or two runs sharing an `output_dir`,
    push somewhere nobody expected.

    ## Bad
    ```python
    SFTConfig(output_dir="qwen-sft", push_to_hub=True)
    ```

    ## Good
    ```python
    SFTConfig(output_dir="qwen-sft", push_to_hub=True, hub_model_id="alice/qwen-sft")
    ```

    ## Fix
    Safe: adds `hub_model_id="<namespace>/<name>"` with your Hub login's
    namespace and the name from `output_dir`, which is where the model goes
    today. Unsafe: the same with one of the orgs your login may push to (another
    repo). Without a known login, a display-only snippet in the editor. A job's
    script arguments (`--push_to_hub` without `--hub_model_id`, TRL scripts) get
    `--hub_model_id <namespace>/<name>` in the command line's own syntax (safe).
    """
    from .job_script_args import argv_findings

    yield from argv_findings(ctx, "HS103")
    namespace = ctx.settings.namespace
    for config in ctx.facts.configs:
        arg = config.args.get("push_to_hub")
        if arg is None or arg.value is not True or config.has("hub_model_id") or config.open:
            continue
        name = derived_repo_name(config)
        owner = namespace or "<your namespace>"
        repo = f"{owner}/{name}" if name else f"{owner}/<output_dir name>"
        fixes = hub_model_id_fixes(ctx, config, (), "", SAFE)
        yield ctx.finding(
            "HS103",
            arg.span,
            f"push_to_hub=True without hub_model_id: the model goes to {repo}, named after "
            "output_dir in whatever namespace the token belongs to",
            fix=fixes[0] if fixes else None,
            alternatives=tuple(fixes[1:]),
        )


@rule(
    "HS104",
    "removed-hub-argument",
    Severity.ERROR,
    triggers=("push_to_hub_",),
    fixes=(SAFE, UNSAFE),
    tags=(Tag.DEPRECATED,),
)
def removed_hub_argument(ctx: RuleContext) -> Iterator[Finding]:
    """`push_to_hub_model_id`, `push_to_hub_organization` or `push_to_hub_token`: removed in transformers 5.0.

    ## Why
    They were deprecated in 4.x and removed in 5.0: building the config raises
    `TypeError: __init__() got an unexpected keyword argument`, after the job
    has started and its hardware is billed.

    ## Bad
    ```python
    SFTConfig(push_to_hub=True, push_to_hub_model_id="my-model",
              push_to_hub_organization="my-org", push_to_hub_token=None)
    ```

    ## Good
    ```python
    SFTConfig(push_to_hub=True, hub_model_id="alice/my-model")
    ```

    ## Fix
    Safe when it keeps what transformers 4.x did: the model id (with the
    organization) moves into `hub_model_id`, a token to `hub_token` (better:
    nothing, the job's `HF_TOKEN` secret is read), `push_to_hub_token=None` is
    removed. Unsafe when it drops an argument that decided the target in 4.x
    (`push_to_hub_model_id` next to a `hub_model_id` it overrode).
    """
    for config in ctx.facts.configs:
        for name in REMOVED_HUB_ARGUMENTS:
            arg = config.args.get(name)
            if arg is None:
                continue
            replacement = "hub_token" if name == "push_to_hub_token" else "hub_model_id"
            yield ctx.finding(
                "HS104",
                arg.span,
                f"{name} was removed in transformers 5.0: {config.config}(...) raises TypeError "
                f"when the job starts; use {replacement}",
                fix=_removed_argument_fix(ctx, config, name) if arg.origin == "keyword" else None,
            )


def _removed_argument_fix(ctx: RuleContext, config: ConfigCall, name: str) -> FixRequest:
    """transformers 4.x let `push_to_hub_*` override `hub_*`: a fix that keeps what
    4.x did is safe; one that drops an argument that decided the target is not."""
    call = ctx.at_call(config.call)
    model_id = config.value("push_to_hub_model_id", None)
    organization = config.value("push_to_hub_organization", None)
    if name == "push_to_hub_token":
        if config.args[name].value is None:
            return FixRequest.make(f"Remove {name}", SAFE, "remove_keyword", **call, name=name)
        if config.has("hub_token"):
            return FixRequest.make(f"Remove {name}", UNSAFE, "remove_keyword", **call, name=name)
        return FixRequest.make(f"Rename {name} to hub_token", SAFE, "rename_keyword", **call, name=name, new="hub_token")
    if config.has("hub_model_id"):
        return FixRequest.make(f"Remove {name}", UNSAFE, "remove_keyword", **call, name=name)
    quote = quote_of(ctx, config)
    if name == "push_to_hub_organization" and not config.has("push_to_hub_model_id"):
        name_part = derived_repo_name(config)
        if isinstance(organization, str) and name_part:
            repo = f"{organization}/{name_part}"
            return FixRequest.make(
                f'Replace with hub_model_id="{repo}"',
                SAFE,
                "rename_keyword", **call, name=name, new="hub_model_id", value=f"{quote}{repo}{quote}",
            )
        return FixRequest.make(f"Remove {name}", UNSAFE, "remove_keyword", **call, name=name)
    # The model id (also for the organization's finding): one fix moves both into hub_model_id.
    remove_organization = (
        (step("remove_keyword", **call, name="push_to_hub_organization"),) if config.has("push_to_hub_organization") else ()
    )
    if not isinstance(model_id, str):
        # The organization cannot be folded into a value we cannot read.
        grade = UNSAFE if remove_organization else SAFE
        rename = step("rename_keyword", **call, name="push_to_hub_model_id", new="hub_model_id")
        return FixRequest("Rename push_to_hub_model_id to hub_model_id", (rename, *remove_organization), grade)
    repo = f"{organization}/{model_id}" if isinstance(organization, str) and "/" not in model_id else model_id
    grade = SAFE if isinstance(organization, str) or not remove_organization else UNSAFE
    rename = step("rename_keyword", **call, name="push_to_hub_model_id", new="hub_model_id", value=f"{quote}{repo}{quote}")
    return FixRequest(f'Replace with hub_model_id="{repo}"', (rename, *remove_organization), grade)
