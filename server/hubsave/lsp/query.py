"""What a request is about: a text document, or a notebook cell with its notebook.

Both are one part of an analyzed source (ruff's DocumentQuery): requests
(diagnostics, code actions, hover) read the query, never whether it is a cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..analysis.findings import Finding, Span
from ..analysis.fragments import Placed, SourceAnalysis
from ..analysis.value_slots import Slot
from ..kinds import JOB_WORDS
from ..kinds.fragment import LINE_END
from .convert import Columns


@dataclass
class DocumentQuery:
    uri: str  # the document the request names
    part: int  # its part of the source: 0, or the notebook cell
    path: str | None  # the file's (a notebook's for a cell): settings and job scripts
    findings: list[Finding]  # what this document shows (a text document's may be carried over)
    analysis: SourceAnalysis | None  # None or stale: no fixes (the text does not parse)
    uris: dict[int, str]  # every part's document
    versions: dict[int, int | None]
    texts: dict[int, str]
    encoding: str = "utf-16"
    script: bool = False  # the document is one Python text (not cut into fragments)
    _columns: dict[int, Columns] = field(default_factory=dict)

    def columns(self, part: int | None = None) -> Columns:
        part = self.part if part is None else part
        if part not in self._columns:
            self._columns[part] = Columns(LINE_END.split(self.texts[part]), self.encoding)
        return self._columns[part]

    def placed(self, finding: Finding) -> Placed | None:
        """The analysis's record of a finding shown here (its fragment, for fixes)."""
        if self.analysis is None:
            return None
        return next((p for p in self.analysis.findings if p.finding is finding), None)

    def at(self, line: int, col: int) -> list[Finding]:
        return [f for f in self.findings if f.span.contains(line, col)]

    def command_line_slot(self, line: int, col: int) -> Slot | None:
        """The option value of a command line at this document position (in its positions)."""
        from ..analysis.command_line_slots import slot_at

        for fragment in self.analysis.fragments if self.analysis else ():
            if fragment.language != "shell" or not JOB_WORDS.search(fragment.text):
                continue
            at = fragment.to_fragment(self.part, Span(line, col, line, col))
            slot = slot_at(fragment.text.split("\n"), at.start_line, at.start_col) if at else None
            if slot is None:
                continue
            _, content = fragment.place(slot.content)
            site = replace(slot.site, span=content, call_span=content) if slot.site else None
            return replace(slot, content=content, site=site)
        return None
