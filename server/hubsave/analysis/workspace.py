"""Which local scripts the job submissions of a file run (so those are job scripts)."""

from __future__ import annotations

import os

from .document import Document
from .facts import Facts


def scripts_run_by(doc: Document, path: str, roots: tuple[str, ...] = ()) -> set[str]:
    """Absolute paths of local `.py` scripts that the file's job submissions name.

    A relative path is tried from the file's folder and from each root (the
    workspace, or where `hubsave check` runs), since the submitting code may run
    from either.
    """
    if "hf_jobs" not in doc.text and "_job" not in doc.text:
        return set()
    if not doc.parsed():
        return set()
    bases = (os.path.dirname(os.path.abspath(path)), *roots)
    found: set[str] = set()
    for job in Facts.of(doc).jobs:
        script = job.value("script", None)
        if isinstance(script, str) and script.strip().endswith(".py") and "\n" not in script and "://" not in script:
            found.update(normalize_path(os.path.join(base, script.strip())) for base in bases)
    return found


def normalize_path(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))
