"""Shell text to simple commands made of words, each with its span and value.

Not a shell: enough of one to read command lines as `hf jobs` receives them.
Quotes, backslashes and `\\`-newline continuations are removed from a word's value;
`$VAR`, `${...}`, `$(...)` and backticks make the part they cover unknown (marked
with `UNKNOWN_PART`); `;`, `&&`, `||`, `|`, `&` and newlines end a command; `#`
starts a comment at a word's start; redirections drop their target.

Written by hand rather than with a shell parser: bashlex raises on the half-typed
line an editor sends at each keystroke and shlex keeps no positions, while this
needs only words and their spans, and must never raise.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .findings import Span

UNKNOWN_PART = "\x00"  # stands for text only known when the shell runs

_OPERATOR = re.compile(r"&&|\|\||;;|[;|&\n()]")
_REDIRECTION = re.compile(r"\d*(?:<<<|<<-|<<|>>|&>|>&|<&|>\||<|>)")
_NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
# `<your-username>`: a placeholder in a guide (no shell writes a redirection so), unknown.
_PLACEHOLDER = re.compile(r"<[A-Za-z][\w.-]*>")
# A run of characters with no meaning to the shell inside a word: taken in one step.
_PLAIN = re.compile(r"[^\s'\"\\$`&|;()<>]+")


@dataclass(frozen=True)
class Word:
    """One argument: its value without quotes, where it is written, how it is written."""

    value: str  # unknown parts are UNKNOWN_PART
    span: Span
    raw: str = ""
    # Unquoted `$VAR`, `$@`, `"$@"`...: may become zero or several arguments.
    splat: bool = False

    @property
    def known(self) -> bool:
        return UNKNOWN_PART not in self.value


class _Positions:
    """Offset -> (line, column) for one text."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line, offset - self.starts[line]

    def span(self, start: int, end: int) -> Span:
        return Span(*self.at(start), *self.at(end))


def commands(text: str) -> list[list[Word]]:
    """The simple commands of `text`, in order; never raises (an open quote runs to the end)."""
    return _scan(text, _Positions(text), 0, whole=True)[0]


def commands_with(text: str, word: re.Pattern[str]) -> list[list[Word]]:
    """The simple commands of the logical lines (continuations joined) where `word`
    occurs: a long file is tokenized only where it can matter."""
    positions = _Positions(text)
    result: list[list[Word]] = []
    done = 0
    for match in word.finditer(text):
        if match.start() < done:
            continue
        line = bisect.bisect_right(positions.starts, match.start()) - 1
        while line > 0 and text[: positions.starts[line] - 1].rstrip("\r").endswith("\\"):
            line -= 1  # the line above continues onto this one
        start = max(positions.starts[line], done)
        found, done = _scan(text, positions, start, whole=False)
        result.extend(found)
    return result


def _scan(text: str, positions: _Positions, i: int, whole: bool) -> tuple[list[list[Word]], int]:
    """Commands from offset `i`: to the end, or (`whole` False) to the end of the line."""
    result: list[list[Word]] = []
    current: list[Word] = []
    n = len(text)
    skip_next_word = False
    while i < n:
        char = text[i]
        if char in " \t\r":
            i += 1
            continue
        if char == "\\" and text.startswith(("\n", "\r\n"), i + 1):
            i += 2 if text[i + 1] == "\n" else 3  # continuation
            continue
        if char == "#":
            while i < n and text[i] != "\n":
                i += 1
            continue
        if char == "\n" and not whole:
            i += 1
            break
        if char in "&|;()\n":
            operator = _OPERATOR.match(text, i)
            if operator is not None:
                if current:
                    result.append(current)
                    current = []
                i = operator.end()
                continue
        if char in "<>&0123456789" and not _PLACEHOLDER.match(text, i):
            redirect = _REDIRECTION.match(text, i)
            if redirect is not None:
                i = redirect.end()
                skip_next_word = True  # its target: a file (`> out`) or a descriptor (`2>&1`)
                continue
        word, i = _word(text, i, positions)
        if skip_next_word:
            skip_next_word = False
            continue
        current.append(word)
    if current:
        result.append(current)
    return result, i


def _word(text: str, start: int, positions: _Positions) -> tuple[Word, int]:
    value: list[str] = []
    i, n = start, len(text)
    splat = False
    quoted = False
    while i < n:
        plain = _PLAIN.match(text, i)
        if plain is not None:
            value.append(plain.group())
            i = plain.end()
            continue
        char = text[i]
        placeholder = _PLACEHOLDER.match(text, i) if char == "<" else None
        if placeholder is not None:
            value.append(UNKNOWN_PART)
            i = placeholder.end()
            continue
        if char in " \t\r\n&|;()<>":
            break
        if char == "\\":
            if text.startswith(("\n", "\r\n"), i + 1):
                i += 2 if text[i + 1] == "\n" else 3
                continue
            value.append(text[i + 1 : i + 2])
            i += 2
            continue
        if char == "'":
            end = text.find("'", i + 1)
            end = n if end < 0 else end
            value.append(text[i + 1 : end])
            i = end + 1
            quoted = True
            continue
        if char == '"':
            i, part, at_sign = _double_quoted(text, i + 1)
            value.append(part)
            splat = splat or at_sign
            quoted = True
            continue
        if char == "$" or char == "`":
            i, expanded = _expansion(text, i)
            value.append(UNKNOWN_PART if expanded else "$")
            continue
        value.append(char)
        i += 1
    end = min(i, n)
    joined = "".join(value)
    # An unquoted expansion alone may split into several words, or none.
    only_expansion = joined == UNKNOWN_PART and not quoted
    return Word(joined, positions.span(start, end), text[start:end], splat or only_expansion), end


def _double_quoted(text: str, i: int) -> tuple[int, str, bool]:
    """(index after the closing quote, value, whether it holds `$@`)."""
    part: list[str] = []
    at_sign = False
    n = len(text)
    while i < n and text[i] != '"':
        char = text[i]
        if char == "\\" and i + 1 < n:
            following = text[i + 1]
            if following == "\n" or text.startswith("\r\n", i + 1):
                i += 2 if following == "\n" else 3
                continue
            part.append(following if following in '$`"\\' else "\\" + following)
            i += 2
            continue
        if char in "$`":
            at_sign = at_sign or text.startswith(("$@", "${@", "$*", "${*"), i)
            i, _ = _expansion(text, i)
            part.append(UNKNOWN_PART)
            continue
        part.append(char)
        i += 1
    return i + 1, "".join(part), at_sign


def _expansion(text: str, i: int) -> tuple[int, bool]:
    """Skip `$NAME`, `${...}`, `$(...)`, `$((...))` or a backtick command; (end, expanded)."""
    n = len(text)
    if text[i] == "`":
        end = text.find("`", i + 1)
        return (n if end < 0 else end + 1), True
    if i + 1 >= n:
        return i + 1, False
    following = text[i + 1]
    if following in "({":
        close = ")" if following == "(" else "}"
        depth, j = 0, i + 1
        while j < n:
            if text[j] == following:
                depth += 1
            elif text[j] == close:
                depth -= 1
                if depth == 0:
                    return j + 1, True
            j += 1
        return n, True
    if following in "@*#?$!-0123456789":
        return i + 2, True
    j = i + 1
    while j < n and text[j] in _NAME_CHARS:
        j += 1
    return j, j > i + 1
