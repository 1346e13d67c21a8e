"""Walking `ast` trees: the same orders as `ast.walk` / `ast.iter_child_nodes`, faster.

Every keystroke walks the statements that can matter several times (symbols, facts,
rules); the standard library's generators over `iter_fields` were the largest share
of a keystroke's analysis. These build lists instead, over each class's `_fields`.
"""

from __future__ import annotations

import ast
from bisect import bisect_left
from collections import deque
from typing import Callable, Iterator, TypeVar

_AST = ast.AST
T = TypeVar("T")
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """`list(ast.iter_child_nodes(node))`."""
    return _nodes_in(node, node._fields)


def _nodes_in(node: ast.AST, fields: tuple[str, ...]) -> list[ast.AST]:
    out: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if type(value) is list:
            out.extend([item for item in value if isinstance(item, _AST)])
        elif isinstance(value, _AST):
            out.append(value)
    return out


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """`ast.walk(node)`: breadth first, in the same order."""
    todo = deque([node])
    popleft, extend = todo.popleft, todo.extend
    while todo:
        node = popleft()
        extend(child_nodes(node))
        yield node


_STATEMENT_PARTS = (ast.stmt, ast.excepthandler, ast.match_case)


def statements_by_depth(stmt: ast.AST, kinds: tuple[type, ...]) -> list[list[ast.AST]]:
    """The statements of `ast.walk(stmt)` that are `kinds`, one list per depth, without
    entering expressions (statements sit only under statements, `except` clauses and
    `case`s). `ast.walk` is breadth first: for a module it meets each depth's nodes
    statement by statement, so merging each statement's lists so gives its order.
    The levels below `stmt` are `remembered` on it."""
    return [[stmt] if isinstance(stmt, kinds) else [], *remembered(stmt, _levels_below, kinds)]


def _levels_below(stmt: ast.AST, kinds: tuple[type, ...]) -> list[list[ast.AST]]:
    levels = []
    level = [child for child in child_nodes(stmt) if isinstance(child, _STATEMENT_PARTS)]
    while level:
        levels.append([node for node in level if isinstance(node, kinds)])
        level = [child for node in level for child in child_nodes(node) if isinstance(child, _STATEMENT_PARTS)]
    return levels


def walk_with_statements(stmt: ast.AST) -> Iterator[tuple[ast.AST, tuple[ast.AST, ...]]]:
    """Every node of a statement (itself included), with the statements, `except` and
    `case` clauses enclosing it, outermost first (the node too when it is one)."""
    todo: list[tuple[ast.AST, tuple[ast.AST, ...]]] = [(stmt, (stmt,))]
    pop, append = todo.pop, todo.append
    while todo:
        node, statements = pop()
        yield node, statements
        for child in child_nodes(node):
            append((child, (*statements, child) if isinstance(child, _STATEMENT_PARTS) else statements))


def spans_one_of(stmt: ast.AST, lines: list[int]) -> bool:
    """Whether a statement (its decorators included) spans one of `lines` (sorted, 1-based)."""
    decorators = getattr(stmt, "decorator_list", None)
    first = min(stmt.lineno, *(d.lineno for d in decorators)) if decorators else stmt.lineno  # type: ignore[attr-defined]
    i = bisect_left(lines, first)
    return i < len(lines) and lines[i] <= (stmt.end_lineno or stmt.lineno)  # type: ignore[attr-defined]


def iter_scope(scope: ast.AST) -> Iterator[ast.AST]:
    """Nodes of one scope in source order, not entering nested functions or classes."""
    stack = child_nodes(scope)[::-1]
    pop, extend = stack.pop, stack.extend
    while stack:
        node = pop()
        yield node
        if isinstance(node, SCOPES):
            continue
        children = child_nodes(node)
        if children:
            children.reverse()
            extend(children)


def remembered(node: ast.AST, compute: Callable[..., T], *args: object) -> T:
    """`compute(node, *args)`, kept on the node: a statement an incremental parse reused,
    and every node in it, is the same object on the next keystroke, so what was found
    in it is not looked for again. `compute` (and `args`) must depend on the node's
    structure only, never its positions (a reused statement's lines may move); the
    caller must not change the result. The result must not hold `node` itself: that
    cycle would keep a dropped tree in memory until the garbage collector runs."""
    memo = node.__dict__.setdefault("_hubsave_memo", {})
    key = (compute, *args) if args else compute
    found = memo.get(key, _MISSING)
    if found is _MISSING:
        found = memo[key] = compute(node, *args)
    return found


_MISSING = object()


def statement_nodes(stmt: ast.AST) -> list[ast.AST]:
    """`list(walk(stmt))`, its nodes below `stmt` `remembered` on it: several rules read
    the nodes of the same statements, and an edited one is then walked once."""
    return [stmt, *remembered(stmt, _nodes_below)]


def _nodes_below(stmt: ast.AST) -> list[ast.AST]:
    found = walk(stmt)
    next(found)  # the statement itself
    return list(found)


def scope_nodes(scope: ast.AST, kinds: frozenset[type], stored_names: bool = False) -> list[ast.AST]:
    """The nodes of `iter_scope(scope)` whose class is one of `kinds` (and with
    `stored_names` every `Name` assigned to), in order, `remembered` on the scope's node
    (for a module, on each of its statements): a reused statement is not walked again."""
    if not isinstance(scope, ast.Module):
        return remembered(scope, _kept_in_scope, kinds, stored_names)
    kept: list[ast.AST] = []
    for stmt in scope.body:  # iter_scope(module): each statement, then what is inside it
        if type(stmt) in kinds:
            kept.append(stmt)
        if not isinstance(stmt, SCOPES):
            kept.extend(remembered(stmt, _kept_in_scope, kinds, stored_names))
    return kept


def _kept_in_scope(scope: ast.AST, kinds: frozenset[type], stored_names: bool) -> list[ast.AST]:
    """`iter_scope` with the test inlined, never entering contexts and operators (leaves
    no caller keeps): twice as fast on a whole file's first analysis."""
    kept: list[ast.AST] = []
    keep = kept.append
    stack = _scope_children(scope)[::-1]
    pop, extend = stack.pop, stack.extend
    while stack:
        node = pop()
        cls = type(node)
        if cls in kinds or (stored_names and cls is _Name and type(node.ctx) is _Store):  # type: ignore[attr-defined]
            keep(node)
        if cls in _SCOPE_CLASSES:
            continue
        names = _FIELDS_WITH_NODES.get(cls)
        if names is None:
            names = _FIELDS_WITH_NODES[cls] = _node_fields(cls)
        if names:  # most nodes are names and constants: no call for them
            children = _nodes_in(node, names)
            children.reverse()
            extend(children)
    return kept


_Name, _Store = ast.Name, ast.Store
_SCOPE_CLASSES = frozenset(SCOPES)
_FIELDS_WITH_NODES: dict[type, tuple[str, ...]] = {}


def _node_fields(cls: type) -> tuple[str, ...]:
    """The fields of a node class that can hold nodes other than contexts and operators."""
    if cls in (ast.Constant, ast.Name, ast.alias):  # only values, identifiers and a context
        return ()
    return tuple(name for name in cls._fields if name not in ("ctx", "op", "ops"))


def _scope_children(node: ast.AST) -> list[ast.AST]:
    """`child_nodes` without contexts and operators (`ctx`, `op`, `ops`: leaves)."""
    cls = type(node)
    names = _FIELDS_WITH_NODES.get(cls)
    if names is None:
        names = _FIELDS_WITH_NODES[cls] = _node_fields(cls)
    return _nodes_in(node, names)


def increment_lineno(node: ast.AST, lines: int) -> ast.AST:
    """`ast.increment_lineno`, twice as fast: moving the statements after an edit (and
    those an incremental parse read from the edited region) is on every keystroke that
    adds or removes a line. Contexts, operators and constants hold no nested lines."""
    todo = [node]
    pop, extend = todo.pop, todo.extend
    while todo:
        node = pop()
        cls = type(node)
        spec = _LINE_FIELDS.get(cls)
        if spec is None:
            spec = _LINE_FIELDS[cls] = (
                "lineno" in cls._attributes or "lineno" in cls._fields,  # TypeIgnore: a field
                "end_lineno" in cls._attributes,
                _node_fields(cls),
            )
        has_line, has_end, names = spec
        if has_line:
            node.lineno = getattr(node, "lineno", 0) + lines  # type: ignore[attr-defined]
        if has_end:
            end = getattr(node, "end_lineno", 0)
            if end is not None:
                node.end_lineno = end + lines  # type: ignore[attr-defined]
        extend(_nodes_in(node, names))
    return node


_LINE_FIELDS: dict[type, tuple[bool, bool, tuple[str, ...]]] = {}
