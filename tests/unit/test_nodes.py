"""analysis/nodes.py: the fast walkers give exactly what the standard library's give."""

from __future__ import annotations

import ast

import pytest

from hubsave.analysis.constants import BINDING_KINDS
from hubsave.analysis.nodes import SCOPES, increment_lineno, iter_scope, remembered, scope_nodes
from tests.hardening.strategies import TEXTS


def _trees() -> list[ast.Module]:
    trees = []
    for text in TEXTS:
        try:
            trees.append(ast.parse(text))
        except SyntaxError:
            pass
    return trees


TREES = _trees()
KINDS = BINDING_KINDS | {ast.Call, ast.Expr, ast.Lambda}


def _scopes(tree: ast.Module) -> list[ast.AST]:
    return [tree, *(node for node in ast.walk(tree) if isinstance(node, SCOPES))]


@pytest.mark.parametrize("stored_names", [False, True])
def test_scope_nodes_are_the_kept_nodes_of_iter_scope_in_order(stored_names):
    for tree in TREES:
        for scope in _scopes(tree):
            expected = [
                node
                for node in iter_scope(scope)
                if type(node) in KINDS or (stored_names and isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store))
            ]
            assert scope_nodes(scope, KINDS, stored_names) == expected
            assert scope_nodes(scope, KINDS, stored_names) == expected  # remembered: the same again


def test_increment_lineno_moves_every_position_as_the_standard_library_does():
    for text in TEXTS:
        try:
            ours, theirs = ast.parse(text), ast.parse(text)
        except SyntaxError:
            continue
        for a, b in zip(ours.body, theirs.body):
            increment_lineno(a, 7)
            ast.increment_lineno(b, 7)
        assert ast.dump(ours, include_attributes=True) == ast.dump(theirs, include_attributes=True)


def test_remembered_computes_once_per_node_and_arguments():
    calls = []

    def names(node, prefix=""):
        calls.append(node)
        return [n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id.startswith(prefix)]

    stmt = ast.parse("a = b + ab").body[0]
    assert remembered(stmt, names) == ["a", "b", "ab"]
    assert remembered(stmt, names) == ["a", "b", "ab"]
    assert remembered(stmt, names, "a") == ["a", "ab"]
    assert len(calls) == 2


def test_symbols_meet_imports_and_definitions_in_ast_walk_order():
    """Symbols.of reads imports and definitions from per-statement lists; their merged
    order is ast.walk's (a later alias and the first class of a name win, as before)."""
    from hubsave.analysis.symbols import _SYMBOL_KINDS, _imports_and_definitions

    nested = ast.parse(
        "import a as x\nif c:\n    import b as x\n    class K(Base):\n        import d\nclass K:\n    pass\n"
        "try:\n    from e import f\nexcept ImportError:\n    def g():\n        import h\n"
    )
    for tree in [nested, *TREES]:
        expected = [node for node in ast.walk(tree) if isinstance(node, _SYMBOL_KINDS)]
        assert list(_imports_and_definitions(tree)) == expected
        assert list(_imports_and_definitions(tree)) == expected  # from the remembered lists
