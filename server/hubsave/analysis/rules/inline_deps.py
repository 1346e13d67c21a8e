"""HS501, HS502: a PEP 723 script imports (or needs) a package its `dependencies` lack."""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from ..dependencies_table import distribution_for_import, normalize, parse_requirement, provided_by
from ..facts import dict_items
from ..findings import SAFE, Finding, FixRequest, Severity, Span
from .registry import rule
from ..nodes import walk

if TYPE_CHECKING:
    from ..context import RuleContext
    from ..document import InlineScript

_OPTIONAL_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
FLASH_ATTENTION_PROVIDERS = frozenset({"flash-attn", "kernels"})


@dataclass
class _Import:
    module: str  # top-level name
    node: ast.stmt | ast.alias


def _catches_import_error(node: ast.Try) -> bool:
    for handler in node.handlers:
        caught = handler.type
        names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
        if caught is None or any(isinstance(n, ast.Name) and n.id in _OPTIONAL_IMPORT_ERRORS for n in names):
            return True
    return False


def _optional_guard(test: ast.expr) -> bool:
    """`if TYPE_CHECKING:` or `if is_peft_available():`: the import may never run."""
    for node in walk(test):
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        if name == "TYPE_CHECKING" or name.endswith("_available"):
            return True
    return False


def required_imports(tree: ast.Module) -> Iterator[_Import]:
    """Absolute imports that always run when reached: not in `try/except ImportError`,
    not under `if TYPE_CHECKING` or `if is_x_available()`."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield _Import(alias.name.split(".")[0], alias)
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                yield _Import(node.module.split(".")[0], node)
            continue
        children: list[ast.AST]
        if isinstance(node, ast.Try) and _catches_import_error(node):
            children = [*node.handlers, *node.orelse, *node.finalbody]  # the body's imports are optional
        elif isinstance(node, ast.If) and _optional_guard(node.test):
            children = list(node.orelse)
        else:
            children = list(ast.iter_child_nodes(node))
        stack.extend(reversed(children))


def _readable_dependencies(ctx: RuleContext) -> tuple[InlineScript, list[str]] | None:
    """The PEP 723 block and its dependencies, or None when what they provide is unknown
    (no block, no readable list, or a bare URL dependency)."""
    block = ctx.doc.inline_script
    if block is None or block.dependencies is None:
        return None
    if any(parse_requirement(d) is None for d in block.dependencies):
        return None  # `git+https://...`: it may provide anything
    return block, block.dependencies


def _is_local_module(ctx: RuleContext, module: str) -> bool:
    """A file or package next to the script: uv runs the script from its folder."""
    sources = ctx.settings.sources
    if sources is None or not ctx.doc.path:
        return False
    folder = os.path.dirname(os.path.abspath(ctx.doc.path))
    return any(
        sources.read(os.path.join(folder, *parts)) is not None for parts in ((f"{module}.py",), (module, "__init__.py"))
    )


def _add_dependency(block: InlineScript, distribution: str) -> FixRequest:
    return FixRequest.make(
        f"Add {distribution} to the script's dependencies", SAFE, "add_inline_dependency", block=block.span, name=distribution
    )


def _import_span(ctx: RuleContext, found: _Import) -> Span:
    if isinstance(found.node, ast.alias):
        return ctx.doc.span(found.node)
    span = ctx.doc.span(found.node)
    return Span(span.start_line, span.start_col, span.start_line, len(ctx.doc.lines[span.start_line]))


@rule(
    "HS501", "missing-inline-dependency", Severity.ERROR, triggers=("# /// script",), fixes=(SAFE,), reads_facts=False
)
def missing_inline_dependency(ctx: RuleContext) -> Iterator[Finding]:
    """A script with a `# /// script` block imports a package its `dependencies` do not provide.

    ## Why
    `uv run` (and so a Hugging Face Job) installs exactly the block's
    dependencies and what they require: `trl` brings `transformers`, `datasets`
    and `accelerate`, `trl[peft]` brings `peft` too. Anything else is a
    `ModuleNotFoundError` when the job starts, after the container and its GPU
    have been allocated. Import names are mapped to distributions (`sklearn`
    is `scikit-learn`, `yaml` is `PyYAML`, `PIL` is `pillow`); modules the table
    does not know, files next to the script and imports guarded by
    `try/except ImportError` are not reported, nor is anything when a
    dependency is a bare URL.

    ## Bad
    ```python
    # /// script
    # dependencies = ["trl"]
    # ///
    import yaml
    from peft import LoraConfig
    ```

    ## Good
    ```python
    # /// script
    # dependencies = ["trl[peft]", "PyYAML"]
    # ///
    import yaml
    from peft import LoraConfig
    ```

    ## Fix
    Safe: adds the distribution to the block's `dependencies` list, in the list's
    own layout (one line, or one entry per line).
    """
    readable = _readable_dependencies(ctx)
    if readable is None:
        return
    block, dependencies = readable
    provided = provided_by(dependencies)
    tree = ctx.doc.statements_where("imports", lambda text: "import" in text)
    reported: set[str] = set()
    for found in required_imports(tree):
        if found.module in provided or found.module in reported:
            continue
        distribution = distribution_for_import(found.module)
        if distribution is None or normalize(distribution) in {parse_requirement(d)[0] for d in dependencies}:  # type: ignore[index]
            continue
        if _is_local_module(ctx, found.module):
            continue
        reported.add(found.module)
        yield ctx.finding(
            "HS501",
            _import_span(ctx, found),
            f"{found.module} is not in the script's dependencies (it comes from {distribution}): "
            "ModuleNotFoundError when the job starts",
            fix=_add_dependency(block, distribution),
        )


def _flash_attention_values(tree: ast.Module) -> Iterator[ast.Constant]:
    """`attn_implementation="flash_attention_2"` as a keyword or a dict entry."""
    for node in walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "attn_implementation":
            values = [node.value]
        elif isinstance(node, ast.Dict):
            values = [v for key, _, v in dict_items(node) if key == "attn_implementation"]
        else:
            continue
        for value in values:
            if isinstance(value, ast.Constant) and value.value == "flash_attention_2":
                yield value


@rule("HS502", "flash-attn-missing", Severity.WARNING, triggers=("flash_attention_2",), fixes=(SAFE,), reads_facts=False)
def flash_attn_missing(ctx: RuleContext) -> Iterator[Finding]:
    """`attn_implementation="flash_attention_2"` in a script whose dependencies lack `flash-attn`.

    ## Why
    transformers needs the `flash-attn` package (or `kernels`, which fetches a
    prebuilt kernel from the Hub) for FlashAttention 2; without it loading the
    model raises `ImportError` at the start of the job. Checked in scripts
    with a `# /// script` block, whose dependencies are all the job gets.

    ## Bad
    ```python
    # /// script
    # dependencies = ["trl"]
    # ///
    model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2.5-0.5B", attn_implementation="flash_attention_2")
    ```

    ## Good
    ```python
    # /// script
    # dependencies = ["trl", "kernels"]
    # ///
    model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2.5-0.5B", attn_implementation="flash_attention_2")
    ```

    ## Fix
    Safe: adds `flash-attn` to the block's `dependencies` (`kernels` works too,
    without compiling anything).
    """
    readable = _readable_dependencies(ctx)
    if readable is None:
        return
    block, dependencies = readable
    names = {parse_requirement(d)[0] for d in dependencies}  # type: ignore[index]
    if names & FLASH_ATTENTION_PROVIDERS:
        return
    tree = ctx.doc.statements_where("flash_attention_2", lambda text: "flash_attention_2" in text)
    for value in _flash_attention_values(tree):
        yield ctx.finding(
            "HS502",
            value,
            "flash_attention_2 needs the flash-attn (or kernels) package, which the script's dependencies "
            "do not install: ImportError when the model loads in the job",
            fix=_add_dependency(block, "flash-attn"),
        )
