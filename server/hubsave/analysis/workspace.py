"""Local scripts that job submissions name, and how analysis reads other files.

Analysis stays pure: it never opens a file itself. Whoever runs it hands in a
`SourceReader` (`Settings.sources`): the CLI reads the disk, the language server
the editor's open documents first and then the disk.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Iterator, Protocol

if TYPE_CHECKING:  # `normalize_path` must not import the analysis (the server's settings use it)
    from .document import Document


class SourceReader(Protocol):
    """Reads the workspace's other files for cross-file rules (HS308, HS310, HS501)."""

    def read(self, path: str) -> str | None:
        """The file's text; None when it does not exist or cannot be read as text."""
        ...

    def project_root(self, path: str) -> str | None:
        """The folder of the nearest `pyproject.toml` or `.git` at or above the file's."""
        ...


def local_script(value: object) -> str | None:
    """The path when a job's `script` value is a local `.py` file (not a URL, not code)."""
    if not isinstance(value, str):
        return None
    path = value.strip()
    if not path.endswith(".py") or "\n" in path or "://" in path or any(c.isspace() for c in path):
        return None
    return path


def script_candidates(script: str, doc_path: str | None, project_root: str | None = None) -> Iterator[str]:
    """Where a relative script path may point: the submitting file's folder, then its
    project root (the folder of the nearest pyproject.toml or .git). Never the current
    directory or the editor's workspace folders: the CLI, VS Code and Neovim resolve a
    path the same way wherever they run."""
    if os.path.isabs(script):
        yield normalize_path(script)
        return
    bases = [os.path.dirname(os.path.abspath(doc_path))] if doc_path else []
    for base in dict.fromkeys([*bases, *([project_root] if project_root else [])]):
        yield normalize_path(os.path.join(base, script))


def script_paths(sources: SourceReader, script: str, doc_path: str | None) -> Iterator[str]:
    """`script_candidates` with the project root the reader finds for the file."""
    return script_candidates(script, doc_path, sources.project_root(doc_path) if doc_path else None)


def scripts_run_by(doc: Document, path: str, project_root: str | None = None) -> set[str]:
    """Absolute paths of local `.py` scripts that the file's job submissions name."""
    from .facts import Facts

    if "hf_jobs" not in doc.text and "_job" not in doc.text:
        return set()
    if not doc.parsed():
        return set()
    found: set[str] = set()
    for job in Facts.of(doc).jobs:
        script = local_script(job.value("script", None))
        if script:
            found.update(script_candidates(script, path, project_root))
    return found


def normalize_path(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))
