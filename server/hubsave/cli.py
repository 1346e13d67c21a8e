"""`hubsave`: check files in a terminal or CI, list rules, or start the language server.

Exit codes of `hubsave check`: 0 nothing found, 1 findings (or syntax errors),
2 usage errors or files that cannot be read.
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

from . import __version__
from .analysis import Analysis, Settings, analyze
from .analysis.findings import Finding
from .analysis.signatures import wait_for
from .analysis.document import Document
from .analysis.workspace import normalize_path, scripts_run_by
from .cli_settings import CheckSettings
from .config import ConfigError
from .output import FORMATS, NEEDS_EDITS, writer

SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox",
     ".mypy_cache", ".ruff_cache", ".pytest_cache", "site-packages", ".eggs", ".ipynb_checkpoints"}
)
# Below this many files, worker processes cost more than they save.
PARALLEL_THRESHOLD = 64
# How long HS109 waits for a config class's signature from the user's environment
# (jedi, once per class and process) before the bundled schema answers.
SIGNATURE_TIMEOUT = 5.0


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


def iter_files(paths: Sequence[str]) -> Iterator[str]:
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(
                d for d in dirs if d not in SKIP_DIRS and not os.path.exists(os.path.join(root, d, "pyvenv.cfg"))
            )
            for name in sorted(files):
                if name.endswith((".py", ".ipynb")):
                    yield os.path.join(root, name)


def read_source(path: str) -> tuple[str | None, str | None, bytes]:
    """(text, error, raw bytes). Text keeps its line endings; a BOM is dropped."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}", b""
    return decode_source(raw)


def decode_source(raw: bytes) -> tuple[str | None, str | None, bytes]:
    if b"\x00" in raw:
        return None, "cannot read: binary file (contains NUL bytes)", raw
    try:
        return raw.decode("utf-8-sig"), None, raw
    except UnicodeDecodeError as exc:
        return None, f"cannot read: not UTF-8 (byte {exc.start})", raw


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


@dataclass(frozen=True)
class CheckJob:
    path: str
    settings: Settings
    fix: bool
    diff: bool = False  # compute the fixes, show them as a diff, write nothing
    edits: bool = False  # each fixable record gets its fix's `edit` (SARIF needs them)
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


def check_file(job: CheckJob) -> FileResult:
    if job.path.endswith(".ipynb"):
        from .notebook_check import check_notebook

        return check_notebook(job)
    result = FileResult(job.path)
    text, error, raw = job.read()
    if text is None:
        result.error = error
        return result
    analysis, settings = analyze_waiting(text, job.path, job.settings)
    if analysis.skipped:
        result.skipped = analysis.skipped
        return result
    if analysis.syntax_error:
        result.syntax_error = analysis.syntax_error
        return result
    if analysis.document is not None:
        result.scripts_run = frozenset(scripts_run_by(analysis.document, job.path, (os.getcwd(),)))
    unsafe = settings.unsafe_fixes
    if (job.fix or job.diff) and any(f.automatic_fix(unsafe) for f in analysis.findings):
        from .fixes.apply import fix_all

        new_text, fixed = fix_all(text, job.path, settings)
        if fixed and new_text != text:
            result.fixed = len(fixed)
            bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
            if job.diff:
                from .output.diff import unified_diff

                result.diff = unified_diff(job.path, bom + text, bom + new_text)
            else:
                job.save(result, new_text, bool(bom))
                text, analysis = new_text, analyze(new_text, job.path, settings)
    result.findings = [finding_record(job.path, f, unsafe) for f in analysis.findings]
    if job.edits:
        from .output.fix_edits import edit_record

        for record, finding in zip(result.findings, analysis.findings):
            record["edit"] = edit_record(text, finding, unsafe)
    return result


def analyze_waiting(text: str, path: str, settings: Settings) -> tuple[Analysis, Settings]:
    """Analyse, first letting HS109 read the user's environment: a terminal can wait a
    few seconds per config class. Returns the settings the findings were made with."""
    analysis = analyze(text, path, settings)
    if analysis.signature_requests:
        settings = wait_for(analysis.signature_requests, settings, SIGNATURE_TIMEOUT)
        analysis = analyze(text, path, settings)
    return analysis, settings


def run_check(
    paths: Sequence[str], fix: bool, options: CheckSettings, problems: list[str], diff: bool = False, edits: bool = False
) -> list[FileResult]:
    files = list(dict.fromkeys(iter_files(paths)))
    # Notebooks can submit jobs too; their (rare) pass happens up front.
    notebook_scripts: set[str] = set()
    for path in files:
        if path.endswith(".ipynb"):
            text, _, _ = read_source(path)
            if text and ("hf_jobs" in text or "_job" in text):
                from .notebook_check import combined_text

                notebook_scripts |= scripts_run_by(Document(combined_text(text), path), path, (os.getcwd(),))

    def jobs_for(paths: Iterable[str], job_scripts: frozenset[str], **flags) -> list[CheckJob]:
        flags = {"fix": fix, "diff": diff, "edits": edits, **flags}
        return [CheckJob(p, options.for_path(p, job_scripts, problems), **flags) for p in paths]

    results = _run(jobs_for(files, frozenset(notebook_scripts)))
    # A script that a submission runs is a job script (losing results is an error
    # there): the few files named so are checked again, knowing it. Their fixes,
    # if asked for, were applied in the first pass.
    job_scripts = frozenset(notebook_scripts.union(*(r.scripts_run for r in results)))
    again = {i: r.path for i, r in enumerate(results) if normalize_path(r.path) in job_scripts}
    if again:
        rechecked = _run(jobs_for(again.values(), job_scripts, fix=False, diff=False))
        for index, second in zip(again, rechecked):
            results[index].findings = second.findings
    return results


def _run(jobs: list[CheckJob]) -> list[FileResult]:
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_THRESHOLD or workers < 2:
        return [check_file(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(check_file, jobs, chunksize=max(1, len(jobs) // (workers * 8))))


def check_as(name: str, data: bytes, settings: Settings, fix: bool = False, diff: bool = False, edits: bool = False) -> FileResult:
    """Bytes checked as if they were the file `name` (its kind, by the same per-file check
    as a path); nothing is read from or written to `name`. Standard input, the Python API."""
    return check_file(CheckJob(name, settings, fix, diff=diff, edits=edits, data=data))


def check_stdin(args: argparse.Namespace, options: CheckSettings, problems: list[str], edits: bool) -> FileResult:
    """`hubsave check --stdin-filename NAME -`: standard input checked as the file NAME
    (and with its project's settings). With --fix the fixed text goes to stdout (as
    ruff); the report then goes to stderr."""
    name = args.stdin_filename or "-"
    data = sys.stdin.buffer.read()
    result = check_as(name, data, options.for_path(name, frozenset(), problems), args.fix, args.diff, edits)
    if args.fix and not args.diff:
        if result.fixed_text is not None:
            sys.stdout.write(result.fixed_text)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)  # unchanged, byte for byte: a pipe loses nothing
        sys.stdout.flush()
    return result


def cmd_check(args: argparse.Namespace) -> int:
    stdin = args.stdin_filename is not None or args.paths == ["-"]
    if stdin and args.paths not in (["."], ["-"]):
        print("hubsave: error: with --stdin-filename, give `-` or no path", file=sys.stderr)
        return 2
    for path in args.paths if not stdin else ():
        if not os.path.exists(path):
            print(f"hubsave: {path}: no such file or directory", file=sys.stderr)
            return 2
    if args.statistics and args.format not in ("text", "json"):
        print("hubsave: error: --statistics needs --format text or json", file=sys.stderr)
        return 2
    try:
        options = CheckSettings.from_flags(args.select, args.ignore, args.config, args.unsafe_fixes,
                                           python=args.python or os.environ.get("HUBSAVE_PYTHON"))
    except (ConfigError, ValueError) as exc:
        print(f"hubsave: error: {exc}", file=sys.stderr)
        return 2
    problems: list[str] = []
    if options.python:
        from . import envsig

        # Once, up front (workers would each start it again): HS109 then uses the bundled schema.
        problem = envsig.check(options.python)
        if problem:
            print(f"hubsave: warning: --python: {problem}; HS109 uses the bundled schema", file=sys.stderr)
    edits = args.format in NEEDS_EDITS and not args.diff
    if stdin:
        results = [check_stdin(args, options, problems, edits)]
    else:
        results = run_check(args.paths, args.fix, options, problems, diff=args.diff, edits=edits)
    for problem in problems:
        print(f"hubsave: warning: {problem}", file=sys.stderr)
    unreadable = [r for r in results if r.error]
    broken = [r for r in results if r.syntax_error]
    for r in unreadable:
        print(f"{r.path}: {r.error}", file=sys.stderr)
    for r in broken:
        print(f"{r.path}: skipped, does not parse ({r.syntax_error})", file=sys.stderr)
    for r in results:
        if r.skipped:
            print(f"{r.path}: {r.skipped}", file=sys.stderr)
    if args.diff:
        from .output import diff

        # As ruff: a diff means work to do (exit 1); the remaining findings do not count.
        changed = diff.write(results, sys.stdout, sys.stderr)
        return 2 if unreadable else 0 if args.exit_zero else int(changed)
    report = sys.stderr if stdin and args.fix else sys.stdout  # stdout holds the fixed text
    if args.statistics:
        from .output import statistics

        statistics.write(results, report, args.format)
    else:
        writer(args.format)(results, report)
    if unreadable:
        return 2
    if args.exit_zero:
        return 0
    findings = any(r.findings for r in results)
    return 1 if findings or broken else 0


def cmd_rules(args: argparse.Namespace) -> int:
    from .analysis.rules import RULES

    for rule in sorted(RULES.values(), key=lambda r: r.code):
        print(f"{rule.code}  {rule.severity.label:<11} {rule.fix_grades or '-':<30} {rule.name:<32} {rule.summary}")
    return 0


def cmd_rule(args: argparse.Namespace) -> int:
    from .docs import rule_page

    page = rule_page(args.code)
    if page is None:
        print(f"hubsave: no rule {args.code!r} (see `hubsave rules`)", file=sys.stderr)
        return 2
    print(page)
    return 0


def cmd_lsp(args: argparse.Namespace) -> int:
    from .lsp.server import create_server

    server = create_server()
    if args.tcp is not None:
        server.start_tcp(args.host, args.tcp)
    else:
        server.start_io()
    return 0


def cmd_mcp(args: argparse.Namespace) -> int:
    try:
        from .agents.mcp_server import main as serve
    except ImportError as exc:
        if exc.name is None or not exc.name.split(".")[0] in ("mcp", "pydantic"):
            raise
        print("hubsave: `hubsave mcp` needs the MCP SDK: pip install 'hubsave[mcp]'", file=sys.stderr)
        return 2
    if args.workspace and not os.path.isdir(args.workspace):
        print(f"hubsave: {args.workspace}: no such folder", file=sys.stderr)
        return 2
    return serve(args.workspace)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hubsave", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"hubsave {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="check Python files and folders")
    check.add_argument("paths", nargs="*", default=["."], help="files or folders (default: .)")
    check.add_argument("--format", choices=list(FORMATS), default="text")
    check.add_argument("--fix", action="store_true", help="apply fixes in place")
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff, write nothing")
    check.add_argument("--unsafe-fixes", action="store_true", default=None,
                       help="also apply (and count as fixable) fixes that change behaviour, such as guessed renames")
    check.add_argument("--select", action="append", help="comma-separated codes or prefixes to run (ALL: every rule)")
    check.add_argument("--ignore", action="append", help="comma-separated codes or prefixes to skip")
    check.add_argument("--config", action="append", metavar="PATH|KEY=VALUE",
                       help="a pyproject.toml or hubsave.toml to use instead of discovery, or one TOML `key = value`")
    check.add_argument("--python", metavar="PATH",
                       help="the Python whose installed trl/transformers HS109 reads (default: $HUBSAVE_PYTHON, "
                            "else the one running hubsave); never taken from the checked files")
    check.add_argument("--statistics", action="store_true", help="count findings per rule (text or json)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when problems are found")
    check.add_argument("--stdin-filename", metavar="NAME",
                       help="check standard input (path `-`) as if it were the file NAME; --fix prints the fixed text")
    check.set_defaults(run=cmd_check)

    rules = sub.add_parser("rules", help="list every rule")
    rules.set_defaults(run=cmd_rules)
    rule = sub.add_parser("rule", help="show one rule's documentation")
    rule.add_argument("code")
    rule.set_defaults(run=cmd_rule)

    lsp = sub.add_parser("lsp", help="start the language server (stdio)")
    lsp.add_argument("--tcp", type=int, metavar="PORT", help="listen on a TCP port instead of stdio")
    lsp.add_argument("--host", default="127.0.0.1")
    lsp.set_defaults(run=cmd_lsp)

    mcp = sub.add_parser("mcp", help="start the MCP server for coding agents (stdio; needs hubsave[mcp])")
    mcp.add_argument("--workspace", metavar="DIR", help="the project folder the tools read (default: .)")
    mcp.set_defaults(run=cmd_mcp)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `hubsave check | head`
        return 1


if __name__ == "__main__":
    sys.exit(main())
