"""HS105-HS108, HS110: how a trainer config saves and pushes (strategies, checkpoints, final push)."""

from __future__ import annotations

import ast
import difflib
from typing import TYPE_CHECKING, Iterator

from ..catalog import HUB_STRATEGIES
from ..facts import Arg, ConfigCall
from ..findings import SAFE, UNSAFE, Applicability, Finding, FixRequest, Severity
from ..strings import rewrite
from .registry import rule

if TYPE_CHECKING:
    from ..context import RuleContext

CHECKPOINT_STRATEGIES = ("checkpoint", "all_checkpoints")
DEFAULT_SAVE_TOTAL_LIMIT = 3


def _replace_value(ctx: RuleContext, arg: Arg, new: str, title: str, grade: Applicability) -> FixRequest | None:
    """Set a string option to `new`, in the quotes the user wrote."""
    node = arg.value_node
    text = rewrite(ctx.source(node), arg.value, new) if isinstance(arg.value, str) else None
    if text is None:
        return None
    return FixRequest.make(title, grade, "replace", span=ctx.doc.span(node), text=text)


def closest_hub_strategy(value: str) -> str | None:
    """`"every-save"`, `"EVERY_SAVE"`, `"checkpoints"` -> the valid spelling they meant."""
    normalized = value.strip().lower().replace("-", "_").replace(" ", "_")
    if normalized in HUB_STRATEGIES:
        return normalized
    close = difflib.get_close_matches(normalized, HUB_STRATEGIES, n=1, cutoff=0.6)
    return close[0] if close else None


@rule("HS105", "invalid-hub-strategy", Severity.ERROR, triggers=("hub_strategy",), fixes=(SAFE, UNSAFE))
def invalid_hub_strategy(ctx: RuleContext) -> Iterator[Finding]:
    """`hub_strategy` is not one of `end`, `every_save`, `checkpoint`, `all_checkpoints`.

    ## Why
    transformers converts the value to its `HubStrategy` enum when the config is
    built: anything else raises `ValueError`, after the job has started (and its
    hardware is billed) but before a single step has run.

    ## Bad
    ```python
    SFTConfig(output_dir="out", push_to_hub=True, hub_strategy="every-save")
    ```

    ## Good
    ```python
    SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/out", hub_strategy="every_save")
    ```

    ## Fix
    Safe when it is another spelling of a valid value (`every-save` becomes
    `every_save`, `END` becomes `end`); unsafe when it is only the closest
    valid value (a guess); no fix when nothing is close. The same holds for a
    job's `--hub_strategy` script argument (TRL scripts, in any form a job is written).
    """
    from .job_script_args import argv_findings

    yield from argv_findings(ctx, "HS105")
    for config in ctx.facts.configs:
        arg = config.args.get("hub_strategy")
        if arg is None or not isinstance(arg.value, str) or arg.value in HUB_STRATEGIES:
            continue
        closest = closest_hub_strategy(arg.value)
        # Another spelling of a valid value (`every-save`) is certain; a closest match is a guess.
        grade = SAFE if arg.value.strip().lower().replace("-", "_").replace(" ", "_") == closest else UNSAFE
        hint = f'; did you mean "{closest}"?' if closest else ""
        yield ctx.finding(
            "HS105",
            arg.span,
            f'hub_strategy="{arg.value}" is not one of {", ".join(HUB_STRATEGIES)}: '
            f"{config.config}(...) raises ValueError when the job starts{hint}",
            fix=_replace_value(ctx, arg, closest, f'Set hub_strategy="{closest}"', grade) if closest else None,
        )


def _final_push(ctx: RuleContext) -> bool:
    """The script uploads after training: `trainer.push_to_hub()`, `trainer.save_model()`
    (which pushes when `push_to_hub=True`), or any other upload (`model.push_to_hub(...)`)."""
    facts = ctx.facts
    return bool(facts.trainer_push_calls or facts.save_model_calls or facts.uploads)


def _never_pushes(config: ConfigCall) -> Arg | None:
    """With push_to_hub=True, the option that stops every push during training, or None."""
    if config.value("push_to_hub", False) is not True:
        return None
    hub_strategy = config.args.get("hub_strategy")
    if hub_strategy is not None and hub_strategy.value == "end":
        return hub_strategy
    save_strategy = config.args.get("save_strategy")
    if save_strategy is not None and save_strategy.value == "no":
        return save_strategy
    return None


def _push_after_train(ctx: RuleContext) -> FixRequest | None:
    """Insert `<trainer>.push_to_hub()` after the one `trainer.train()` statement."""
    if len(ctx.facts.train_calls) != 1:
        return None  # several trainings: which one is final is the user's call
    statement = ctx.facts.train_calls[0]
    call = statement.value
    assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
    trainer = ctx.source(call.func.value)
    if "\n" in trainer:
        return None
    return FixRequest.make(
        f"Insert {trainer}.push_to_hub() after training",
        SAFE,  # the upload push_to_hub=True asks for
        "insert_after_statement",
        span=ctx.doc.span(statement),
        text=f"{trainer}.push_to_hub()",
    )


@rule("HS106", "nothing-pushed", Severity.ERROR, triggers=("hub_strategy", "save_strategy"), fixes=(SAFE,))
def nothing_pushed(ctx: RuleContext) -> Iterator[Finding]:
    """`push_to_hub=True`, but `hub_strategy="end"` or `save_strategy="no"`, and no final push: nothing is uploaded.

    ## Why
    `train()` never pushes the final model itself. With `hub_strategy="end"` the
    Trainer pushes nothing during training, and with `save_strategy="no"` it saves
    (and so pushes) no checkpoint. Unless the script then calls
    `trainer.push_to_hub()` or `trainer.save_model()`, the Hub repo stays empty and
    the model is deleted with the job's container.

    ## Bad
    ```python
    config = SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/out",
                       hub_strategy="end")
    trainer = SFTTrainer(model="Qwen/Qwen2.5-0.5B", args=config, train_dataset=ds)
    trainer.train()
    ```

    ## Good
    ```python
    trainer.train()
    trainer.push_to_hub()
    ```

    ## Fix
    Safe: inserts `trainer.push_to_hub()` after the `trainer.train()` statement
    (offered when the script has exactly one), the upload `push_to_hub=True` asks for. Reported only in a script that trains
    (calls `trainer.train()`), and not when it uploads any other way
    (`model.push_to_hub(...)`, `upload_folder(...)`).
    """
    if not ctx.facts.train_calls or _final_push(ctx):
        return  # a file that only builds the config may be used by a script that pushes
    for config in ctx.facts.configs:
        cause = _never_pushes(config)
        if cause is None:
            continue
        setting = f'{cause.name}="{cause.value}"'
        yield ctx.finding(
            "HS106",
            cause.span,
            f"push_to_hub=True but {setting} pushes nothing during training, and the script never calls "
            "trainer.push_to_hub() or trainer.save_model(): nothing is uploaded, the model is lost with the container",
            fix=_push_after_train(ctx),
        )


@rule("HS107", "checkpoints-not-saved", Severity.WARNING, triggers=("hub_strategy",), fixes=(UNSAFE,))
def checkpoints_not_saved(ctx: RuleContext) -> Iterator[Finding]:
    """`hub_strategy` pushes checkpoints, but `save_strategy="no"` saves none.

    ## Why
    `hub_strategy="checkpoint"` (or `"all_checkpoints"`) is chosen to resume a
    killed job from the last checkpoint on the Hub. Checkpoints are pushed when
    they are saved, and `save_strategy="no"` saves none: transformers accepts the
    combination silently, nothing reaches the Hub during training, and a job that
    times out cannot resume.

    ## Bad
    ```python
    SFTConfig(output_dir="out", push_to_hub=True, hub_strategy="checkpoint", save_strategy="no")
    ```

    ## Good
    ```python
    SFTConfig(output_dir="out", push_to_hub=True, hub_strategy="checkpoint",
              hub_model_id="alice/out", save_strategy="steps", save_steps=200, save_total_limit=3)
    ```

    ## Fix
    Unsafe (it overrides a value you wrote and writes checkpoints to disk): sets
    `save_strategy="steps"` (every `save_steps`, 500 by default).
    """
    for config in ctx.facts.configs:
        strategy = config.value("hub_strategy", None)
        save = config.args.get("save_strategy")
        if strategy not in CHECKPOINT_STRATEGIES or save is None or save.value != "no":
            continue
        yield ctx.finding(
            "HS107",
            save.span,
            f'hub_strategy="{strategy}" but save_strategy="no": no checkpoint is ever saved, so none is pushed '
            "and a killed job cannot resume",
            fix=_replace_value(ctx, save, "steps", 'Set save_strategy="steps"', UNSAFE),
        )


@rule("HS108", "unbounded-checkpoints", Severity.HINT, triggers=("save_strategy", "save_steps"), fixes=(UNSAFE,))
def unbounded_checkpoints(ctx: RuleContext) -> Iterator[Finding]:
    """Checkpoints every `save_steps` and no `save_total_limit`: every one is kept.

    ## Why
    Each checkpoint holds the model, optimizer and scheduler state, often several
    times the model's size. Without `save_total_limit` all of them stay on the
    job's disk until it fills up (and with `hub_strategy="all_checkpoints"` all of
    them are uploaded).

    ## Bad
    ```python
    SFTConfig(output_dir="out", save_strategy="steps", save_steps=100)
    ```

    ## Good
    ```python
    SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/out",
              save_strategy="steps", save_steps=100, save_total_limit=3)
    ```

    ## Fix
    Unsafe (older checkpoints get deleted): adds `save_total_limit=3`. An explicit `save_total_limit=None` is taken as
    meant and not reported.
    """
    for config in ctx.facts.configs:
        if config.has("save_total_limit") or config.open:
            continue
        strategy = config.value("save_strategy", "steps")
        written = config.args.get("save_strategy") if strategy == "steps" else None
        steps = config.args.get("save_steps")
        where = written or (steps if strategy == "steps" else None)
        if where is None:
            continue
        yield ctx.finding(
            "HS108",
            where.span,
            "checkpoints are saved every save_steps and none is ever deleted (no save_total_limit): "
            "a long run fills the disk",
            fix=FixRequest.make(
                f"Add save_total_limit={DEFAULT_SAVE_TOTAL_LIMIT}",
                UNSAFE,  # older checkpoints get deleted
                "set_keyword",
                **ctx.at_call(config.call),
                name="save_total_limit",
                value=str(DEFAULT_SAVE_TOTAL_LIMIT),
            ),
        )


@rule("HS110", "no-final-push", Severity.INFORMATION, triggers=("push_to_hub",), fixes=(SAFE,))
def no_final_push(ctx: RuleContext) -> Iterator[Finding]:
    """`push_to_hub=True` and `trainer.train()`, but never `trainer.push_to_hub()`: no final push.

    ## Why
    During training the Trainer pushes checkpoints' contents as they are saved;
    `train()` itself never pushes at the end. The last weights may be older than
    the end of training, and the model card (with the training details and
    metrics) is only written by `trainer.push_to_hub()` (which
    `trainer.save_model()` calls when `push_to_hub=True`).

    ## Bad
    ```python
    trainer = SFTTrainer(model="Qwen/Qwen2.5-0.5B", args=SFTConfig(output_dir="out",
                         push_to_hub=True, hub_model_id="alice/out"), train_dataset=ds)
    trainer.train()
    ```

    ## Good
    ```python
    trainer.train()
    trainer.push_to_hub()
    ```

    ## Fix
    Safe: inserts `trainer.push_to_hub()` after the `trainer.train()` statement.
    """
    if not ctx.facts.train_calls or _final_push(ctx):
        return
    fix = _push_after_train(ctx)
    for config in ctx.facts.configs:
        arg = config.args.get("push_to_hub")
        if arg is None or arg.value is not True or _never_pushes(config) is not None:
            continue  # HS106 already says that nothing is pushed at all
        yield ctx.finding(
            "HS110",
            arg.span,
            "push_to_hub=True but the script never calls trainer.push_to_hub() after trainer.train(): "
            "the final model and its model card may never be uploaded",
            fix=fix,
        )
