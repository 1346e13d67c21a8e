"""hubsave's Python API, for agent frameworks and tools that check in-process.

    from hubsave import check_text, check_job

Both return plain data (dicts, lists, strings, numbers) that `json.dumps` takes as
is; the finding records are the ones `hubsave check --format json` prints. This is
a stable API: keys are only ever added. Nothing reaches the network.
"""

from __future__ import annotations

from typing import Iterable

from .agents.job_check import check_job

__all__ = ["check_job", "check_text"]


def check_text(
    text: str,
    filename: str = "-",
    *,
    fix: bool = False,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    unsafe_fixes: bool = False,
) -> dict:
    """Check `text` as if it were the file `filename` (its kind from its name: `.py`,
    `.ipynb`, ...; its settings from the nearest pyproject.toml), exactly as
    `hubsave check --stdin-filename FILENAME -` does.

    Returns `{"path", "findings", "not_checked", "fixed_text"}`: `findings` are the
    records of `hubsave check --format json` (path, code, severity, message, line,
    column, end_line, end_column, fixable; notebooks add `cell`); `not_checked` says
    why the text could not be checked (does not parse, not UTF-8...) or is None;
    `fixed_text` (with `fix=True`) is the text with every fix `--fix` applies (the safe
    ones; the unsafe ones too with `unsafe_fixes`), or None when nothing changed.
    `select`/`ignore`: rule codes or prefixes, as the CLI's.
    ValueError for an unknown rule code.
    """
    from .check import check_as
    from .cli_settings import CheckSettings
    from .output import not_checked

    if not isinstance(text, str):
        raise TypeError("text must be a str")
    options = CheckSettings.from_flags(select, ignore, None, True if unsafe_fixes else None)
    settings = options.for_path(filename, frozenset(), [])
    data = text.encode("utf-8", "surrogatepass")
    result = check_as(filename, data, settings, fix)
    problem = not_checked(result)
    return {
        "path": filename,
        "findings": result.findings,
        "not_checked": problem[1] if problem else None,
        "fixed_text": result.fixed_text,
    }
