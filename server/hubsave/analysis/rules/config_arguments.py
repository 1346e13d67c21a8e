"""HS109: keywords a trainer config class does not accept (TypeError when the job starts)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator

from dataclasses import replace

from .. import config_schema, pins
from ..catalog import CONFIG_PACKAGES, REMOVED_HUB_ARGUMENTS
from ..facts import Arg, ConfigCall
from ..findings import SAFE, UNSAFE, Applicability, Finding, FixRequest, Severity, Span, step
from ..signatures import PENDING, Accepted, SignatureRequest, accepted
from ..strings import rewrite
from ..symbols import Symbols, callee_name
from .registry import rule
from .trainer_config import CONFIG_TRIGGERS, quote_of

if TYPE_CHECKING:
    from ..context import RuleContext

# Where a keyword reaches __init__ (and so raises TypeError). `config.x = 1` on a
# built config does not: a dataclass takes any attribute.
_CHECKED_ORIGINS = ("keyword", "dict", "replace")


@rule("HS109", "unknown-config-argument", Severity.ERROR, triggers=CONFIG_TRIGGERS, fixes=(SAFE, UNSAFE))
def unknown_config_argument(ctx: RuleContext) -> Iterator[Finding]:
    """A trainer config gets a keyword its class does not accept.

    ## Why
    The config is built when the job starts: an unknown keyword raises
    `TypeError: __init__() got an unexpected keyword argument`, after the
    container has started and its hardware is billed. Typical: an argument
    the releases renamed (`max_seq_length` is `max_length` in current
    `SFTConfig`, `warmup_ratio` is `warmup_steps`), or a typo.

    hubsave reads the signature of the class installed in your environment
    (jedi, for the `interpreter` setting or the interpreter running hubsave),
    and uses the schema bundled with hubsave (the trl and transformers releases
    it was built from) when the class is not installed there. Classes defined in
    the file count their own annotated fields; a class with its own `__init__`
    or an unknown base is not checked. The removed `push_to_hub_*` arguments are
    HS104's.

    A pinned release counts: the script's `# /// script` dependencies, a
    notebook's `%pip install` / `!pip install` lines, or a `requirements.txt` /
    `pyproject.toml` next to the script. A pin to the older release the schema
    records (trl 0.29, transformers 4.57) is judged against that release; a pin
    to any other release that rules out the bundled one turns the rule off.

    ## Bad
    ```python
    SFTConfig(output_dir="out", max_seq_length=2048, num_train_epoch=3)
    ```

    ## Good
    ```python
    SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/out", max_length=2048, num_train_epochs=3)
    ```

    ## Fix
    Safe: a known replacement from the releases, with its value converted
    where needed: `max_seq_length` to `max_length`, `evaluation_strategy` to
    `eval_strategy`, `warmup_ratio=0.1` to `warmup_steps=0.1` (a float below 1
    is a ratio there), `group_by_length=True` to
    `train_sampling_strategy="group_by_length"`. No fix when the value cannot
    be converted for sure. Unsafe: a close spelling ("did you mean"), offered
    as a quick fix you choose, never applied by fix-all or `--fix`.
    """
    symbols = ctx.facts.symbols
    release: dict[str, str | None] | None = None
    for config in ctx.facts.configs:
        target = _config_class(symbols, config)
        if target is None:
            continue
        qualname, own_fields = target
        found = accepted(qualname, config.config, ctx.settings)
        if found is PENDING:
            ctx.signature_requests.add(SignatureRequest(qualname, ctx.settings.python))
            continue  # silent until the environment answers: it may accept more
        if found is None:
            continue
        if found.bundled:
            release = release if release is not None else pins.releases(ctx)
            found = _pinned(found, release)
            if found is None:
                continue
        keywords = found.keywords | own_fields
        for arg in config.args.values():
            if arg.origin not in _CHECKED_ORIGINS or arg.name in keywords or arg.name in REMOVED_HUB_ARGUMENTS:
                continue
            yield _finding(ctx, config, arg, found, keywords)


def _pinned(found: Accepted, release: dict[str, str | None]) -> Accepted | None:
    """The bundled answer for the releases the script pins; None when unknown."""
    if any(verdict is None for verdict in release.values()):
        return None
    older = frozenset(package for package, verdict in release.items() if verdict == pins.PREVIOUS)
    if found.schema is None:
        return found if not older else None
    # Only the packages the class is built from count: `trl==0.29` leaves
    # TrainingArguments at the bundled transformers (trl 0.29 allows transformers 5).
    packages = config_schema.packages_of(found.schema)
    older &= packages
    if not older:
        return found
    keywords = config_schema.previous_keywords(found.schema, older)
    if keywords is None:
        return None
    compared, bundled = config_schema.compared_versions(), config_schema.schema_versions()
    where = ", ".join(
        f"{package} {compared[package] if package in older else bundled[package]}" for package in sorted(packages)
    )
    # Renames were read against the bundled releases: not offered for an older one.
    return replace(found, keywords=keywords, where=where, schema=None)


def _finding(ctx: RuleContext, config: ConfigCall, arg: Arg, found: Accepted, keywords: frozenset[str]) -> Finding:
    known = config_schema.replacement(found.schema, arg.name, keywords) if found.schema else None
    fix = None
    if known is not None:
        new, conversion = known
        hint = f"; it was renamed {new}"
        if new not in config.args:
            fix = _replace(ctx, config, arg, new, conversion)
            if fix is None and conversion is not None:
                hint += " (convert the value by hand)"
    else:
        removed = found.schema is not None and arg.name in found.schema.removed
        guess = None if removed else config_schema.suggest(found.schema or config.config, arg.name, keywords=keywords)
        hint = f"; did you mean {guess}?" if guess else "; it was removed" if removed else ""
        if guess and guess not in config.args:
            fix = _rename(ctx, arg, guess, f"Rename {arg.name} to {guess} (a guess: check it)", UNSAFE)
    return ctx.finding(
        "HS109",
        arg.span,
        f"{callee_name(config.call) or config.config} does not accept {arg.name} ({found.where}): "
        "TypeError when the config is built, "
        f"after the job has started{hint}",
        fix=fix,
    )


def _replace(
    ctx: RuleContext, config: ConfigCall, arg: Arg, new: str, conversion: config_schema.Conversion | None
) -> FixRequest | None:
    """The known replacement as a safe fix; None when the value cannot be converted for sure."""
    if conversion is None:
        return _rename(ctx, arg, new, f"Rename {arg.name} to {new}", SAFE)
    converts, value = conversion.convert(arg.value)
    if not converts or not isinstance(arg.value_node, ast.Constant):
        return None
    source = _literal_source(value, quote_of(ctx, config))
    renamed = _rename(ctx, arg, new, f"Replace {arg.name}={ctx.source(arg.value_node)} with {new}={source}", SAFE)
    if renamed is None:
        return None
    # The value comes after the name: replacing it first keeps the name's span valid.
    value_step = step("replace", span=ctx.doc.span(arg.value_node), text=source)
    return FixRequest(renamed.title, (value_step, *renamed.steps), SAFE)


def _literal_source(value: object, quote: str) -> str:
    if isinstance(value, str):
        return f"{quote}{value}{quote}"
    if isinstance(value, list):
        return "[" + ", ".join(_literal_source(v, quote) for v in value) + "]"
    return repr(value)


def _rename(ctx: RuleContext, arg: Arg, new: str, title: str, grade: Applicability) -> FixRequest | None:
    key = arg.key_node
    if key is None:
        return None
    if arg.origin == "dict":
        text = rewrite(ctx.source(key), arg.name, new)
        return FixRequest.make(title, grade, "replace", span=ctx.doc.span(key), text=text) if text else None
    # A keyword `name=value`: its span starts with the name.
    start = ctx.doc.span(key)
    if ctx.doc.lines[start.start_line][start.start_col : start.start_col + len(arg.name)] != arg.name:
        return None
    name_span = Span(start.start_line, start.start_col, start.start_line, start.start_col + len(arg.name))
    return FixRequest.make(title, grade, "replace", span=name_span, text=new)


def _config_class(symbols: Symbols, config: ConfigCall) -> tuple[str, frozenset[str]] | None:
    """(qualname of the transformers / TRL class, fields the file's own subclasses add),
    or None when the accepted keywords cannot be known."""
    func = config.call.func
    own: set[str] = set()
    seen: set[str] = set()
    while isinstance(func, ast.Name) and func.id in symbols.local_configs and func.id not in seen:
        seen.add(func.id)
        node = symbols.class_defs.get(func.id)
        if node is None or len(node.bases) != 1 or not _plain_dataclass_body(node):
            return None  # mixins, decorators or an __init__ of its own: anything may be accepted
        own |= {s.target.id for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)}
        func = node.bases[0]
    qualname = _qualname(symbols, func, config.config)
    return (qualname, frozenset(own)) if qualname else None


def _plain_dataclass_body(node: ast.ClassDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", None)
        if name != "dataclass":
            return False
    return not any(
        isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name in ("__init__", "__new__") for s in node.body
    )


def _qualname(symbols: Symbols, expr: ast.expr, short: str) -> str | None:
    """The import path to ask jedi about: as the script imports it, else the public one."""
    dotted = symbols.qualname(expr)
    if dotted is not None:
        return dotted if dotted.split(".")[0] in CONFIG_PACKAGES else None
    schema = config_schema.resolve_class(short)
    if schema is not None and schema.import_paths:
        return min(schema.import_paths, key=lambda p: p.count("."))
    stars = sorted(m for m in symbols.star_modules if m.split(".")[0] in CONFIG_PACKAGES)
    return f"{stars[0]}.{short}" if stars else None
