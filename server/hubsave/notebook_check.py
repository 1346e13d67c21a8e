"""`hubsave check` on one `.ipynb` file: findings per cell, and `--fix` written into the cells."""

from __future__ import annotations

from .analysis.notebook import analyze_notebook, combine
from .cli import CheckJob, FileResult, finding_record
from .notebook_file import NotebookError, read_notebook


def check_notebook(job: CheckJob) -> FileResult:
    result = FileResult(job.path)
    text, error, raw = job.read()
    if text is None:
        result.error = error
        return result
    try:
        notebook = read_notebook(text)
    except NotebookError as exc:
        result.error = f"cannot read notebook: {exc}"
        return result
    if not notebook.python:
        return result
    settings = job.settings
    nb = analyze_notebook(notebook.cells, job.path, settings)
    if nb.analysis.signature_requests:  # HS109: the terminal can wait for the environment
        from .analysis.signatures import wait_for
        from .cli import SIGNATURE_TIMEOUT

        settings = wait_for(nb.analysis.signature_requests, settings, SIGNATURE_TIMEOUT)
        nb = analyze_notebook(notebook.cells, job.path, settings)
    if nb.analysis.skipped:
        result.skipped = nb.analysis.skipped
        return result
    if (job.fix or job.diff) and any(f.automatic_fix(settings.unsafe_fixes) for _, f in nb.findings):
        from .fixes.notebook import fix_all_cells

        sources, fixed = fix_all_cells(nb.combined, job.path, settings)
        if sources:
            new_text = notebook.with_sources(sources)
            result.fixed = len(fixed)
            bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
            if job.diff:  # show the file's change, write nothing
                from .output.diff import unified_diff

                result.diff = unified_diff(job.path, bom + text, bom + new_text)
            else:
                job.save(result, new_text, bool(bom))
                notebook = read_notebook(new_text)
                nb = analyze_notebook(notebook.cells, job.path, settings)
    if nb.combined.broken:
        result.syntax_error = "; ".join(
            f"cell {cell + 1} {why}, the other cells were checked" for cell, why in sorted(nb.combined.broken.items())
        )
    result.findings = [cell_record(job.path, cell, f, settings.unsafe_fixes) for cell, f in nb.findings]
    return result


def cell_record(path: str, cell: int, finding, unsafe: bool = False) -> dict:
    """A finding record with `cell` (0-based among all cells) and positions inside that cell."""
    record = finding_record(path, finding, unsafe)
    return {"path": record.pop("path"), "cell": cell, **record}


def combined_text(text: str) -> str | None:
    """The notebook's code as one text (for the job-script pass), None if it is no notebook."""
    try:
        return combine(read_notebook(text).cells).text
    except NotebookError:
        return None
