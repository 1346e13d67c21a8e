"""One parse of a source text: the `ast`, a line index, suppressions and the PEP 723 block.

Everything downstream reads positions from here, so the conversion from `ast`'s
UTF-8 byte columns to character columns lives in one place.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cached_property

from .findings import Span

_SUPPRESS = re.compile(r"#\s*hubsave:\s*ignore(?:\[(?P<codes>[A-Za-z0-9_,\s]*)\])?", re.I)
_PEP723 = re.compile(
    r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$"
)
ALL_CODES = "*"


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
    _tree: ast.Module | None = field(default=None, init=False, repr=False)
    _error: str | None = field(default=None, init=False, repr=False)
    _parsed: bool = field(default=False, init=False, repr=False)

    # -- parsing -----------------------------------------------------------
    def _parse(self) -> None:
        if self._parsed:
            return
        self._parsed = True
        try:
            self._tree = ast.parse(self.text, filename=self.path or "<document>")
        except SyntaxError as exc:
            self._error = f"line {exc.lineno}: {exc.msg}"
        except (ValueError, RecursionError, MemoryError) as exc:
            # NUL bytes, nesting deeper than the parser can recurse, huge input.
            self._error = f"cannot parse: {type(exc).__name__}: {exc}"[:200]

    @property
    def tree(self) -> ast.Module | None:
        self._parse()
        return self._tree

    @property
    def syntax_error(self) -> str | None:
        self._parse()
        return self._error

    # -- positions ---------------------------------------------------------
    @cached_property
    def lines(self) -> list[str]:
        # splitlines() would also break on \x0c, \x1c...; ast and LSP only know \n, \r\n, \r.
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
        for match in _PEP723.finditer(text):
            if match.group("type") != "script":
                continue
            start_line = text.count("\n", 0, match.start())
            end_line = text.count("\n", 0, match.end())
            span = Span(start_line, 0, end_line, len("# ///"))
            content = "".join(
                line[2:] if line.startswith("# ") else line[1:]
                for line in match.group("content").splitlines(keepends=True)
            )
            return _read_inline_script(span, content)
        return None


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
