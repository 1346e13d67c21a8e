"""Findings to LSP types, and positions between character columns and the client's units.

The analysis counts columns in characters (code points). The client counts in
the negotiated encoding: UTF-16 code units unless it asked for UTF-8 or UTF-32.
"""

from __future__ import annotations

from lsprotocol import types

from ..analysis.findings import Finding, Span, Tag

_TAGS = {Tag.DEPRECATED: types.DiagnosticTag.Deprecated, Tag.UNNECESSARY: types.DiagnosticTag.Unnecessary}
SOURCE = "hubsave"


class Columns:
    """Column conversions for one text, in one encoding."""

    def __init__(self, lines: list[str], encoding: str) -> None:
        self.lines = lines
        self.encoding = str(encoding).lower()

    def _line(self, line: int) -> str:
        return self.lines[line] if 0 <= line < len(self.lines) else ""

    def to_client(self, line: int, col: int) -> int:
        text = self._line(line)
        if self.encoding == "utf-32" or text.isascii():
            return col
        head = text[:col]
        if self.encoding == "utf-8":
            return len(head.encode("utf-8"))
        return len(head.encode("utf-16-le")) // 2

    def from_client(self, line: int, units: int) -> int:
        text = self._line(line)
        if self.encoding == "utf-32" or text.isascii():
            return min(units, len(text))
        codec, width = ("utf-8", 1) if self.encoding == "utf-8" else ("utf-16-le", 2)
        encoded = text.encode(codec)
        # A position inside a character (a surrogate half) rounds down to its start.
        return len(encoded[: units * width].decode(codec, "ignore"))

    def range(self, span: Span) -> types.Range:
        return types.Range(
            types.Position(span.start_line, self.to_client(span.start_line, span.start_col)),
            types.Position(span.end_line, self.to_client(span.end_line, span.end_col)),
        )

    def span(self, rng: types.Range) -> Span:
        return Span(
            rng.start.line,
            self.from_client(rng.start.line, rng.start.character),
            rng.end.line,
            self.from_client(rng.end.line, rng.end.character),
        )


def related_information(finding: Finding, columns: Columns, uri: str, path: str | None) -> list[types.DiagnosticRelatedInformation] | None:
    """Where a cross-file finding comes from (HS308: the job script's line).

    Another file's columns are sent as characters: its text is not at hand here,
    and its lines are almost always ASCII."""
    if not finding.related:
        return None
    from pygls.uris import from_fs_path

    found = []
    for related in finding.related:
        here = related.path is None or related.path == path
        other = Columns([], "utf-32")
        location = types.Location(
            uri=uri if here else (from_fs_path(related.path) or uri),
            range=(columns if here else other).range(related.span),
        )
        found.append(types.DiagnosticRelatedInformation(location=location, message=related.message))
    return found


def diagnostic(finding: Finding, columns: Columns, uri: str = "", path: str | None = None) -> types.Diagnostic:
    return types.Diagnostic(
        range=columns.range(finding.span),
        message=finding.message,
        severity=types.DiagnosticSeverity(int(finding.severity)),
        code=finding.code,
        source=SOURCE,
        tags=[_TAGS[t] for t in finding.tags] or None,
        data={"code": finding.code},
        related_information=related_information(finding, columns, uri, path) if uri else None,
    )
