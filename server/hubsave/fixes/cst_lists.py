"""Adding and removing call arguments and dict entries the way the user wrote the rest.

libcst keeps every comma, comment and line break as a node. A new item must look
like its neighbours (one line, or one item per line, trailing comma or not), and a
comment must stay on the line of the item it was written after.

Where the whitespace before the closing bracket lives differs: in a call it is the
last argument's (`comma.whitespace_after` with a trailing comma, else
`whitespace_after_arg`); in a dict it is always the `}`'s `whitespace_before`.
"""

from __future__ import annotations

from typing import Sequence, Union

import libcst as cst

Whitespace = Union[cst.BaseParenthesizableWhitespace, cst.MaybeSentinel]
_NONE = cst.SimpleWhitespace("")


def _plain(ws: cst.ParenthesizedWhitespace) -> cst.ParenthesizedWhitespace:
    """The same line break and indentation, without a comment or blank lines."""
    return ws.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])


def _item_indent(items: Sequence[cst.Arg] | Sequence[cst.DictElement], opening: Whitespace) -> cst.SimpleWhitespace:
    """The indentation items start with, in a list written one item per line."""
    for item in items[:-1]:
        if isinstance(item.comma, cst.Comma) and isinstance(item.comma.whitespace_after, cst.ParenthesizedWhitespace):
            return item.comma.whitespace_after.last_line
    if isinstance(opening, cst.ParenthesizedWhitespace):
        return opening.last_line
    return cst.SimpleWhitespace("    ")


def _separator(items, opening: Whitespace) -> cst.Comma:
    """A comma between items on one line: `, ` as the list writes it."""
    for item in items[:-1]:
        if isinstance(item.comma, cst.Comma) and not isinstance(item.comma.whitespace_after, cst.ParenthesizedWhitespace):
            return item.comma
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _tail_of_call(last: cst.Arg) -> Whitespace:
    return last.comma.whitespace_after if isinstance(last.comma, cst.Comma) else last.whitespace_after_arg


def append_arg(call: cst.Call, new: cst.Arg) -> cst.Call:
    args = list(call.args)
    if not args:
        return call.with_changes(args=[new])
    last = args[-1]
    tail = _tail_of_call(last)
    trailing = isinstance(last.comma, cst.Comma)
    if isinstance(tail, cst.ParenthesizedWhitespace):
        indent = _item_indent(args, call.whitespace_before_args)
        # The old last argument keeps its comment; the new one ends the list as it ended.
        kept_comma = last.comma if trailing else cst.Comma()
        last = last.with_changes(
            comma=kept_comma.with_changes(whitespace_after=tail.with_changes(empty_lines=[], last_line=indent)),
            whitespace_after_arg=_NONE,
        )
        if trailing:
            new = new.with_changes(comma=cst.Comma(whitespace_after=_plain(tail)))
        else:
            new = new.with_changes(whitespace_after_arg=_plain(tail))
    else:
        new = new.with_changes(comma=last.comma, whitespace_after_arg=last.whitespace_after_arg)
        last = last.with_changes(comma=_separator(args, call.whitespace_before_args), whitespace_after_arg=_NONE)
    return call.with_changes(args=[*args[:-1], last, new])


def append_element(node: cst.Dict, new: cst.DictElement) -> cst.Dict:
    elements = list(node.elements)
    if not elements:
        return node.with_changes(elements=[new])
    last = elements[-1]
    tail = node.rbrace.whitespace_before
    trailing = isinstance(last.comma, cst.Comma)
    if isinstance(tail, cst.ParenthesizedWhitespace):
        indent = _item_indent(elements, node.lbrace.whitespace_after)
        last = last.with_changes(
            comma=cst.Comma(whitespace_after=tail.with_changes(empty_lines=[], last_line=indent))
        )
        new = new.with_changes(comma=cst.Comma() if trailing else cst.MaybeSentinel.DEFAULT)
        rbrace = node.rbrace.with_changes(whitespace_before=_plain(tail))
    else:
        new = new.with_changes(comma=last.comma)
        last = last.with_changes(comma=_separator(elements, node.lbrace.whitespace_after))
        rbrace = node.rbrace
    return node.with_changes(elements=[*elements[:-1], last, new], rbrace=rbrace)


def remove_arg(call: cst.Call, index: int) -> cst.Call:
    args = list(call.args)
    gone = args.pop(index)
    if not args:
        return call.with_changes(args=[], whitespace_before_args=_NONE)
    if index < len(args):  # not the last: its comma (and comment) go with it
        return call.with_changes(args=args)
    prev = args[-1]
    assert isinstance(prev.comma, cst.Comma)
    prev_ws, tail = prev.comma.whitespace_after, _tail_of_call(gone)
    if isinstance(prev_ws, cst.ParenthesizedWhitespace):
        # Keep the previous argument's comma and comment; its line break now leads to `)`.
        last_line = tail.last_line if isinstance(tail, cst.ParenthesizedWhitespace) else _NONE
        prev = prev.with_changes(
            comma=prev.comma.with_changes(whitespace_after=prev_ws.with_changes(empty_lines=[], last_line=last_line))
        )
    else:
        prev = prev.with_changes(comma=gone.comma, whitespace_after_arg=gone.whitespace_after_arg)
    return call.with_changes(args=[*args[:-1], prev])


def remove_element(node: cst.Dict, index: int) -> cst.Dict:
    elements = list(node.elements)
    gone = elements.pop(index)
    if not elements:
        return node.with_changes(
            elements=[],
            lbrace=node.lbrace.with_changes(whitespace_after=_NONE),
            rbrace=node.rbrace.with_changes(whitespace_before=_NONE),
        )
    if index < len(elements):
        return node.with_changes(elements=elements)
    prev = elements[-1]
    assert isinstance(prev.comma, cst.Comma)
    prev_ws, tail = prev.comma.whitespace_after, node.rbrace.whitespace_before
    rbrace = node.rbrace
    if isinstance(prev_ws, cst.ParenthesizedWhitespace):
        last_line = tail.last_line if isinstance(tail, cst.ParenthesizedWhitespace) else _NONE
        rbrace = rbrace.with_changes(whitespace_before=prev_ws.with_changes(empty_lines=[], last_line=last_line))
        comma = cst.Comma() if isinstance(gone.comma, cst.Comma) else cst.MaybeSentinel.DEFAULT
        prev = prev.with_changes(comma=comma)
    else:
        prev = prev.with_changes(comma=gone.comma)
    return node.with_changes(elements=[*elements[:-1], prev], rbrace=rbrace)
