"""One parse of a source text: the `ast`, a line index, suppressions and the PEP 723 block.

Everything downstream reads positions from here, so the conversion from `ast`'s
UTF-8 byte columns to character columns lives in one place.
"""

from __future__ import annotations

import ast
import bisect
import io
import re
import tokenize
import warnings
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Callable, Hashable

from .findings import Span
from .nodes import increment_lineno

# The one suppression syntax (README "Configuration"; the quick fix writes it too):
# `# hubsave: ignore` silences every rule, `# hubsave: ignore[HS101, HS304]` the codes
# listed (letters, digits, `_`, separated by commas); on the flagged line or the one above.
SUPPRESSION = re.compile(r"#\s*hubsave:\s*ignore(?:\[(?P<codes>[A-Za-z0-9_,\s]*)\])?", re.I)
_PEP723 = re.compile(
    r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$"
)
ALL_CODES = "*"


@dataclass(frozen=True)
class InlineScript:
    """A PEP 723 `# /// script` block."""

    span: Span
    dependencies: list[str] | None  # None: the block has no readable dependencies list
    toml_error: str | None = None


@dataclass
class Document:
    text: str
    path: str | None = None
    # The previous version's document: unchanged top-level statements are reused
    # from its tree instead of parsed again. It is consumed (its tree's line
    # numbers move): never use it after handing it over.
    previous: Document | None = field(default=None, repr=False)
    _tree: ast.Module | None = field(default=None, init=False, repr=False)
    _error: str | None = field(default=None, init=False, repr=False)
    _parsed: bool = field(default=False, init=False, repr=False)
    # Things derived from the parse (facts), so that each is computed once.
    cache: dict = field(default_factory=dict, init=False, repr=False)
    # Statements reused by an incremental parse may carry a pending line shift
    # (see `_shift_later`); `tree` applies every pending shift, internal users only
    # those of the statements they read.
    _lazy: bool = field(default=False, init=False, repr=False)

    # -- parsing -----------------------------------------------------------
    def _parse(self) -> None:
        if self._parsed:
            return
        self._parsed = True
        previous, self.previous = self.previous, None
        if previous is not None and previous._tree is not None:
            try:
                self._tree = incremental_parse(previous, self)
            except RegionSyntaxError:
                self._error = "the edited statements do not parse"
                return
            if self._tree is not None:
                self._lazy = True
                return
        try:
            self._tree = _quiet_parse(self.text, self.path or "<document>")
        except SyntaxError as exc:
            self._error = f"line {exc.lineno}: {exc.msg}"
        except (ValueError, RecursionError, MemoryError) as exc:
            # NUL bytes, nesting deeper than the parser can recurse, huge input.
            self._error = f"cannot parse: {type(exc).__name__}: {exc}"[:200]

    @property
    def tree(self) -> ast.Module | None:
        """The whole tree, every line number exact."""
        self._parse()
        if self._lazy and self._tree is not None:
            for stmt in self._tree.body:
                _materialize(stmt)
            self._lazy = False
        return self._tree

    def parsed(self) -> bool:
        """Whether the text parses (without settling pending line shifts)."""
        self._parse()
        return self._tree is not None

    def release(self) -> None:
        """Drop the parse and what was derived from it (memory of documents not being
        edited); the next use parses the text again."""
        self.previous, self._tree, self._error, self._parsed, self._lazy = None, None, None, False, False
        self.cache = {}
        self.__dict__.pop("lines", None)  # a list of the text's lines costs twice the text

    @property
    def has_tree(self) -> bool:
        """Parsed successfully (without parsing now)."""
        return self._parsed and self._tree is not None

    @property
    def syntax_error(self) -> str | None:
        self._parse()
        return self._error

    # -- what can matter ----------------------------------------------------
    def relevant_module(self, words: frozenset[str]) -> ast.Module:
        """The module with only the top-level statements that can matter to a rule.

        Imports, top-level dict literals (`**options` bindings) and strings (repo ids
        traced through a variable: `REPO = "alice/x"`) always stay; any
        other statement stays when its text mentions one of `words`, or a local
        name for one (`import SFTConfig as C`, `class Mine(SFTConfig)`).
        """
        assert self.parsed()
        words = _canonical(words | self._local_names_for(words))
        return self.statements_where(
            words,
            lambda text: any(map(text.__contains__, words)),  # no generator frame: ~40 words a statement
            keep=lambda stmt: isinstance(stmt, (ast.Import, ast.ImportFrom))
            or (isinstance(stmt, ast.Assign) and _binds_literal(stmt.value)),
        )

    def statements_where(
        self, key: Hashable, mentions: Callable[[str], object] | None, keep: Callable[[ast.stmt], bool] | None = None
    ) -> ast.Module:
        """The top-level statements whose text passes `mentions` (or `keep`), as a module.

        A rule that reads only some statements walks a long file only there. The
        decision is cached on each statement under `key`, so statements an
        incremental parse reused are not scanned again; `key` names the test.
        """
        assert self.parsed()
        tree = self._tree
        kept = []
        for stmt in tree.body:  # type: ignore[union-attr]
            decisions = getattr(stmt, "_hubsave_where", None)
            if decisions is None:
                decisions = stmt._hubsave_where = {}  # type: ignore[attr-defined]
            decided = decisions.get(key)
            if decided is None:
                decided = decisions[key] = bool((keep and keep(stmt)) or (mentions and mentions(self._statement_text(stmt))))
            if decided:
                _materialize(stmt)
                kept.append(stmt)
        return ast.Module(body=kept, type_ignores=[])

    def _statement_text(self, stmt: ast.stmt) -> str:
        """Each statement's text is joined once per document (every `statements_where`
        key of a new statement asks for it)."""
        texts = self.cache.setdefault("statement texts", {})
        text = texts.get(id(stmt))
        if text is None:
            text = texts[id(stmt)] = "\n".join(self.lines[_first_line(stmt) - 1 : _last_line(stmt)])
        return text

    def _local_names_for(self, words: frozenset[str]) -> set[str]:
        """Names this module gives to watched things: import aliases, subclasses."""
        tree = self._tree
        assert tree is not None
        names: set[str] = set()
        classes = []
        for stmt in tree.body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                names.update(
                    a.asname for a in stmt.names if a.asname and any(w in a.name for w in words)
                )
            elif isinstance(stmt, ast.ClassDef) and stmt.bases:
                _materialize(stmt)
                classes.append(stmt)
        changed = True
        while changed:  # `class B(A)` after `class A(SFTConfig)`
            changed = False
            for stmt in classes:
                if stmt.name in names:
                    continue
                bases = " ".join(self.source(b) for b in stmt.bases)
                if any(w in bases for w in words) or any(n in bases for n in names):
                    names.add(stmt.name)
                    changed = True
        return names

    def top_level_names(self) -> set[str]:
        tree = self._tree
        assert tree is not None
        return {s.name for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}

    # -- positions ---------------------------------------------------------
    @cached_property
    def lines(self) -> list[str]:
        return split_lines(self.text)

    def _char_col(self, line: int, byte_col: int) -> int:
        """Character column of `ast`'s UTF-8 byte offset on 1-based `line`."""
        if line - 1 >= len(self.lines):
            return 0
        text = self.lines[line - 1]
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))

    def span(self, node: ast.AST) -> Span:
        """The node's range, 0-based lines and character columns."""
        start = node.lineno  # type: ignore[attr-defined]
        end = node.end_lineno or start  # type: ignore[attr-defined]
        return Span(
            start - 1,
            self._char_col(start, node.col_offset),  # type: ignore[attr-defined]
            end - 1,
            self._char_col(end, node.end_col_offset or 0),  # type: ignore[attr-defined]
        )

    def source(self, node: ast.AST) -> str:
        return self.slice(self.span(node))

    def slice(self, span: Span) -> str:
        if span.start_line == span.end_line:
            return self.lines[span.start_line][span.start_col : span.end_col]
        parts = [self.lines[span.start_line][span.start_col :]]
        parts += self.lines[span.start_line + 1 : span.end_line]
        parts.append(self.lines[span.end_line][: span.end_col])
        return "\n".join(parts)

    # -- suppressions ------------------------------------------------------
    @cached_property
    def suppressions(self) -> dict[int, frozenset[str]]:
        """0-based line -> codes silenced there (ALL_CODES for a bare ignore)."""
        found: dict[int, frozenset[str]] = {}
        if "hubsave:" not in self.text:
            return found
        for number, line in enumerate(self.lines):
            if "#" not in line:
                continue
            match = SUPPRESSION.search(line)
            if not match:
                continue
            codes = match.group("codes")
            if codes is None or not codes.strip():
                found[number] = frozenset({ALL_CODES})
            else:
                found[number] = frozenset(c.strip().upper() for c in codes.split(",") if c.strip())
        return found

    def is_suppressed(self, code: str, line: int) -> bool:
        """A comment on the flagged line or on the line above silences it."""
        for candidate in (line, line - 1):
            codes = self.suppressions.get(candidate)
            if codes and (ALL_CODES in codes or code in codes):
                return True
        return False

    # -- PEP 723 -----------------------------------------------------------
    def _inside_string(self, text: str, offset: int, line: int) -> bool:
        """Whether `offset` (at the start of 1-based `line`) lies inside a string literal.

        Only the top-level statement around that line is tokenized: between
        statements a `#` line is a comment, and a long file is not scanned whole.
        """
        before = text[:offset]
        if _comments_only(before):
            return False  # the usual place: the top of the file, after comments only
        if self.parsed():
            body = self._tree.body  # type: ignore[union-attr]
            index = bisect.bisect_left(body, line, key=_last_line)
            if index == len(body) or _first_line(body[index]) > line:
                return False  # between statements
            before = "\n".join(self.lines[_first_line(body[index]) - 1 : line - 1]) + "\n"
        try:
            for _ in tokenize.generate_tokens(io.StringIO(before).readline):
                pass
        except tokenize.TokenError as exc:
            return "string" in str(exc)
        except (SyntaxError, ValueError):  # an unterminated single-quoted string, NUL bytes...
            return False
        return False

    @cached_property
    def inline_script(self) -> InlineScript | None:
        if "# /// script" not in self.text:
            return None
        text = self.text.replace("\r\n", "\n") if "\r" in self.text else self.text  # no copy of a long text
        # Start the (slow, multi-line) pattern at the marker line, not at every line.
        marker = text.rfind("\n", 0, text.find("# /// script")) + 1
        for match in _PEP723.finditer(text, marker):
            if match.group("type") != "script":
                continue
            start_line = text.count("\n", 0, match.start())
            if self._inside_string(text, match.start(), start_line + 1):
                continue  # a launcher's inline job script is not this file's block
            end_line = start_line + text.count("\n", match.start(), match.end())
            span = Span(start_line, 0, end_line, len("# ///"))
            content = "".join(
                line[2:] if line.startswith("# ") else line[1:]
                for line in match.group("content").splitlines(keepends=True)
            )
            return _read_inline_script(span, content)
        return None


def _comments_only(text: str) -> bool:
    """Whether every line is blank or a comment. A code line near the top answers it
    without splitting a long text (the complete lines of a prefix are the text's)."""
    if any(line.strip() and not line.lstrip().startswith("#") for line in text[:4096].splitlines()[:-1]):
        return False
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def split_lines(text: str) -> list[str]:
    """Lines as ast and LSP count them."""
    # splitlines() would also break on \x0c, \x1c...; ast and LSP only know \n, \r\n, \r.
    if "\r" not in text:
        return text.split("\n")
    return re.split(r"\r\n|\r|\n", text)


@lru_cache(maxsize=16)
def _read_inline_script(span: Span, content: str) -> InlineScript:
    """The block's TOML, read once per (place, content): each keystroke is a new Document
    whose block is almost always the last one's. The result is shared: never change it."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        return InlineScript(span, None, toml_error=str(exc))
    deps = data.get("dependencies")
    if not isinstance(deps, list) or not all(isinstance(d, str) for d in deps):
        return InlineScript(span, None)
    return InlineScript(span, deps)


_CANONICAL: dict[frozenset[str], frozenset[str]] = {}


def _canonical(words: frozenset[str]) -> frozenset[str]:
    """One object per distinct word set, so cached decisions compare by identity."""
    if len(_CANONICAL) > 256:
        _CANONICAL.clear()
    return _CANONICAL.setdefault(words, words)


def _quiet_parse(text: str, filename: str) -> ast.Module:
    # Invalid escapes and the like warn at every parse; the user's linter says that.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, filename=filename)


def _pending(stmt: ast.stmt) -> int:
    return getattr(stmt, "_hubsave_shift", 0)


def _shift_later(stmt: ast.stmt, lines: int) -> None:
    """Move a statement by `lines` without walking it now: shifting every node of
    the rest of a long file at each new line typed would cost more than parsing."""
    stmt._hubsave_shift = _pending(stmt) + lines  # type: ignore[attr-defined]


def _materialize(stmt: ast.stmt) -> None:
    shift = _pending(stmt)
    if shift:
        increment_lineno(stmt, shift)
        stmt._hubsave_shift = 0  # type: ignore[attr-defined]


def _first_line(stmt: ast.stmt) -> int:
    """1-based first line of a statement, its decorators included (pending shift too)."""
    decorators = getattr(stmt, "decorator_list", None)
    first = min([stmt.lineno, *(d.lineno for d in decorators)]) if decorators else stmt.lineno
    return first + _pending(stmt)


def _last_line(stmt: ast.stmt) -> int:
    return (stmt.end_lineno or stmt.lineno) + _pending(stmt)


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix, by halving (each comparison runs in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _unchanged_lines(old: Document, new: Document) -> tuple[int, int]:
    """How many whole lines at the start and at the end the two texts share."""
    a, b = old.text, new.text
    if "\r" in a or "\r" in b:  # rare: compare line by line
        limit = min(len(old.lines), len(new.lines))
        prefix = 0
        while prefix < limit and old.lines[prefix] == new.lines[prefix]:
            prefix += 1
        suffix = 0
        while suffix < limit - prefix and old.lines[-1 - suffix] == new.lines[-1 - suffix]:
            suffix += 1
        return prefix, suffix
    prefix = a.count("\n", 0, _common_prefix(a, b))
    tail = _common_prefix(a[::-1], b[::-1])
    suffix = a.count("\n", len(a) - tail)
    return prefix, min(suffix, min(len(old.lines), len(new.lines)) - prefix)


class RegionSyntaxError(Exception):
    """The edited statements, with their neighbours, cannot parse: neither can the file."""


def incremental_parse(old: Document, new: Document) -> ast.Module | None:
    """Parse only the top-level statements an edit touched.

    Returns the new tree (unchanged statements before the edit reused as they
    are, those after it with their line numbers moved), None when only a full
    parse can tell, or raises RegionSyntaxError when the text cannot parse.

    Why a region can stand for the file: it starts and ends on top-level
    statement boundaries of a text that parsed. If it parses on its own, the
    tokenizer is back at top level where the unchanged text resumes. If it does
    not, it may only need its neighbours (an `else:` or `except:` added after a
    compound statement, a decorator before a def, an indented line continuing the
    previous block): the region is widened by one statement on each side and
    tried again. Past that, only a triple-quoted string still open at the end of
    the region (one typed, or the partner of a deleted quote) or a line
    continuation can make the whole file parse; otherwise it cannot.
    """
    old_tree = old._tree
    assert old_tree is not None
    if old.text == new.text:
        return old_tree
    old_count, new_count = len(old.lines), len(new.lines)
    delta = new_count - old_count
    prefix, suffix = _unchanged_lines(old, new)
    body = old_tree.body
    firsts = [_first_line(stmt) - 1 for stmt in body]
    lasts = [_last_line(stmt) - 1 for stmt in body]
    # 0-based old line range [start, end] of the edit; statements before `low` end
    # before it, statements from `high` on start after it.
    start, end = prefix, old_count - suffix - 1
    low = bisect.bisect_left(lasts, start)
    high = bisect.bisect_right(firsts, end)
    problem: str | None = None
    for widen in (0, 1):
        low, high = max(0, low - widen), min(len(body), high + widen)
        region_start = min(start, firsts[low]) if low < len(body) else start
        region_end = max(end, lasts[high - 1]) if high > 0 else end
        region = "\n".join(new.lines[region_start : region_end + 1 + delta])
        try:
            fresh = _quiet_parse(region, "<region>")
            break
        except SyntaxError as exc:
            problem = str(exc.msg)
        except (ValueError, RecursionError, MemoryError):
            problem = None  # the parser cannot say why: only a full parse can tell
    else:
        # Only a triple-quoted string still open where the region ends (or a line
        # continuation) can reach the text after it; the tokenizer reports such a
        # string at once ("unterminated triple-quoted string literal"). A
        # single-quoted string ends at its line, so an unterminated one (typing
        # `name="...`) is a syntax error here and in the file: no full parse.
        edited = "\n".join(new.lines[start : end + 1 + delta])
        if problem is None or "triple-quoted" in problem or edited.rstrip(" \t").endswith("\\") or "\\\n" in edited:
            return None
        raise RegionSyntaxError
    for stmt in fresh.body:
        increment_lineno(stmt, region_start)
    after = body[high:]
    if delta:
        for stmt in after:
            _shift_later(stmt, delta)
    return ast.Module(body=[*body[:low], *fresh.body, *after], type_ignores=[])


def _binds_literal(value: ast.expr) -> bool:
    return isinstance(value, (ast.Dict, ast.JoinedStr)) or (
        isinstance(value, ast.Constant) and isinstance(value.value, str)
    )
