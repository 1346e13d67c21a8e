"""hubsave: check files in a terminal or CI, list rules, or start the language server.

Exit codes of `hubsave check`: 0 nothing found, 1 findings (or syntax errors),
2 usage errors or files that cannot be read.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from typing import Sequence

from . import __version__, check_cache
from .check import FileResult, check_as, run_check
from .cli_settings import CheckSettings
from .config import ConfigError
from .output import FORMATS, NEEDS_EDITS, writer


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
    # A check is a short batch run that allocates many young objects (each file's tree
    # and facts, freed by reference counting); collecting every 700 allocations walked
    # them again and again: ~10% of the run's CPU. Workers inherit this (fork).
    gc.set_threshold(20_000, 10, 10)
    edits = args.format in NEEDS_EDITS and not args.diff
    # Fixing rewrites files as it goes: such runs neither read nor write the cache.
    # Standard input is not a file the cache could key.
    cache = None if args.no_cache or args.fix or args.diff or stdin else check_cache.CheckCache.load(
        check_cache.project_root(), (edits,))
    if stdin:
        results = [check_stdin(args, options, problems, edits)]
    else:
        results = run_check(args.paths, args.fix, options, problems, diff=args.diff, edits=edits, cache=cache)
    if cache is not None:
        cache.save()
    for problem in problems:
        print(f"hubsave: warning: {problem}", file=sys.stderr)
    unreadable = [r for r in results if r.error]
    broken = [r for r in results if r.syntax_error]
    for r in unreadable:
        print(f"{r.path}: {r.error}", file=sys.stderr)
    if args.format != "text":  # the text report lists them itself
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


def cmd_clean(args: argparse.Namespace) -> int:
    for root in dict.fromkeys((check_cache.project_root(), os.getcwd())):
        if check_cache.clean(root):
            print(f"removed {os.path.join(root, check_cache.CACHE_DIR)}")
    return 0


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

    check = sub.add_parser(
        "check", help="check files and folders: Python, notebooks, shell scripts, Makefiles, Markdown, workflows"
    )
    check.add_argument("paths", nargs="*", default=["."], help="files or folders (default: .)")
    check.add_argument("--format", choices=list(FORMATS), default="text")
    check.add_argument("--fix", action="store_true", help="apply fixes in place")
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff, write nothing")
    check.add_argument("--unsafe-fixes", action="store_true", default=None,
                       help="also apply (and count as fixable) fixes that change behaviour, such as guessed renames")
    check.add_argument("--select", action="append", help="comma-separated codes or prefixes to run (ALL: every rule)")
    check.add_argument("--ignore", action="append", help="comma-separated codes or prefixes to skip")
    check.add_argument("--config", action="append", metavar="PATH|KEY=VALUE",
                       help="a pyproject.toml or hubsave.toml to use instead of discovery, or one TOML 'key = value'")
    check.add_argument("--python", metavar="PATH",
                       help="the Python whose installed trl/transformers HS109 reads (default: $HUBSAVE_PYTHON, "
                            "else the one running hubsave); never taken from the checked files")
    check.add_argument("--statistics", action="store_true", help="count findings per rule (text or json)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when problems are found")
    check.add_argument("--no-cache", action="store_true",
                       help=f"neither read nor write the results cache ({check_cache.CACHE_DIR} at the project root)")
    check.add_argument("--stdin-filename", metavar="NAME",
                       help="check standard input (path -) as if it were the file NAME; --fix prints the fixed text")
    check.set_defaults(run=cmd_check)

    clean = sub.add_parser("clean", help=f"remove the results cache ({check_cache.CACHE_DIR}) of the current project")
    clean.set_defaults(run=cmd_clean)

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
