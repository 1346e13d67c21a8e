"""Analyze a source (any file kind) through its fragments, findings at file positions.

Python fragments go through `analyze`, command lines through
`command_lines.analyze_shell`. Each finding is kept twice: at its part's position
(what reports and editors show) and as the analysis made it (its fix's spans
count in the fragment's text). The single path for the CLI and the server.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..kinds import JOB_WORDS, Source
from ..kinds.fragment import Fragment, blank_broken
from .document import Document
from .engine import analyze
from .findings import Finding
from .settings import Settings


# Findings that a guide's example makes on purpose, so they are not reported there
# (measured on the docs of TRL, transformers, PEFT, accelerate, datasets, huggingface_hub:
# these were all of that kind). A config shown without a push (HS101, HS102, HS103)
# illustrates other settings; `username/...`, bare names, `Docmatix` and `hf_xxx` are
# placeholders for the reader's own (HS202, HS203, HS204, HS402); the scripts a guide
# runs are not next to it (HS310); disk use (HS108) is beside the point of a snippet.
# What an example gets wrong for anyone who copies it stays: removed or unknown
# arguments (HS104, HS109), job submissions (HS3xx), tokens written out (HS302).
NOT_FOR_EXAMPLES = frozenset({"HS101", "HS102", "HS103", "HS108", "HS202", "HS203", "HS204", "HS310", "HS402"})


@dataclass(frozen=True)
class Placed:
    part: int  # 0, or the notebook cell
    finding: Finding  # positions in that part
    fragment: int  # index in SourceAnalysis.fragments
    raw: Finding  # positions in the fragment's text (what its fix reads)


@dataclass
class SourceAnalysis:
    source: Source
    fragments: list[Fragment]
    findings: list[Placed] = field(default_factory=list)
    syntax_error: str | None = None  # the file (or a cell) does not parse
    skipped: str | None = None
    signature_requests: frozenset = frozenset()
    documents: list[Document] = field(default_factory=list)  # the Python fragments' parses
    # Each fragment's analysis by its language and text (command lines: their findings;
    # Python cut from a guide or a notebook: its Analysis), with the path and settings
    # they were made with: the next keystroke reuses those of the fragments it did not
    # change (typing in a guide's shell block re-analysed all of its Python blocks).
    fragment_cache: tuple[str | None, Settings | None, dict[tuple, object]] = (None, None, {})

    def in_part(self, part: int) -> list[Finding]:
        return [p.finding for p in self.findings if p.part == part]

    @property
    def script(self) -> Document | None:
        """The parse of a file that is one Python fragment (job scripts, hover)."""
        whole = [d for f, d in zip(self.python_fragments, self.documents) if f.whole_file]
        return whole[0] if whole else None

    def scripts_run(self, path: str, project_root: str | None = None) -> set[str]:
        """The local scripts this file's job submissions run (Python calls and `hf jobs` lines)."""
        from .command_lines import scripts_run_by_commands
        from .workspace import scripts_run_by

        found = {p for document in self.documents for p in scripts_run_by(document, path, project_root)}
        for fragment in self.fragments:
            if fragment.language == "shell":
                found |= scripts_run_by_commands(fragment.text, path, project_root)
        return found

    @property
    def python_fragments(self) -> list[Fragment]:
        return [f for f in self.fragments if f.language == "python"]


def analyze_source(source: Source, path: str | None = None, settings: Settings | None = None,
                   previous: Document | None = None, last: SourceAnalysis | None = None) -> SourceAnalysis:
    """`previous`: the last parse of a Python file (reused by the incremental parse);
    `last`: the last analysis of this document (its unchanged command lines are not
    analyzed again)."""
    settings = settings or Settings()
    fragments = list(source.fragments())
    result = SourceAnalysis(source, fragments)
    cached = last.fragment_cache[2] if last and last.fragment_cache[:2] == (path, settings) else {}
    fragment_cache: dict[tuple, object] = {}
    requests: set = set()
    broken: list[str] = []
    for index, fragment in enumerate(fragments):
        if fragment.language == "python":
            pinned = settings_for(fragment, settings)
            key = ("python", fragment.text, fragment.requirements)
            analysis = None if fragment.whole_file else cached.get(key)  # a whole file: the incremental parse
            if analysis is None:
                analysis = analyze(fragment.text, path, pinned, previous if fragment.whole_file else None)
            if not fragment.whole_file and not analysis.syntax_error:
                fragment_cache[key] = analysis
            if analysis.syntax_error and not fragment.whole_file:  # only then parse piece by piece
                fragment = fragments[index] = blank_broken(fragment)
                analysis = analyze(fragment.text, path, pinned)
                if fragment.strict:
                    broken += [f"{label} {why}, the other {label.split()[0]}s were checked"
                               for label, why in fragment.broken.items()]
            if fragment.whole_file:
                result.syntax_error, result.skipped = analysis.syntax_error, analysis.skipped
            if analysis.document is not None:
                result.documents.append(analysis.document)
            requests |= analysis.signature_requests
            found = for_fragment(fragment, analysis.findings)
        else:
            made = cached.get(("shell", fragment.text))
            if made is None:
                made = shell_findings(fragment.text, path, settings)
            fragment_cache[("shell", fragment.text)] = made
            found = for_fragment(fragment, made)
        for finding in found:
            part, placed = fragment.placed(finding)
            result.findings.append(Placed(part, placed, index, finding))
    if broken:
        result.syntax_error = "; ".join(broken)
    result.signature_requests = frozenset(requests)
    result.fragment_cache = (path, settings, fragment_cache)
    result.findings.sort(key=lambda p: (p.part, p.finding.span.start_line, p.finding.span.start_col, p.finding.code))
    return result


def settings_for(fragment: Fragment, settings: Settings) -> Settings:
    """`settings` plus the requirements the file installs for the fragment (a notebook's pins)."""
    return replace(settings, requirements=fragment.requirements) if fragment.requirements else settings


def for_fragment(fragment: Fragment, findings: list[Finding]) -> list[Finding]:
    """The findings that count in this fragment (an example's deliberate ones do not)."""
    if not fragment.example:
        return findings
    return [f for f in findings if f.code not in NOT_FOR_EXAMPLES]


def fragment_findings(fragment: Fragment, text: str, path: str | None, settings: Settings) -> list[Finding]:
    """Findings of `text`, an edited version of `fragment` (the fix loop re-analyzes)."""
    if fragment.language == "python":
        return for_fragment(fragment, analyze(text, path, settings_for(fragment, settings)).findings)
    return for_fragment(fragment, shell_findings(text, path, settings))


def shell_findings(text: str, path: str | None, settings: Settings) -> list[Finding]:
    """Command-line findings (settings and `# hubsave: ignore[...]` applied there)."""
    if not JOB_WORDS.search(text):
        return []
    from .command_lines import analyze_shell

    return analyze_shell(text, settings=settings, path=path)
