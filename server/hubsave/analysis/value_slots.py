"""Which option a string literal under the cursor is the value of (for completions).

Pure: given a parsed document and a position, the string the user is typing into and
what it means: a repo id, a job ``flavor``, a config's ``hub_strategy`` or ``save_strategy``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Literal

from .document import Document
from .facts import Facts
from .findings import Span
from .hub_sites import RepoSite, repo_sites

SlotKind = Literal["repo", "flavor", "hub_strategy", "save_strategy"]


@dataclass(frozen=True)
class Slot:
    kind: SlotKind
    content: Span  # the text between the quotes (what a completion replaces)
    text: str  # the current value
    job_form: str | None = None  # "mcp" | "python" for a flavor
    site: RepoSite | None = None  # for a repo id


def slot_at(doc: Document, line: int, col: int) -> Slot | None:
    if doc.tree is None:
        return None
    facts = Facts.of(doc)
    candidates: list[tuple[SlotKind, ast.expr, str | None, RepoSite | None]] = []
    for job in facts.jobs:
        if "flavor" in job.options:
            candidates.append(("flavor", job.options["flavor"].value_node, job.form, None))
    for config in facts.configs:
        for option in ("hub_strategy", "save_strategy"):
            if option in config.args:
                candidates.append((option, config.args[option].value_node, None, None))  # type: ignore[arg-type]
    for kind, node, form, site in candidates:
        content = _content(doc, node)
        if content is not None and content.contains(line, col):
            return Slot(kind, content, node.value, form, site)  # type: ignore[attr-defined]
    for site in repo_sites(doc, facts):
        if site.kind == "derived":
            continue
        content = _content_of_span(doc, site.span)
        if content is not None and content.contains(line, col):
            return Slot("repo", content, site.repo_id, None, site)
    return None


def _content(doc: Document, node: ast.expr) -> Span | None:
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return None
    return _content_of_span(doc, doc.span(node))


def _content_of_span(doc: Document, span: Span) -> Span | None:
    """The span between the quotes of a one-line string literal (prefixes like r"" allowed)."""
    if span.start_line != span.end_line:
        return None
    source = doc.lines[span.start_line][span.start_col : span.end_col]
    quote_at = min((i for i in (source.find('"'), source.find("'")) if i >= 0), default=-1)
    if quote_at < 0:
        return None
    width = 3 if source[quote_at : quote_at + 3] in ('"""', "'''") else 1
    start, end = span.start_col + quote_at + width, span.end_col - width
    return Span(span.start_line, start, span.end_line, end) if start <= end else None
