"""hubsave's Python API, for agent frameworks and tools that check in-process.

    from hubsave import check_text, check_job

Both return plain data (dicts, lists, strings, numbers) that `json.dumps` takes as
is; the finding records are the ones `hubsave check --format json` prints. This is
a stable API: keys are only ever added. Nothing reaches the network.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

__all__ = ["check_job", "check_text"]


def check_text(
    text: str,
    filename: str = "-",
    *,
    fix: bool = False,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> dict:
    """Check `text` as if it were the file `filename` (its kind from its name: `.py`,
    `.ipynb`, ...; its settings from the nearest pyproject.toml), exactly as
    `hubsave check --stdin-filename FILENAME -` does.

    Returns `{"path", "findings", "not_checked", "fixed_text"}`: `findings` are the
    records of `hubsave check --format json` (path, code, severity, message, line,
    column, end_line, end_column, fixable; notebooks add `cell`); `not_checked` says
    why the text could not be checked (does not parse, not UTF-8...) or is None;
    `fixed_text` (with `fix=True`) is the text with every certain fix applied, or
    None when nothing changed. `select`/`ignore`: rule codes or prefixes, as the CLI's.
    ValueError for an unknown rule code.
    """
    from .cli import CheckJob, check_file
    from .cli_settings import CheckSettings
    from .output import not_checked

    if not isinstance(text, str):
        raise TypeError("text must be a str")
    options = CheckSettings.from_flags(select, ignore, None)
    settings = options.for_path(filename, frozenset(), [])
    data = text.encode("utf-8", "surrogatepass")
    result = check_file(CheckJob(filename, settings, fix, data=data))
    problem = not_checked(result)
    return {
        "path": filename,
        "findings": result.findings,
        "not_checked": problem[1] if problem else None,
        "fixed_text": result.fixed_text,
    }


def check_job(
    *,
    operation: str | None = None,
    function: str | None = None,
    args: Mapping[str, Any] | None = None,
    command_line: str | None = None,
    script: str | None = None,
    files: Mapping[str, str] | None = None,
    workspace: str | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> dict:
    """Check a job submission exactly as it is about to be sent. Give one of:

    - `operation` + `args`: an `hf_jobs` MCP tool call (`"uv"`, `{"script": ..., ...}`);
    - `function` + `args`: a Jobs API call's arguments by name (`"run_uv_job"`,
      `{"script": "train.py", "flavor": ..., ...}`; also run_job and the scheduled ones);
    - `command_line`: an `hf jobs ...` command.

    `script`: the text of the script the job runs (when it is a local file or a URL);
    `files`: other files it reads, by name relative to `workspace` (default: the
    working directory), whose other files are read from disk.

    Returns `{"ok", "findings", "fixed"}`. Each finding: `code`, `severity`, `message`,
    `where` (`path`: a JSON path into this input such as `args.secrets`, `script` or
    `command_line`, plus `line`/`column`/`end_line`/`end_column` inside that text when
    it is a script or a command line), `related` (other places that explain it) and,
    when a certain fix exists, `fix`: `title` and the corrected submission (see below).
    `fixed`: every certain fix applied, or None. A corrected submission holds
    `arguments` (the args object to resubmit as is; None when a value must be code,
    such as `get_token()`), `python` (Jobs API: the call as Python code),
    `command_line`, or `script` (the fixed script text), or `withheld` instead when
    it would contain a literal token. `ok` is true when there are no findings.

    ValueError (hubsave.agents.payload.PayloadError) when the input cannot be read:
    the message says what is wrong.
    """
    from .agents.job_check import check_job as run

    return run(operation=operation, function=function, args=args, command_line=command_line, script=script,
               files=files, workspace=workspace, select=select, ignore=ignore)  # fmt: skip
