"""Which names in a module are trl / transformers / huggingface_hub things.

Import resolution is deliberately file-local and flow-insensitive: it reads every
import in the file (top level, in functions, in `try` blocks) and every class
defined in it. That is what a notebook or a training script needs, and it is cheap.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Iterator

from .catalog import CONFIG_PACKAGES, TRAINER_CONFIGS
from .nodes import statements_by_depth

@dataclass
class Symbols:
    aliases: dict[str, str] = field(default_factory=dict)  # local name -> dotted name
    star_modules: set[str] = field(default_factory=set)
    defined: set[str] = field(default_factory=set)  # names a def/class/assign binds locally
    local_configs: dict[str, str] = field(default_factory=dict)  # class name -> config it extends
    class_defs: dict[str, ast.ClassDef] = field(default_factory=dict)  # classes defined in the file

    @classmethod
    def of(cls, tree: ast.Module, defined: set[str] | None = None) -> Symbols:
        """Symbols of `tree`; `defined` adds names bound by statements left out of it."""
        symbols = cls(defined=set(defined or ()))
        classes: list[ast.ClassDef] = []
        for node in _imports_and_definitions(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        symbols.aliases[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        symbols.aliases[top] = top
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    if alias.name == "*":
                        symbols.star_modules.add(node.module)
                    else:
                        symbols.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.ClassDef):
                classes.append(node)
                symbols.defined.add(node.name)
                symbols.class_defs.setdefault(node.name, node)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                symbols.defined.add(node.name)
        symbols._find_local_configs(classes)
        return symbols

    def _find_local_configs(self, classes: list[ast.ClassDef]) -> None:
        # Repeat until stable so `class B(A)` after `class A(SFTConfig)` resolves too.
        changed = True
        while changed:
            changed = False
            for node in classes:
                if node.name in self.local_configs:
                    continue
                for base in node.bases:
                    config = self.config_class(base, _skip_defined=node.name)
                    if config:
                        self.local_configs[node.name] = config
                        changed = True
                        break

    def qualname(self, expr: ast.expr) -> str | None:
        """Dotted name an expression refers to through imports, or None."""
        if isinstance(expr, ast.Name):
            if expr.id in self.aliases:
                return self.aliases[expr.id]
            return None
        if isinstance(expr, ast.Attribute):
            base = self.qualname(expr.value)
            return f"{base}.{expr.attr}" if base else None
        return None

    def config_class(self, expr: ast.expr, _skip_defined: str | None = None) -> str | None:
        """The trainer config class (short name) a callee refers to, or None."""
        name = _last_name(expr)
        if name is None:
            return None
        if isinstance(expr, ast.Name) and name in self.local_configs:
            return self.local_configs[name]
        dotted = self.qualname(expr)
        if dotted is not None:
            root = dotted.split(".")[0]
            short = dotted.rsplit(".", 1)[-1]
            if root in CONFIG_PACKAGES and short in TRAINER_CONFIGS:
                return short
            return None
        if isinstance(expr, ast.Name) and name in TRAINER_CONFIGS:
            # A bare known name: from a star import, an earlier notebook cell or a
            # pasted snippet. A local definition of the same name wins.
            if name in self.defined and name != _skip_defined:
                return None
            return name
        return None

    def imported_from(self, expr: ast.expr, package: str) -> bool:
        dotted = self.qualname(expr)
        if dotted is not None:
            return dotted.split(".")[0] == package
        return isinstance(expr, ast.Name) and package in self.star_modules


_SYMBOL_KINDS = (ast.Import, ast.ImportFrom, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _imports_and_definitions(tree: ast.Module) -> Iterator[ast.stmt]:
    """The imports and definitions of `ast.walk(tree)`, in its order, from lists kept on
    each top-level statement (`statements_by_depth`)."""
    levels = [statements_by_depth(stmt, _SYMBOL_KINDS) for stmt in tree.body]
    for depth in range(max(map(len, levels), default=0)):
        for statement_levels in levels:
            if depth < len(statement_levels):
                yield from statement_levels[depth]


def _last_name(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return None


def callee_name(call: ast.Call) -> str | None:
    """The last name of a call's callee: `run_uv_job` for `api.run_uv_job(...)`."""
    return _last_name(call.func)
