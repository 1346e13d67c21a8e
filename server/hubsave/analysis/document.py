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
from functools import cached_property

from .findings import Span

_SUPPRESS = re.compile(r"#\s*hubsave:\s*ignore(?:\[(?P<codes>[A-Za-z0-9_,\s]*)\])?", re.I)
_PEP723 = re.compile(
    r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$"
)
ALL_CODES = "*"
FULL_PARSE_FALLBACK_MAX_LINES = 1500


@dataclass
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
            self._tree = incremental_parse(previous, self)
            if self._tree is not None:
                self._lazy = True
                return
            if len(self.lines) > FULL_PARSE_FALLBACK_MAX_LINES:
                # The edited statements do not parse on their own. The whole file could
                # still parse only through a triple-quoted string opened here and closed
                # further down; on a long file, typing must not pay a full parse for that.
                self._error = "the edited statements do not parse"
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

        Imports and top-level dict literals (`**options` bindings) always stay; any
        other statement stays when its text mentions one of `words`, or a local
        name for one (`import SFTConfig as C`, `class Mine(SFTConfig)`). The
        decision is cached on the statement, so reused statements are not scanned
        again while the words stay the same.
        """
        assert self.parsed()
        tree = self._tree
        words = _canonical(words | self._local_names_for(words))
        kept = []
        for stmt in tree.body:
            cached = getattr(stmt, "_hubsave_relevant", None)
            if cached is None or cached[0] is not words:
                relevant = isinstance(stmt, (ast.Import, ast.ImportFrom)) or (
                    isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Dict)
                )
                if not relevant:
                    relevant = any(word in self._statement_text(stmt) for word in words)
                cached = (words, relevant)
                stmt._hubsave_relevant = cached  # type: ignore[attr-defined]
            if cached[1]:
                _materialize(stmt)
                kept.append(stmt)
        return ast.Module(body=kept, type_ignores=[])

    def _statement_text(self, stmt: ast.stmt) -> str:
        return "\n".join(self.lines[_first_line(stmt) - 1 : _last_line(stmt)])

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
        # splitlines() would also break on \x0c, \x1c...; ast and LSP only know \n, \r\n, \r.
        if "\r" not in self.text:
            return self.text.split("\n")
        return re.split(r"\r\n|\r|\n", self.text)

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
            match = _SUPPRESS.search(line)
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
    @cached_property
    def inline_script(self) -> InlineScript | None:
        if "# /// script" not in self.text:
            return None
        text = self.text.replace("\r\n", "\n")
        # Start the (slow, multi-line) pattern at the marker line, not at every line.
        marker = text.rfind("\n", 0, text.find("# /// script")) + 1
        for match in _PEP723.finditer(text, marker):
            if match.group("type") != "script" or _inside_string(text[: match.start()]):
                continue  # a launcher's inline job script is not this file's block
            start_line = text.count("\n", 0, match.start())
            end_line = text.count("\n", 0, match.end())
            span = Span(start_line, 0, end_line, len("# ///"))
            content = "".join(
                line[2:] if line.startswith("# ") else line[1:]
                for line in match.group("content").splitlines(keepends=True)
            )
            return _read_inline_script(span, content)
        return None


def _inside_string(before: str) -> bool:
    """Whether text ending here leaves a string literal open."""
    if all(not line.strip() or line.lstrip().startswith("#") for line in before.splitlines()):
        return False  # the usual place: the top of the file, after comments only
    try:
        for _ in tokenize.generate_tokens(io.StringIO(before).readline):
            pass
    except tokenize.TokenError as exc:
        return "string" in str(exc)
    except (SyntaxError, ValueError):  # an unterminated single-quoted string, NUL bytes...
        return False
    return False


def _read_inline_script(span: Span, content: str) -> InlineScript:
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
        ast.increment_lineno(stmt, shift)
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


def incremental_parse(old: Document, new: Document) -> ast.Module | None:
    """Parse only the top-level statements an edit touched; None when it cannot.

    Unchanged statements before the edit are reused as they are, those after it
    with their line numbers moved. Sound because the edited region starts and
    ends on top-level statement boundaries of a text that parsed: if the new
    region parses on its own, the tokenizer is at top level again where the
    unchanged text resumes. Whenever the region does not parse alone, the caller
    parses the whole text (it may still parse, e.g. a string opened here and
    closed further down).
    """
    old_tree = old._tree
    assert old_tree is not None
    if old.text == new.text:
        return old_tree
    old_count, new_count = len(old.lines), len(new.lines)
    prefix, suffix = _unchanged_lines(old, new)
    # 0-based old line range [start, end] to re-parse, widened to whole statements.
    start, end = prefix, old_count - suffix - 1
    body = old_tree.body
    firsts = [_first_line(stmt) - 1 for stmt in body]
    lasts = [_last_line(stmt) - 1 for stmt in body]
    # Statements before `low` end before the edit; from `high` on they start after it.
    low = bisect.bisect_left(lasts, start)
    high = bisect.bisect_right(firsts, end)
    if low < high:
        start, end = min(start, firsts[low]), max(end, lasts[high - 1])
    delta = new_count - old_count
    region = new.lines[start : end + 1 + delta]
    try:
        fresh = _quiet_parse("\n".join(region), "<region>")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    for stmt in fresh.body:
        ast.increment_lineno(stmt, start)
    after = body[high:]
    if delta:
        for stmt in after:
            _shift_later(stmt, delta)
    return ast.Module(body=[*body[:low], *fresh.body, *after], type_ignores=[])
