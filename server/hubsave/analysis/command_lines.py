"""Jobs written as command lines: shell scripts, Markdown shell blocks, Makefile
recipes, workflow `run:` steps. Text in, findings out (the file kinds hand text here).

The command line is read by `job_argv` (the same module that reads Python and MCP
argument lists); the checks for each rule code live in `rules/cli_checks.py`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .document import Document
from .findings import Finding
from .settings import Settings

# Without one of these the text holds no job command: nothing is tokenized.
_MENTIONS = re.compile(r"\bjobs\b")


def analyze_shell(text: str, settings: Settings | None = None, path: str | None = None) -> list[Finding]:
    """Findings for shell text: a shell script, a Markdown shell block, a Makefile recipe's
    commands, a workflow `run:` step. Spans in `text`'s coordinates (0-based lines, code-point
    columns, end exclusive, like analysis.findings.Span), sorted; `# hubsave: ignore[...]`
    suppressions applied; severities and select/ignore from settings. Fixes are FixRequests made
    only of `replace` steps (hubsave/fixes/recipes.py: span + text), so callers can apply or map
    them without libcst. Cheap (no parse) when the text mentions no job command."""
    settings = settings or Settings()
    if not _MENTIONS.search(text):
        return []
    from .rules import cli_checks
    from .shell_words import commands_with

    try:
        found = [f for words in commands_with(text, _MENTIONS) for f in cli_checks.check_command(words, settings, path)]
    except Exception:  # noqa: BLE001 - a half-typed line must never break the editor
        return []
    return finish(found, Document(text, path), settings)


def finish(found: list[Finding], doc: Document, settings: Settings) -> list[Finding]:
    """Selection, suppression comments and severities, then source order."""
    from .rules import RULES

    result = []
    for finding in found:
        rule = RULES[finding.code]
        if not settings.enabled(finding.code, rule.opt_in) or doc.is_suppressed(finding.code, finding.span.start_line):
            continue
        severity = settings.severity_for(finding.code, finding.severity)
        result.append(finding if severity == finding.severity else finding.with_severity(severity))
    result.sort(key=lambda f: (f.span.start_line, f.span.start_col, f.code))
    return result


@lru_cache(maxsize=512)
def scripts_run_by_commands(text: str, path: str | None, project_root: str | None = None) -> frozenset[str]:
    """Absolute paths of local `.py` scripts that the text's `hf jobs uv run` command
    lines upload: they run in a job, so losing results there is an error (the shell
    twin of `workspace.scripts_run_by`, for the file kinds to feed `Settings.job_scripts`).
    Cached: the server asks after every keystroke for each block of a guide, and a
    keystroke changes one block (a pure function of its arguments: paths, no disk)."""
    if not _MENTIONS.search(text):
        return frozenset()
    from .job_argv import find_jobs, program_of_script
    from .shell_words import commands_with
    from .workspace import script_candidates

    found: set[str] = set()
    for words in commands_with(text, _MENTIONS):
        job = find_jobs(words)
        if job is None or job[1].kind != "uv":
            continue
        program = program_of_script(job[1].target, [])
        if program is not None and program.local:
            found.update(script_candidates(program.local, path, project_root))
    return frozenset(found)
