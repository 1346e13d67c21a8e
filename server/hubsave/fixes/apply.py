"""Apply fixes: one finding's, or every automatic fix of a file (fix-all).

Fix-all (the editor's `source.fixAll`, `hubsave check --fix`, the pre-commit hook)
applies only the fixes graded safe, plus the unsafe ones when `Settings.unsafe_fixes`
is on; display-only fixes never. It never keeps a fix that leaves behind a finding
fix-all cannot fix itself.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable

from ..analysis import Settings, analyze
from ..analysis.findings import Finding, FixRequest, Span
from . import pep723, recipes  # noqa: F401  (they register their recipes)
from .registry import RECIPES, FixNotApplicable
from .text_edit import TextEdit, minimal_edit


def apply_fix(text: str, fix: FixRequest) -> str:
    """The text after every step of `fix`; FixNotApplicable when a step cannot apply."""
    for edit in fix.steps:
        text = RECIPES[edit.kind](text, edit)
    return text


def fix_all(
    text: str,
    path: str | None = None,
    settings: Settings | None = None,
    rounds: int = 50,
    accept: Callable[[str], object] | None = None,
    findings_of: Callable[[str], list[Finding]] | None = None,
) -> tuple[str, list[Finding]]:
    """Apply every automatic fix, in passes, re-analyzing after each pass.

    A pass applies all fixes whose edits do not overlap (each computed against the
    same text, then merged); overlapping ones wait for the next pass, where the
    re-analysis gives them positions in the new text. When a pass leaves a finding
    without an automatic fix that was not there before, each of its fixes is tried
    alone, and the ones that cause it are dropped. `accept` may reject a fixed text by raising
    FixNotApplicable (a notebook: an edit that crosses cells); that fix is skipped.
    `findings_of` analyzes a text that is not a Python file (a fragment: command lines,
    a guide's blocks). Returns the text and the findings fixed.
    """
    settings = settings or Settings()
    unsafe = settings.unsafe_fixes
    fixed: list[Finding] = []
    skipped: set[tuple[str, Span]] = set()

    def analyzed(new_text: str) -> list[Finding]:
        return findings_of(new_text) if findings_of is not None else analyze(new_text, path, settings).findings

    found = analyzed(text)
    for _ in range(rounds):
        candidates = [f for f in found if f.automatic_fix(unsafe) and (f.code, f.span) not in skipped]
        if not candidates:
            break
        batch = _one_pass(text, candidates, skipped, accept)
        if not batch:
            break
        new = _merge(text, [edit for _, edit in batch])
        after = analyzed(new)
        if _leaves_unfixable(found, after, unsafe):
            # Find the culprits one fix at a time; keep the others (the first of them
            # alone, should they still fail together).
            good = []
            for finding, edit in batch:
                single = analyzed(_merge(text, [edit])) if len(batch) > 1 else after
                if _leaves_unfixable(found, single, unsafe):
                    skipped.add((finding.code, finding.span))
                else:
                    good.append((finding, edit))
            if not good:
                continue
            batch = good
            new = _merge(text, [edit for _, edit in batch])
            after = analyzed(new)
            if _leaves_unfixable(found, after, unsafe):
                batch = batch[:1]
                new = _merge(text, [batch[0][1]])
                after = analyzed(new)
        fixed.extend(finding for finding, _ in batch)
        text, found = new, after
    return text, fixed


def _one_pass(
    text: str, candidates: list[Finding], skipped: set[tuple[str, Span]], accept: Callable[[str], object] | None
) -> list[tuple[Finding, TextEdit]]:
    """The candidates' edits against `text` that do not overlap each other, in order."""
    batch: list[tuple[Finding, TextEdit]] = []
    for finding in candidates:
        try:
            new = apply_fix(text, finding.fix)  # type: ignore[arg-type]
            if accept is not None:
                accept(new)
        except FixNotApplicable:
            new = text
        edit = minimal_edit(text, new)
        if edit is None:
            skipped.add((finding.code, finding.span))
            continue
        # Touching edits count as overlapping: two insertions at one place, or a
        # trailing comma that one edit adds and the next one needs.
        if any(edit.span.overlaps(other.span) for _, other in batch):
            continue
        batch.append((finding, edit))
    return batch


def _merge(text: str, edits: list[TextEdit]) -> str:
    """Apply non-overlapping edits, all positioned in `text`."""
    offsets = _line_offsets(text)
    for edit in sorted(edits, key=lambda e: (e.span.start_line, e.span.start_col), reverse=True):
        start = offsets[edit.span.start_line] + edit.span.start_col
        end = offsets[edit.span.end_line] + edit.span.end_col
        text = text[:start] + edit.new_text + text[end:]
    return text


def _line_offsets(text: str) -> list[int]:
    """Where each line starts, with \\r\\n, \\r and \\n as line ends (as TextEdit spans count)."""
    offsets, index = [0], 0
    while index < len(text):
        char = text[index]
        if char == "\r" and text.startswith("\r\n", index):
            index += 1
        if char in "\r\n":
            offsets.append(index + 1)
        index += 1
    return offsets + [len(text)]


def _leaves_unfixable(before: list[Finding], after: list[Finding], unsafe: bool) -> bool:
    """More findings without an automatic fix, for some rule, than before the pass."""

    def unfixable(findings: list[Finding]) -> Counter[str]:
        return Counter(f.code for f in findings if f.automatic_fix(unsafe) is None)

    grown = unfixable(after) - unfixable(before)
    return bool(grown)
