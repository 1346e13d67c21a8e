"""The edit steps a FixRequest can name: text in, text out.

Each recipe finds its target by the start position the analysis recorded (a
start does not move when an earlier step edited inside the same call), changes
only that node with libcst, and returns the new source. A recipe that cannot
find its target raises FixNotApplicable, and the whole fix is dropped.
"""

from __future__ import annotations

import ast
import functools
from typing import Callable, Mapping

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from ..analysis.findings import EditStep, Span
from . import cst_lists
from .registry import FixNotApplicable, lines_with_endings, recipe


def _parse(text: str) -> cst.Module:
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        raise FixNotApplicable(f"does not parse: {exc.message}") from exc


@functools.lru_cache(maxsize=2)
def _positions(text: str) -> tuple[MetadataWrapper, Mapping[cst.CSTNode, CodeRange]]:
    """The parsed module and its node positions, shared by the fixes of one fix-all pass
    (they all start from the same text). libcst trees are immutable: a recipe's
    transform builds a new tree and leaves this one as it was."""
    wrapper = MetadataWrapper(_parse(text), unsafe_skip_copy=True)
    return wrapper, wrapper.resolve(PositionProvider)


def _callee(call: cst.Call) -> str | None:
    func = call.func
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return func.value if isinstance(func, cst.Name) else None


def _replace_node_at(
    text: str,
    span: Span,
    kind: type[cst.CSTNode],
    change: Callable[[cst.CSTNode], cst.CSTNode],
    callee: str | None = None,
) -> str:
    """Apply `change` to the node of `kind` starting at `span`'s start.

    A call is also matched by its callee's name: `HfApi().run_uv_job(...)` and
    `HfApi()` start at the same place.
    """
    wrapper, positions = _positions(text)
    target = None
    for node, where in positions.items():
        # libcst lines are 1-based, columns 0-based characters, as our spans' columns.
        if not isinstance(node, kind) or (where.start.line - 1, where.start.column) != (span.start_line, span.start_col):
            continue
        if callee is None or (isinstance(node, cst.Call) and _callee(node) == callee):
            target = node
            break
    if target is None:
        raise FixNotApplicable(f"no {kind.__name__} at {span.start_line + 1}:{span.start_col + 1}")

    class Replace(cst.CSTTransformer):
        def on_leave(self, original, updated):  # type: ignore[override]
            return change(updated) if original is target else updated

    return wrapper.module.visit(Replace()).code


def _expr(source: str) -> cst.BaseExpression:
    try:
        return cst.parse_expression(source)
    except cst.ParserSyntaxError as exc:
        raise FixNotApplicable(f"bad snippet {source!r}") from exc


def _keyword_index(call: cst.Call, name: str) -> int | None:
    for index, arg in enumerate(call.args):
        if arg.keyword is not None and arg.keyword.value == name:
            return index
    return None


def _key_value(element: cst.BaseDictElement) -> object:
    if isinstance(element, cst.DictElement):
        try:
            return ast.literal_eval(cst.Module([]).code_for_node(element.key))
        except (ValueError, SyntaxError):
            return None
    return None


def _new_arg(name: str, value: str) -> cst.Arg:
    return cst.Arg(
        keyword=cst.Name(name),
        value=_expr(value),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )


@recipe("set_keyword")
def set_keyword(text: str, edit: EditStep) -> str:
    name, value = edit.param("name"), edit.param("value")

    def change(call: cst.Call) -> cst.Call:
        index = _keyword_index(call, name)
        if index is not None:
            args = list(call.args)
            args[index] = args[index].with_changes(value=_expr(value))
            return call.with_changes(args=args)
        return cst_lists.append_arg(call, _new_arg(name, value))

    return _replace_node_at(text, edit.param("call"), cst.Call, change, edit.param("callee"))


@recipe("remove_keyword")
def remove_keyword(text: str, edit: EditStep) -> str:
    name = edit.param("name")

    def change(call: cst.Call) -> cst.Call:
        index = _keyword_index(call, name)
        if index is None:
            raise FixNotApplicable(f"no argument {name}")
        return cst_lists.remove_arg(call, index)

    return _replace_node_at(text, edit.param("call"), cst.Call, change, edit.param("callee"))


@recipe("remove_argument")
def remove_argument(text: str, edit: EditStep) -> str:
    """Drop the positional argument at `index` (`login("hf_...")` -> `login()`)."""
    index = edit.param("index")

    def change(call: cst.Call) -> cst.Call:
        if index >= len(call.args) or call.args[index].keyword is not None or call.args[index].star:
            raise FixNotApplicable(f"no positional argument {index}")
        return cst_lists.remove_arg(call, index)

    return _replace_node_at(text, edit.param("call"), cst.Call, change, edit.param("callee"))


@recipe("rename_keyword")
def rename_keyword(text: str, edit: EditStep) -> str:
    name, new, value = edit.param("name"), edit.param("new"), edit.param("value")

    def change(call: cst.Call) -> cst.Call:
        index = _keyword_index(call, name)
        if index is None:
            raise FixNotApplicable(f"no argument {name}")
        args = list(call.args)
        renamed = args[index].with_changes(keyword=cst.Name(new))
        if value is not None:
            renamed = renamed.with_changes(value=_expr(value))
        args[index] = renamed
        return call.with_changes(args=args)

    return _replace_node_at(text, edit.param("call"), cst.Call, change, edit.param("callee"))


@recipe("set_dict_entry")
def set_dict_entry(text: str, edit: EditStep) -> str:
    key_source, value = edit.param("key"), edit.param("value")
    key = ast.literal_eval(key_source)

    def change(node: cst.Dict) -> cst.Dict:
        elements = list(node.elements)
        for index, element in enumerate(elements):
            if _key_value(element) == key and isinstance(element, cst.DictElement):
                elements[index] = element.with_changes(value=_expr(value))
                return node.with_changes(elements=elements)
        new = cst.DictElement(
            _expr(key_source),
            _expr(value),
            whitespace_before_colon=cst.SimpleWhitespace(""),
            whitespace_after_colon=cst.SimpleWhitespace(" "),
        )
        return cst_lists.append_element(node, new)

    return _replace_node_at(text, edit.param("dict"), cst.Dict, change)


@recipe("remove_dict_entry")
def remove_dict_entry(text: str, edit: EditStep) -> str:
    key = ast.literal_eval(edit.param("key"))

    def change(node: cst.Dict) -> cst.Dict:
        for index, element in enumerate(node.elements):
            if _key_value(element) == key:
                return cst_lists.remove_element(node, index)
        raise FixNotApplicable(f"no entry {key!r}")

    return _replace_node_at(text, edit.param("dict"), cst.Dict, change)


def _offset(lines: list[str], line: int, col: int) -> int:
    return sum(len(current) for current in lines[:line]) + col


@recipe("replace")
def replace(text: str, edit: EditStep) -> str:
    """Replace a span with text: for a literal value, no tree is needed."""
    span: Span = edit.param("span")
    lines = lines_with_endings(text)
    if span.end_line > len(lines):
        raise FixNotApplicable("span past the end")
    start = _offset(lines, span.start_line, span.start_col)
    end = _offset(lines, span.end_line, span.end_col)
    return text[:start] + edit.param("text") + text[end:]


@recipe("insert_after_statement")
def insert_after_statement(text: str, edit: EditStep) -> str:
    """A new statement on the line after `span`'s statement, at the same indentation."""
    span: Span = edit.param("span")
    lines = lines_with_endings(text)
    if span.end_line >= len(lines):
        raise FixNotApplicable("statement past the end")
    first = lines[span.start_line]
    indent = first[: len(first) - len(first.lstrip())]
    newline = "\r\n" if lines[span.end_line].endswith("\r\n") else "\n"
    if not lines[span.end_line].endswith(("\n", "\r")):
        lines[span.end_line] += newline
    lines.insert(span.end_line + 1, f"{indent}{edit.param('text')}{newline}")
    return "".join(lines)


@recipe("add_import")
def add_import(text: str, edit: EditStep) -> str:
    """`from module import name`, unless the name is already imported."""
    module_name, name = edit.param("module"), edit.param("name")
    if _imports(text, module_name, name):
        return text
    tree = _parse(text)
    insert_at = 0
    for index, statement in enumerate(tree.body):
        if not isinstance(statement, cst.SimpleStatementLine):
            break
        small = statement.body[0]
        if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
            source = cst.Module([]).code_for_node(small.module) if small.module else ""
            if source == module_name and not small.relative:
                names = list(small.names)
                last = names[-1]
                names[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                names.append(cst.ImportAlias(cst.Name(name), comma=last.comma))
                new_statement = statement.with_changes(body=[small.with_changes(names=names), *statement.body[1:]])
                body = list(tree.body)
                body[index] = new_statement
                return tree.with_changes(body=body).code
        if isinstance(small, (cst.Import, cst.ImportFrom)):
            insert_at = index + 1
        elif index == 0 and isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString):
            insert_at = 1  # after the module docstring
        else:
            break
    new = cst.parse_statement(f"from {module_name} import {name}\n")
    body = list(tree.body)
    body.insert(insert_at, new)
    return tree.with_changes(body=body).code


def _imports(text: str, module_name: str, name: str) -> bool:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError) as exc:
        raise FixNotApplicable("does not parse") from exc
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == module_name
        and any(alias.name == name and alias.asname in (None, name) for alias in node.names)
        for node in ast.walk(tree)
    )
