"""`hubsave check`'s runner: find the files, read each by its kind, analyze, fix, report records.

Every kind goes through one path: a `Source` (a text, or a notebook's cells),
its fragments analyzed by `analysis.fragments`, fixes written back by
`fixes.fragments`, findings as records at file positions (a notebook's with the
`cell` they are in). `cli.py` only parses arguments and prints.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Sequence

from . import check_cache
from .analysis import Settings
from .analysis.findings import Finding
from .analysis.fragments import SourceAnalysis, analyze_source
from .analysis.signatures import wait_for
from .analysis.workspace import normalize_path
from .cli_settings import CheckSettings
from .kinds import Source, kind_of
from .sources import decode_source, project_root, read_source

SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox",
     ".mypy_cache", ".ruff_cache", ".hubsave_cache", ".pytest_cache", "site-packages", ".eggs", ".ipynb_checkpoints"}
)
# Below this many files, worker processes cost more than they save.
PARALLEL_THRESHOLD = 64
# How long HS109 waits for a config class's signature from the user's environment
# (jedi, once per class and process) before the bundled schema answers.
SIGNATURE_TIMEOUT = 5.0
# A named file of none of the kinds is read as Python (a script without `.py`), except these.
NOT_PYTHON = (".yml", ".yaml", ".json", ".toml", ".txt", ".cfg", ".ini", ".rst")


@dataclass
class FileResult:
    path: str
    findings: list[dict] = field(default_factory=list)
    error: str | None = None  # unreadable: exit code 2
    syntax_error: str | None = None
    skipped: str | None = None
    fixed: int = 0
    diff: str | None = None  # --diff: the fixes as a unified diff, not written
    fixed_text: str | None = None  # standard input's text after --fix (printed, not written)
    scripts_run: frozenset[str] = frozenset()  # local scripts its job submissions run


@dataclass(frozen=True)
class CheckJob:
    path: str
    settings: Settings
    fix: bool
    root: str | None  # the file's project root (sources.project_root): where its job scripts may be
    diff: bool = False  # compute the fixes, show them as a diff, write nothing
    edits: bool = False  # each fixable record gets its fix's `edit` (SARIF needs them)
    kind: str = "python"
    data: bytes | None = None  # the file's bytes from standard input: `path` is only its name

    def read(self) -> tuple[str | None, str | None, bytes]:
        """As read_source: the file's text, or the given bytes'."""
        return read_source(self.path) if self.data is None else decode_source(self.data)

    def save(self, result: FileResult, text: str, had_bom: bool) -> None:
        """Write the fixed text, or keep it to print when it came from standard input."""
        if self.data is None:
            write_atomic(self.path, text, had_bom)
        else:
            result.fixed_text = ("\ufeff" if had_bom else "") + text


def file_kind(path: str, named: bool) -> str | None:
    """The kind of a file found in a folder (None: not checked), or named on the command line."""
    kind = kind_of(path)
    if kind is None and "." not in os.path.basename(path) and (named or os.access(path, os.X_OK)):
        kind = kind_of(path, head=_head(path))
    if kind is None and named and not path.lower().endswith(NOT_PYTHON):
        kind = "python"
    return kind


def _head(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(128)
    except OSError:
        return b""


def iter_files(paths: Sequence[str]) -> Iterator[tuple[str, str]]:
    """(path, kind) of every file to check."""
    for path in paths:
        if os.path.isfile(path):
            kind = file_kind(path, named=True)
            if kind:
                yield path, kind
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(
                d for d in dirs if d not in SKIP_DIRS and not os.path.exists(os.path.join(root, d, "pyvenv.cfg"))
            )
            for name in sorted(files):
                found = os.path.join(root, name)
                kind = file_kind(found, named=False)
                if kind:
                    yield found, kind


def write_atomic(path: str, text: str, had_bom: bool) -> None:
    """Write next to the file, then rename over it: a crash never leaves half a file."""
    folder = os.path.dirname(os.path.abspath(path))
    temp = os.path.join(folder, f".{os.path.basename(path)}.hubsave-tmp")
    data = ("\ufeff" if had_bom else "") + text
    with open(temp, "w", encoding="utf-8", newline="") as handle:
        handle.write(data)
    try:
        os.chmod(temp, os.stat(path).st_mode & 0o7777)
    except OSError:
        pass
    os.replace(temp, path)


def finding_record(path: str, finding: Finding, unsafe: bool = False) -> dict:
    """`fixable`: `--fix` applies its fix (with `unsafe`: `--unsafe-fixes`); `fix_applicability`:
    the fix's grade (safe, unsafe, display-only) or None, as ruff's JSON says it."""
    span = finding.span
    return {
        "path": path,
        "code": finding.code,
        "severity": finding.severity.label,
        "message": finding.message,
        "line": span.start_line + 1,
        "column": span.start_col + 1,
        "end_line": span.end_line + 1,
        "end_column": span.end_col + 1,
        "fixable": finding.automatic_fix(unsafe) is not None,
        "fix_applicability": finding.fix.applicability.value if finding.fix else None,
    }


class Unreadable(ValueError):
    pass


class _File:
    """A file's text as a Source, and the Source written back as the file's text."""

    def __init__(self, kind: str, text: str) -> None:
        self.kind, self.text = kind, text
        self.notebook = None
        if kind == "notebook":
            from .kinds.notebook_file import NotebookError, read_notebook

            try:
                self.notebook = read_notebook(text)
            except NotebookError as exc:
                raise Unreadable(f"cannot read notebook: {exc}") from None
            self.source = Source.cells(self.notebook.cells)
        else:
            self.source = Source.text(kind, text)

    @property
    def checked(self) -> bool:
        return self.notebook is None or self.notebook.python

    def text_of(self, source: Source) -> str:
        if self.notebook is None:
            return source.parts[0]
        changed = {i: t for i, t in source.parts.items() if t != self.source.parts[i]}
        return self.notebook.with_sources(changed)


def check_file(job: CheckJob) -> FileResult:
    result = FileResult(job.path)
    text, error, raw = job.read()
    if text is None:
        result.error = error
        return result
    try:
        file = _File(job.kind, text)
    except Unreadable as exc:
        result.error = str(exc)
        return result
    if not file.checked:
        return result
    analysis, settings = analyze_waiting(file.source, job.path, job.settings)
    if analysis.skipped:
        result.skipped = analysis.skipped
        return result
    result.scripts_run = frozenset(analysis.scripts_run(job.path, job.root))
    unsafe = settings.unsafe_fixes
    if (job.fix or job.diff) and any(p.finding.automatic_fix(unsafe) for p in analysis.findings):
        from .fixes.fragments import fix_all_source

        fixed_source, fixed = fix_all_source(file.source, job.path, settings)
        new_text = file.text_of(fixed_source)
        if fixed and new_text != text:
            result.fixed = len(fixed)
            bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
            if job.diff:
                from .output.diff import unified_diff

                result.diff = unified_diff(job.path, bom + text, bom + new_text)
            else:
                job.save(result, new_text, bool(bom))
                file = _File(job.kind, new_text)
                analysis = analyze_source(file.source, job.path, settings)
    result.syntax_error = analysis.syntax_error
    cells = file.notebook is not None
    result.findings = [
        {**record, "cell": p.part} if cells else record
        for p in analysis.findings
        for record in [finding_record(job.path, p.finding, unsafe)]
    ]
    if cells:  # `cell` right after `path`, as the JSON report documents it
        result.findings = [{"path": r.pop("path"), "cell": r.pop("cell"), **r} for r in result.findings]
    if job.edits and not cells:  # a report's edit addresses file lines, which a cell's are not
        from .output.fix_edits import edit_record

        for record, placed in zip(result.findings, analysis.findings):
            record["edit"] = edit_record(analysis, placed, unsafe)
    return result


def check_as(name: str, data: bytes, settings: Settings, fix: bool = False, diff: bool = False, edits: bool = False) -> FileResult:
    """Bytes checked as if they were the file `name` (its kind, by the same per-file check
    as a path); nothing is read from or written to `name`. Standard input, the Python API."""
    kind = kind_of(name, head=data[:128]) or file_kind(name, named=True) or "python"  # its shebang, not the disk's
    return check_file(CheckJob(name, settings, fix, project_root(name), diff=diff, edits=edits, kind=kind, data=data))


def analyze_waiting(source: Source, path: str, settings: Settings) -> tuple[SourceAnalysis, Settings]:
    """Analyze, first letting HS109 read the user's environment: a terminal can wait a
    few seconds per config class. Returns the settings the findings were made with."""
    analysis = analyze_source(source, path, settings)
    if analysis.signature_requests:
        settings = wait_for(analysis.signature_requests, settings, SIGNATURE_TIMEOUT)
        analysis = analyze_source(source, path, settings)
    return analysis, settings


def run_check(
    paths: Sequence[str], fix: bool, options: CheckSettings, problems: list[str], diff: bool = False, edits: bool = False,
    cache: check_cache.CheckCache | None = None,
) -> list[FileResult]:
    files = dict(iter_files(paths))
    roots: dict[str, str | None] = {}  # folder -> project root: one look-up per folder

    def root_of(path: str) -> str | None:
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in roots:
            roots[folder] = project_root(path)
        return roots[folder]

    def jobs_for(paths: Iterable[str], job_scripts: frozenset[str], **flags) -> list[CheckJob]:
        flags = {"fix": fix, "diff": diff, "edits": edits, **flags}
        return [CheckJob(p, options.for_path(p, job_scripts, problems), root=root_of(p), kind=files[p], **flags) for p in paths]

    results = _run(jobs_for(files, frozenset()), cache=cache)
    # A script that a submission runs is a job script (losing results is an error
    # there): the few files named so are checked again, knowing it. Their fixes,
    # if asked for, were applied in the first pass.
    job_scripts = frozenset().union(*(r.scripts_run for r in results))
    again = {i: r.path for i, r in enumerate(results) if normalize_path(r.path) in job_scripts}
    if again:
        rechecked = _run(jobs_for(again.values(), job_scripts, fix=False, diff=False), cache=cache)
        for index, second in zip(again, rechecked):
            results[index].findings = second.findings
    return results


def _run(jobs: list[CheckJob], check=check_file, cache: check_cache.CheckCache | None = None) -> list:
    if cache is not None:  # the cache's misses are checked here, recording the files they read
        return cache.run(jobs, lambda missing: _run(missing, functools.partial(check_cache.check_recorded, check)))
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_THRESHOLD or workers < 2:
        return [check(j) for j in jobs]
    return _in_parallel(jobs, check, workers)


# Files a process takes at a time: small enough that the processes finish together
# (a training script costs ten times a plain module), large enough that taking is rare.
CHUNK = 16
# (jobs, check, next chunk's start shared by all processes), set in every process of a run
_shared: tuple[Sequence[CheckJob], Callable[[CheckJob], Any], Any] | None = None


def _share(jobs: Sequence[CheckJob], check: Callable[[CheckJob], Any], next_start: Any) -> None:
    global _shared
    _shared = (jobs, check, next_start)


def _take_chunks() -> dict[int, list]:
    """Check chunks of the shared jobs until none is left: {chunk start: results}."""
    assert _shared is not None
    jobs, check, next_start = _shared
    done: dict[int, list] = {}
    while True:
        with next_start.get_lock():
            start = next_start.value
            next_start.value = start + CHUNK
        if start >= len(jobs):
            return done
        done[start] = [check(job) for job in jobs[start : start + CHUNK]]


def _in_parallel(jobs: list[CheckJob], check: Callable[[CheckJob], Any], workers: int) -> list:
    """`workers - 1` processes and this one take chunks of the jobs in turn, so this
    process does not only wait, the jobs are sent to each process once (inherited
    when it forks) instead of pickled one by one, and each process sends its results
    back once."""
    next_start = multiprocessing.Value("l", 0)
    try:
        with ProcessPoolExecutor(max_workers=workers - 1, initializer=_share, initargs=(jobs, check, next_start)) as pool:
            others = [pool.submit(_take_chunks) for _ in range(workers - 1)]
            _share(jobs, check, next_start)
            done = _take_chunks()
            for other in others:
                done.update(other.result())
    finally:
        _share((), check, None)  # let the jobs go
    return [result for start in sorted(done) for result in done[start]]
