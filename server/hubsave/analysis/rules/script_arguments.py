"""Whether a job's script pushes, decided by its arguments (HS111, HS112, and HS105 /
HS204 for `--hub_strategy` / `--hub_model_id` values), for every form a job is written in.

The program and its arguments come from `job_argv` (shell words, Python list
elements, MCP `script_args`: all `Word`s in the submitting document's coordinates).
A TRL script (`trl/scripts/<name>.py` by URL or module, `trl <name>`) reads them with
`TrlParser` (trl 1.16): an argument no dataclass has stops the script at start
("Some specified arguments are not used by the HfArgumentParser"); for `trl <name>`
such arguments go to `accelerate launch` instead, so only removed ones are certain
errors there; `--config` YAML keys no dataclass has are ignored. A local script
counts when it builds a trainer config with `TrlParser` / `HfArgumentParser` from the
command line and pushes no other way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from ..catalog import HUB_STRATEGIES
from ..config_schema import closest_keyword, config_classes, resolve_class, script_schema
from ..findings import SAFE, UNSAFE, EditStep, Finding, FixRequest, Span, step
from ..job_argv import Program, ScriptArgs, Volume, survives
from ..settings import Settings
from ..shell_words import UNKNOWN_PART, Word
from ..workspace import script_paths
from .registry import make_finding
from .trainer_saving import closest_hub_strategy

# Adds arguments at the end of the job's argv, in the form's own syntax; None when
# that form cannot be edited.
Appender = Callable[[list[str]], "EditStep | None"]

_PARSER_SCRIPT = re.compile(r"\b(TrlParser|HfArgumentParser)\s*\(")
# Parsed from sys.argv: no arguments, or keywords other than `args=` (`fail_with_unknown_args=False`).
_FROM_COMMAND_LINE = re.compile(r"\.(parse_args_and_config|parse_args_into_dataclasses)\s*\((?!\s*args\s*=)\s*(\)|\w+\s*=)")
_SETS_PUSH = re.compile(r"\.push_to_hub\s*=\s*True\b")


@dataclass
class _Config:
    values: dict | None  # None: `--config` names a file that cannot be read here
    word: Word | None


def _config(args: ScriptArgs, settings: Settings, path: str | None) -> _Config:
    arg = args.last("config")
    if arg is None:
        return _Config({}, None)
    value = arg.value_text
    if value is None or UNKNOWN_PART in value or settings.sources is None:
        return _Config(None, arg.value)
    for candidate in script_paths(settings.sources, value, path):
        text = settings.sources.read(candidate)
        if text is None:
            continue
        import yaml  # only when a job's config file is in the workspace

        try:
            loaded = yaml.safe_load(text)
        except yaml.YAMLError:
            return _Config(None, arg.value)
        return _Config(loaded if isinstance(loaded, dict) else None, arg.value)
    return _Config(None, arg.value)


def _local_parser_script(program: Program, settings: Settings, path: str | None) -> bool | None:
    """True: a local script whose trainer config comes from its command line and that
    pushes no other way; None: it cannot be read here."""
    if program.local is None or settings.sources is None:
        return None
    for candidate in script_paths(settings.sources, program.local, path):
        text = settings.sources.read(candidate)
        if text is None:
            continue
        if not (_PARSER_SCRIPT.search(text) and _FROM_COMMAND_LINE.search(text)):
            return False
        if not any(re.search(rf"\b{name}\b", text) for name in config_classes()):
            return False
        if _SETS_PUSH.search(text) or re.search(r"\.(push_to_hub|upload_folder|upload_file|upload_large_folder|create_commit)\s*\(", text):
            return False
        return True
    return None


def check_program(
    program: Program,
    settings: Settings,
    path: str | None,
    volumes: list[Volume] | None,
    append: Appender | None,
) -> Iterator[Finding]:
    """HS111, HS112, HS105, HS204 for one job's program and arguments.
    `volumes` None: the job's volumes are unknown."""
    if program.word is None:
        return
    schema = script_schema(program.trl) if program.trl else None
    if schema is None and not _local_parser_script(program, settings, path):
        return
    args = ScriptArgs.parse(program.args, program.open)
    if schema is not None:
        yield from _unknown_arguments(program, args, schema)
    config = _config(args, settings, path)
    if schema is not None and config.values and config.word is not None:
        yield from _config_keys(program, config, schema)
    yield from _hub_values(args, config, settings)
    push_arg = args.last("push_to_hub")
    if push_arg is not None and args.flag("push_to_hub") is None:
        return  # written, with a value we cannot read
    push = args.flag("push_to_hub")
    if push is None:
        if config.values is None:
            return
        from_yaml = config.values.get("push_to_hub", False)
        push = from_yaml if isinstance(from_yaml, bool) else None
    output_dir = args.last("output_dir")
    output = output_dir.value_text if output_dir is not None else (config.values or {}).get("output_dir")
    if push is True and config.values is not None and not args.open:
        yield from _unnamed_repo(program, args, config, output, settings, append)
    if push is not False or args.open or volumes is None:
        return
    if survives(output if isinstance(output, str) else None, volumes):
        return
    fix = None
    if push_arg is not None and push_arg.value not in (None, push_arg.flag) and push_arg.value_span is not None:
        # Unsafe, as HS102: it overrides a value written.
        fix = FixRequest(
            "Set --push_to_hub true", (step("replace", span=push_arg.value_span, text=_quoted("true", push_arg.value)),), UNSAFE
        )
    elif push_arg is None and append is not None:
        extra = ["--push_to_hub"]
        model_id = args.last("hub_model_id") or (config.values or {}).get("hub_model_id")
        name = (output or "").rstrip("/").rsplit("/", 1)[-1] if isinstance(output, str) else ""
        if not model_id and settings.namespace and name and UNKNOWN_PART not in name:
            extra += ["--hub_model_id", f"{settings.namespace}/{name}"]
        edit = append(extra)
        if edit is not None:
            # Safe with the repo named (as HS101's fix); without, it would leave HS103 behind.
            fix = FixRequest(f"Add {' '.join(extra)}", (edit,), SAFE if model_id or len(extra) > 1 else UNSAFE)
    why = "--push_to_hub false" if push_arg is not None else "no --push_to_hub"
    if config.word is not None and push_arg is None:
        why += " (nor push_to_hub: true in its --config)"
    yield make_finding(
        "HS111",
        program.word.span,
        f"the job runs {program.name} with {why}: the trained model stays in the container and is "
        "deleted when the job ends",
        fix,
    )


def _repo_name(output: object) -> str | None:
    """The repo name the Trainer derives from `output_dir`: its last part."""
    if output is None:
        return "trainer_output"
    if not isinstance(output, str) or UNKNOWN_PART in output:
        return None
    return output.rstrip("/").rsplit("/", 1)[-1] or None


def _unnamed_repo(program: Program, args: ScriptArgs, config: _Config, output, settings: Settings, append) -> Iterator[Finding]:
    """HS103: `--push_to_hub` without `--hub_model_id` (on the command line or in the config)."""
    if args.last("hub_model_id") is not None or (config.values or {}).get("hub_model_id"):
        return
    arg = args.last("push_to_hub")
    where = arg.flag.span if arg is not None else (config.word.span if config.word else None)
    if where is None:
        return
    name = _repo_name(output)
    owner = settings.namespace or "<your namespace>"
    repo = f"{owner}/{name}" if name else f"{owner}/<output_dir name>"
    fix = None
    if settings.namespace and name and append is not None:
        edit = append(["--hub_model_id", f"{settings.namespace}/{name}"])
        # The login's namespace: where the model goes today, now written out (safe, as HS103's fix).
        fix = FixRequest(f"Add --hub_model_id {settings.namespace}/{name}", (edit,), SAFE) if edit is not None else None
    yield make_finding(
        "HS103",
        where,
        f"--push_to_hub without --hub_model_id: {program.name} pushes to {repo}, named after "
        "--output_dir in whatever namespace the token belongs to",
        fix,
    )


def _config_keys(program: Program, config: _Config, schema) -> Iterator[Finding]:
    """HS112 for `--config` YAML keys the script's dataclasses do not have: TrlParser
    drops them without a word (`fail_with_unknown_args=False` in trl 1.16's scripts)."""
    assert config.word is not None and config.values is not None
    for key in config.values:
        if not isinstance(key, str) or key in schema.arguments or key == "env":
            continue
        renamed = schema.renames.get(key)
        hint = f"; it is {renamed} now" if renamed else ""
        yield make_finding(
            "HS112",
            config.word.span,
            f"{key!r} in {config.word.value} is not an argument of {program.name}: TrlParser ignores it "
            f"without a word, so the run uses the default{hint}",
        )


def _quoted(text: str, like: Word) -> str:
    """`text` in the quotes the word it replaces was written with."""
    quote = like.raw[:1]
    return f"{quote}{text}{quote}" if quote in ("'", '"') else text


def _flag_name_span(arg_flag: Word, written: str) -> Span | None:
    """The span of `--old` inside the flag word, when the word starts with it as written."""
    offset = arg_flag.raw.find(written)
    if offset < 0 or arg_flag.span.start_line != arg_flag.span.end_line or offset > 1:
        return None
    start = arg_flag.span.start_col + offset
    return Span(arg_flag.span.start_line, start, arg_flag.span.start_line, start + len(written))


def _converted_values() -> frozenset[str]:
    """Renamed arguments whose value does not carry over as written (`--group_by_length`)."""
    schema = resolve_class("TrainingArguments")
    return frozenset(schema.conversions) if schema else frozenset()


def _unknown_arguments(program: Program, args: ScriptArgs, schema) -> Iterator[Finding]:
    accepted = schema.arguments | {"config"}
    cli = program.word is not None and program.word.value == program.trl  # `trl sft ...`
    for arg in args.args:
        name = arg.name
        if name in accepted or (name.startswith("no_") and name[3:] in accepted):
            continue
        if sum(a.startswith(name) for a in accepted) == 1:
            continue  # argparse takes an unambiguous prefix
        renamed = schema.renames.get(name)
        if name in schema.removed:
            written = arg.flag.value.split("=", 1)[0]
            fix = None
            span = _flag_name_span(arg.flag, written)
            if renamed and name not in ("push_to_hub_organization", "push_to_hub_token") and span is not None:
                # A known replacement; unsafe when its value needs converting (HS109's table).
                fix = FixRequest(
                    f"Rename {written} to --{renamed}",
                    (step("replace", span=span, text=f"--{renamed}"),),
                    UNSAFE if name in _converted_values() else SAFE,
                )
            hint = f"; it is --{renamed} now" if renamed else ""
            message = f"--{name} is no longer an argument of {program.name}: the script stops at start with an error{hint}"
        else:
            if cli:
                continue
            close = closest_keyword(name, schema.arguments)
            hint = f"; did you mean --{close}?" if close else ""
            fix = None
            message = f"--{name} is not an argument of {program.name}: the script stops at start with an error{hint}"
        yield make_finding("HS112", arg.flag.span, message, fix)


def _hub_values(args: ScriptArgs, config: _Config, settings: Settings) -> Iterator[Finding]:
    strategy = args.last("hub_strategy")
    if strategy is not None and strategy.value_text and UNKNOWN_PART not in strategy.value_text and strategy.value is not None:
        value = strategy.value_text
        if value not in HUB_STRATEGIES:
            suggestion = closest_hub_strategy(value)
            fix = None
            if suggestion and strategy.value is not strategy.flag:
                grade = SAFE if value.strip().lower().replace("-", "_").replace(" ", "_") == suggestion else UNSAFE
                fix = FixRequest(
                    f"Use {suggestion}", (step("replace", span=strategy.value.span, text=_quoted(suggestion, strategy.value)),), grade
                )
            hint = f"; did you mean {suggestion!r}?" if suggestion else ""
            yield make_finding(
                "HS105",
                strategy.value.span,
                f"--hub_strategy {value!r} is not one of {', '.join(HUB_STRATEGIES)}: the script stops at start with ValueError{hint}",
                fix,
            )
    model_id = args.last("hub_model_id")
    if model_id is not None and model_id.value is not None and model_id.value_text and UNKNOWN_PART not in model_id.value_text:
        namespace, _, name = model_id.value_text.partition("/")
        if name and namespace.lower() in settings.placeholder_namespaces:
            fix = None
            if settings.namespace and model_id.value is not model_id.flag:
                fix = FixRequest(
                    f"Use {settings.namespace}/{name}",
                    (step("replace", span=model_id.value.span, text=_quoted(f"{settings.namespace}/{name}", model_id.value)),),
                    UNSAFE,  # another target, taken from the Hub login (as HS204)
                )
            yield make_finding(
                "HS204",
                model_id.value.span,
                f'namespace "{namespace}" is a placeholder from the docs: the push fails with 403/404 '
                "after training, and the model is lost with the job",
                fix,
            )
