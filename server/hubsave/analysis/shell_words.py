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

from dataclasses import dataclass

from .findings import Span

UNKNOWN_PART = "\x00"  # stands for text only known when the shell runs

_OPERATORS = ("&&", "||", ";;", ";", "|", "&", "\n", "(", ")")
_REDIRECT = ("<<<", "<<-", "<<", ">>", "&>", ">&", "<&", ">|", "<", ">")
_NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"


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
        self.starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self.starts.append(index + 1)

    def at(self, offset: int) -> tuple[int, int]:
        import bisect

        line = bisect.bisect_right(self.starts, offset) - 1
        return line, offset - self.starts[line]

    def span(self, start: int, end: int) -> Span:
        return Span(*self.at(start), *self.at(end))


def commands(text: str) -> list[list[Word]]:
    """The simple commands of `text`, in order; never raises (an open quote runs to the end)."""
    positions = _Positions(text)
    result: list[list[Word]] = []
    current: list[Word] = []
    i, n = 0, len(text)
    skip_next_word = False
    while i < n:
        char = text[i]
        if char in " \t\r":
            i += 1
            continue
        if char == "\\" and text.startswith("\n", i + 1):
            i += 2  # continuation
            continue
        if char == "#":
            while i < n and text[i] != "\n":
                i += 1
            continue
        operator = next((op for op in _OPERATORS if text.startswith(op, i)), None)
        if operator is not None:
            if current:
                result.append(current)
                current = []
            i += len(operator)
            continue
        redirect = next((op for op in _REDIRECT if text.startswith(op, i)), None)
        if redirect is None and char.isdigit():
            j = i
            while j < n and text[j].isdigit():
                j += 1
            redirect = next((op for op in _REDIRECT if text.startswith(op, j)), None)
            if redirect is not None:
                redirect = text[i:j] + redirect
        if redirect is not None:
            i += len(redirect)
            skip_next_word = not text.startswith("&", i - 1) or redirect.endswith(">&") or redirect.endswith("<&")
            continue
        word, i = _word(text, i, positions)
        if skip_next_word:
            skip_next_word = False
            continue
        current.append(word)
    if current:
        result.append(current)
    return result


def _word(text: str, start: int, positions: _Positions) -> tuple[Word, int]:
    value: list[str] = []
    i, n = start, len(text)
    splat = False
    quoted = False
    while i < n:
        char = text[i]
        if char in " \t\r\n" or any(text.startswith(op, i) for op in _OPERATORS) or char in "<>":
            break
        if char == "\\":
            if text.startswith("\n", i + 1):
                i += 2
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
            if following == "\n":
                i += 2
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
