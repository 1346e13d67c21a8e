"""Fixes in any file kind: applied to a fragment's text, written back into the parts it changes."""

from __future__ import annotations

from ..analysis import Settings
from ..analysis.findings import Finding, FixRequest
from ..analysis.fragments import Placed, SourceAnalysis, fragment_findings, settings_for
from ..kinds import Source
from ..kinds.fragment import CannotWriteBack, Fragment, blank_broken, syntax_error
from .apply import apply_fix, fix_all
from .registry import FixNotApplicable


def fix_parts(analysis: SourceAnalysis, placed: Placed, fix: FixRequest) -> dict[int, str]:
    """New texts of the parts one fix changes; FixNotApplicable if it cannot apply there."""
    fragment = analysis.fragments[placed.fragment]
    return write_back(fragment, apply_fix(fragment.text, fix))


def write_back(fragment: Fragment, new_text: str) -> dict[int, str]:
    try:
        return fragment.part_texts(new_text)
    except CannotWriteBack as exc:
        raise FixNotApplicable(str(exc)) from exc


def fix_all_source(source: Source, path: str | None = None, settings: Settings | None = None,
                   rounds: int = 50) -> tuple[Source, list[Finding]]:
    """Every fix that has a place in the file, fragment by fragment, re-analyzing after each."""
    settings = settings or Settings()
    fixed: list[Finding] = []
    index = 0
    while index < len(fragments := source.fragments()):
        fragment = fragments[index]
        index += 1
        if fragment.language == "python" and not fragment.whole_file and syntax_error(fragment.text):
            fragment = blank_broken(fragment)
        findings_of = None if fragment.whole_file and fragment.language == "python" else (
            lambda text, fragment=fragment: fragment_findings(fragment, text, path, settings))
        text, done = fix_all(fragment.text, path, settings_for(fragment, settings), rounds,
                             accept=lambda new: write_back(fragment, new), findings_of=findings_of)
        if done:
            fixed += done
            source = source.with_parts(fragment.part_texts(text))
    return source, fixed

