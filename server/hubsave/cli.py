"""`hubsave`: check files in a terminal or CI, list rules, or start the language server.

Exit codes of `hubsave check`: 0 nothing found, 1 findings (or syntax errors),
2 usage errors or files that cannot be read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

from . import __version__
from .analysis import Settings, analyze
from .analysis.findings import Finding
from .analysis.document import Document
from .analysis.workspace import scripts_run_by
from .config import build_settings, find_pyproject, load_project

SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox",
     ".mypy_cache", ".ruff_cache", ".pytest_cache", "site-packages", ".eggs", ".ipynb_checkpoints"}
)
# Below this many files, worker processes cost more than they save.
PARALLEL_THRESHOLD = 64


@dataclass
class FileResult:
    path: str
    findings: list[dict] = field(default_factory=list)
    error: str | None = None  # unreadable: exit code 2
    syntax_error: str | None = None
    skipped: str | None = None
    fixed: int = 0


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


def finding_record(path: str, finding: Finding) -> dict:
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
        "fixable": finding.fix is not None,
    }


@dataclass(frozen=True)
class CheckJob:
    path: str
    settings: Settings
    fix: bool


def check_file(job: CheckJob) -> FileResult:
    if job.path.endswith(".ipynb"):
        from .notebook_check import check_notebook

        return check_notebook(job)
    result = FileResult(job.path)
    text, error, raw = read_source(job.path)
    if text is None:
        result.error = error
        return result
    analysis = analyze(text, job.path, job.settings)
    if analysis.skipped:
        result.skipped = analysis.skipped
        return result
    if analysis.syntax_error:
        result.syntax_error = analysis.syntax_error
        return result
    if job.fix and any(f.fix for f in analysis.findings):
        from .fixes.apply import fix_all

        new_text, fixed = fix_all(text, job.path, job.settings)
        if fixed and new_text != text:
            write_atomic(job.path, new_text, raw.startswith(b"\xef\xbb\xbf"))
            result.fixed = len(fixed)
            analysis = analyze(new_text, job.path, job.settings)
    result.findings = [finding_record(job.path, f) for f in analysis.findings]
    return result


def _settings_for(path: str, overrides: dict, job_scripts: frozenset[str], problems: list[str]) -> Settings:
    project = load_project(find_pyproject(path))
    if project.warning and project.warning not in problems:
        problems.append(project.warning)
    settings, issues = build_settings(project.values, overrides, job_scripts=job_scripts)
    problems.extend(i for i in issues if i not in problems)
    return settings


def run_check(paths: Sequence[str], fix: bool, overrides: dict, problems: list[str]) -> list[FileResult]:
    files = list(dict.fromkeys(iter_files(paths)))
    job_scripts: set[str] = set()
    for path in files:  # a first pass: scripts that submissions run are job scripts
        text, _, _ = read_source(path)
        if text and path.endswith(".ipynb"):
            from .notebook_check import combined_text

            text = combined_text(text)
        if text and ("hf_jobs" in text or "_job" in text):
            job_scripts |= scripts_run_by(Document(text, path), path, (os.getcwd(),))
    frozen = frozenset(job_scripts)
    jobs = [CheckJob(p, _settings_for(p, overrides, frozen, problems), fix) for p in files]
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_THRESHOLD or workers < 2:
        return [check_file(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(check_file, jobs, chunksize=max(1, len(jobs) // (workers * 8))))


def print_text(results: Iterable[FileResult], out) -> None:
    for result in results:
        for f in result.findings:
            where = f"{f['path']}:cell {f['cell'] + 1}" if "cell" in f else f["path"]  # notebooks: 1-based cell
            out.write(f"{where}:{f['line']}:{f['column']}: {f['code']} {f['message']}\n")


def cmd_check(args: argparse.Namespace) -> int:
    for path in args.paths:
        if not os.path.exists(path):
            print(f"hubsave: {path}: no such file or directory", file=sys.stderr)
            return 2
    overrides: dict = {}
    if args.select:
        overrides["select"] = args.select.split(",")
    if args.ignore:
        overrides["ignore"] = args.ignore.split(",")
    problems: list[str] = []
    results = run_check(args.paths, args.fix, overrides, problems)
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
    findings = [f for r in results for f in r.findings]
    fixed = sum(r.fixed for r in results)
    if args.format == "json":
        json.dump(findings, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print_text(results, sys.stdout)
        summary = []
        if fixed:
            summary.append(f"Fixed {fixed} problem{'s' * (fixed != 1)}.")
        if findings:
            fixable = sum(1 for f in findings if f["fixable"])
            summary.append(
                f"Found {len(findings)} problem{'s' * (len(findings) != 1)} in "
                f"{len({f['path'] for f in findings})} file(s)"
                + (f" ({fixable} fixable with `hubsave check --fix`)." if fixable else ".")
            )
        elif not unreadable:
            summary.append(f"All checks passed ({len(results)} file{'s' * (len(results) != 1)}).")
        print(" ".join(summary))
    if unreadable:
        return 2
    if args.exit_zero:
        return 0
    return 1 if findings or broken else 0


def cmd_rules(args: argparse.Namespace) -> int:
    from .analysis.rules import RULES

    for rule in sorted(RULES.values(), key=lambda r: r.code):
        fix = "fix" if rule.fixable else "   "
        print(f"{rule.code}  {rule.severity.label:<11} {fix}  {rule.name:<32} {rule.summary}")
    return 0


def cmd_rule(args: argparse.Namespace) -> int:
    from .analysis.rules import lookup

    rule = lookup(args.code)
    if rule is None:
        print(f"hubsave: no rule {args.code!r} (see `hubsave rules`)", file=sys.stderr)
        return 2
    print(f"# {rule.code} {rule.name}\n\nDefault severity: {rule.severity.label}. Fix: {'yes' if rule.fixable else 'no'}.\n")
    print(rule.doc)
    return 0


def cmd_lsp(args: argparse.Namespace) -> int:
    from .lsp.server import create_server

    server = create_server()
    if args.tcp is not None:
        server.start_tcp(args.host, args.tcp)
    else:
        server.start_io()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hubsave", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"hubsave {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="check Python files and folders")
    check.add_argument("paths", nargs="*", default=["."], help="files or folders (default: .)")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument("--fix", action="store_true", help="apply fixes in place")
    check.add_argument("--select", help="comma-separated codes or prefixes to run")
    check.add_argument("--ignore", help="comma-separated codes or prefixes to skip")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when problems are found")
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
