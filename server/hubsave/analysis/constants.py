"""String values traced through a name, one step: `REPO = "alice/x"` ... `push_to_hub(REPO)`.

In its own scope a name takes the literal of the last assignment before the use.
A function's name that the function does not bind comes from the module, and only
when the module binds it once, to a literal: when the function runs, any of several
module-level assignments may have happened. A name also bound another way (loop
target, `+=`, unpacking, import, `global`, a parameter) is unknown.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from .nodes import SCOPES, iter_scope, scope_nodes

if TYPE_CHECKING:
    from .document import Document

FUNCTION_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)

# Per name: each assignment's end (line, column) and the string literal it binds
# (None: some other value); None for the whole name: bound in a way not traced.
Bindings = dict[str, "list[tuple[tuple[int, int], ast.expr | None]] | None"]


def is_string(node: ast.expr | None) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


# The nodes `string_bindings` reads, with every stored `Name` (`scope_nodes(scope,
# BINDING_KINDS, stored_names=True)`): it may be given only those.
BINDING_KINDS = frozenset({ast.Assign, ast.AnnAssign, ast.Global, ast.Nonlocal, ast.Import, ast.ImportFrom, ast.arg,
                           ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})  # fmt: skip
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def string_bindings(nodes: list[ast.AST]) -> Bindings:
    """Each name's assignments in one scope (its nodes, from `iter_scope`, or those of
    them `BINDING_KINDS` keeps), in order."""
    assigned: Bindings = {}
    rebound: set[str] = set()
    simple: set[int] = set()
    for node in nodes:
        if isinstance(node, ast.Assign):
            targets = [t for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and node.value is not None and isinstance(node.target, ast.Name):
            targets = [node.target]
        else:
            if isinstance(node, (ast.Global, ast.Nonlocal)):
                rebound.update(node.names)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                rebound.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, ast.arg):
                rebound.add(node.arg)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                rebound.add(node.name)
            continue
        value = node.value if is_string(node.value) else None
        end = (node.end_lineno or node.lineno, node.end_col_offset or 0)
        for target in targets:
            simple.add(id(target))
            assigned.setdefault(target.id, []).append((end, value))  # type: ignore[union-attr]
    for node in nodes:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and id(node) not in simple:
            rebound.add(node.id)
    assigned.update(dict.fromkeys(rebound))
    return assigned


def module_bindings(doc: Document) -> Bindings:
    """`string_bindings` of the whole module scope. A top-level definition binds only its
    name there, so only the other top-level statements are walked (most of a long file
    is definitions) and only theirs get their pending line shifts settled."""
    others = doc.statements_where("not-a-definition", None, keep=_not_a_definition)
    bindings = string_bindings(scope_nodes(others, BINDING_KINDS, stored_names=True))
    bindings.update(dict.fromkeys(doc.top_level_names()))
    return bindings


def _not_a_definition(stmt: ast.stmt) -> bool:
    return not isinstance(stmt, _DEFINITIONS)


def value_at(name: ast.Name, local: Bindings, module: Bindings | None) -> ast.expr | None:
    """The literal `name` holds where it is used: `local` is its scope's bindings,
    `module` the module's when that scope is a function (None at module level)."""
    if name.id in local:
        here = (name.lineno, name.col_offset)
        earlier = [value for end, value in local[name.id] or () if end <= here]
        return earlier[-1] if earlier else None
    if module is not None:
        bindings = module.get(name.id)
        if bindings is not None and len(bindings) == 1:
            return bindings[0][1]
    return None


class Constants:
    """`value_at` for any name of a whole tree; each scope's bindings built on first use."""

    def __init__(self, tree: ast.Module) -> None:
        self._scope_of: dict[int, ast.AST] = {}
        self._bindings: dict[int, Bindings] = {}
        self._tree = tree
        pending: list[ast.AST] = [tree]
        while pending:
            scope = pending.pop()
            for node in iter_scope(scope):
                if isinstance(node, ast.Name):
                    self._scope_of[id(node)] = scope
                elif isinstance(node, SCOPES):
                    pending.append(node)

    def _of(self, scope: ast.AST) -> Bindings:
        found = self._bindings.get(id(scope))
        if found is None:
            found = self._bindings[id(scope)] = string_bindings(list(iter_scope(scope)))
        return found

    def value(self, name: ast.Name) -> ast.expr | None:
        scope = self._scope_of.get(id(name))
        if scope is None:
            return None
        if scope is self._tree:
            return value_at(name, self._of(scope), None)
        module = self._of(self._tree) if isinstance(scope, FUNCTION_SCOPES) else None
        return value_at(name, self._of(scope), module)
