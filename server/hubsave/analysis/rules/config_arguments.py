"""HS109: keywords a trainer config class does not accept (TypeError when the job starts)."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Iterator

from .. import config_schema
from ..catalog import CONFIG_PACKAGES, REMOVED_HUB_ARGUMENTS
from ..dependencies_table import parse_requirement
from ..facts import Arg, ConfigCall
from ..findings import Finding, FixRequest, Severity, Span
from ..signatures import PENDING, Accepted, SignatureRequest, accepted
from ..strings import rewrite
from ..symbols import Symbols, callee_name
from .registry import rule
from .trainer_config import CONFIG_TRIGGERS

if TYPE_CHECKING:
    from ..context import RuleContext

# Where a keyword reaches __init__ (and so raises TypeError). `config.x = 1` on a
# built config does not: a dataclass takes any attribute.
_CHECKED_ORIGINS = ("keyword", "dict", "replace")
# Version bounds in the script's PEP 723 block: one that rules out the bundled release
# (`trl==0.19`, `transformers<5`, `trl>=1.20`) means the job installs another API.
_BOUND = re.compile(r"(===|==|<=|>=|<|>|~=|!=)\s*v?(\d+(?:\.\d+)*)")


@rule("HS109", "unknown-config-argument", Severity.ERROR, triggers=CONFIG_TRIGGERS, fixable=True)
def unknown_config_argument(ctx: RuleContext) -> Iterator[Finding]:
    """A trainer config gets a keyword its class does not accept.

    ## Why
    The config is built when the job starts: an unknown keyword raises
    `TypeError: __init__() got an unexpected keyword argument`, after the
    container has started and its hardware is billed. Typical: an argument TRL
    renamed (`max_seq_length` is `max_length` in current `SFTConfig`), or a typo.

    hubsave reads the signature of the class installed in your environment
    (jedi, for the `interpreter` setting or the interpreter running hubsave),
    and uses the schema bundled with hubsave (the trl and transformers releases
    it was built from) when the class is not installed there. Classes defined in
    the file count their own annotated fields; a class with its own `__init__`,
    an unknown base or a release other than the bundled one required by the
    script's `# /// script` block is not checked. The removed `push_to_hub_*`
    arguments are HS104's.

    ## Bad
    ```python
    SFTConfig(output_dir="out", max_seq_length=2048, num_train_epoch=3)
    ```

    ## Good
    ```python
    SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/out", max_length=2048, num_train_epochs=3)
    ```

    ## Fix
    Renames the keyword to the closest accepted one (a known rename first:
    `max_seq_length` to `max_length`, `evaluation_strategy` to `eval_strategy`),
    when one is close enough.
    """
    symbols = ctx.facts.symbols
    for config in ctx.facts.configs:
        target = _config_class(symbols, config)
        if target is None:
            continue
        qualname, own_fields = target
        found = accepted(qualname, config.config, ctx.settings)
        if found is PENDING:
            ctx.signature_requests.add(SignatureRequest(qualname, ctx.settings.python))
            continue  # silent until the environment answers: it may accept more
        if found is None or (found.bundled and _other_release_required(ctx)):
            continue
        keywords = found.keywords | own_fields
        for arg in config.args.values():
            if arg.origin not in _CHECKED_ORIGINS or arg.name in keywords or arg.name in REMOVED_HUB_ARGUMENTS:
                continue
            yield _finding(ctx, config, arg, found, keywords)


def _finding(ctx: RuleContext, config: ConfigCall, arg: Arg, found: Accepted, keywords: frozenset[str]) -> Finding:
    suggestion = config_schema.suggest(found.schema or config.config, arg.name, keywords=keywords)
    hint = f"; did you mean {suggestion}?" if suggestion else ""
    fix = None
    if suggestion and suggestion not in config.args:
        fix = _rename(ctx, arg, suggestion)
    return ctx.finding(
        "HS109",
        arg.span,
        f"{callee_name(config.call) or config.config} does not accept {arg.name} ({found.where}): "
        "TypeError when the config is built, "
        f"after the job has started{hint}",
        fix=fix,
    )


def _rename(ctx: RuleContext, arg: Arg, new: str) -> FixRequest | None:
    key = arg.key_node
    if key is None:
        return None
    title = f"Rename {arg.name} to {new}"
    if arg.origin == "dict":
        text = rewrite(ctx.source(key), arg.name, new)
        return FixRequest.make(title, "replace", span=ctx.doc.span(key), text=text) if text else None
    # A keyword `name=value`: its span starts with the name.
    start = ctx.doc.span(key)
    if ctx.doc.lines[start.start_line][start.start_col : start.start_col + len(arg.name)] != arg.name:
        return None
    name_span = Span(start.start_line, start.start_col, start.start_line, start.start_col + len(arg.name))
    return FixRequest.make(title, "replace", span=name_span, text=new)


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


def _other_release_required(ctx: RuleContext) -> bool:
    """The job script's `# /// script` dependencies require a trl or transformers release
    other than the bundled one (`trl==0.19.1`, `transformers<5`, `trl>=1.20`): uv
    installs that release, whose arguments may differ."""
    script = ctx.doc.inline_script
    if script is None or not script.dependencies:
        return False
    bundled = config_schema.schema_versions()
    for requirement in script.dependencies:
        parsed = parse_requirement(requirement)
        if parsed is None or parsed[0] not in bundled:
            continue
        current = _version(bundled[parsed[0]])
        for operator, version in _BOUND.findall(requirement.split(";")[0]):
            if _excludes(operator, _version(version), current):
                return True
    return False


def _excludes(operator: str, bound: tuple[int, ...], current: tuple[int, ...]) -> bool:
    """Whether `operator bound` rules out the bundled release `current`."""
    if operator == "~=":  # ~=0.19 means >=0.19, <1.0
        if len(bound) < 2:
            return False
        return _excludes(">=", bound, current) or _excludes("<", (*bound[:-2], bound[-2] + 1), current)
    width = max(len(bound), len(current))
    bound, current = bound + (0,) * (width - len(bound)), current + (0,) * (width - len(current))
    return {
        "<": current >= bound,
        "<=": current > bound,
        ">": current <= bound,
        ">=": current < bound,
        "==": current != bound,
        "===": current != bound,
        "!=": False,
    }[operator]


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".") if p.isdigit())
