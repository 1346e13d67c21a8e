"""File kinds: which kind a file is, and its fragments (`kinds.fragment`).

One module per kind turns a file's text into fragments; nothing downstream
knows the kind. A notebook's text is JSON: `kinds.notebook_file` reads its cells
and writes them back, `kinds.notebook` cuts the cells into fragments.
"""

from __future__ import annotations

import os
import re

from .fragment import Fragment

TEXT_KINDS = ("python", "shell", "makefile", "markdown", "workflow")
# LSP language ids (VS Code's, Neovim's filetypes as clients send them).
LANGUAGE_IDS = {
    "python": "python", "shellscript": "shell", "sh": "shell", "bash": "shell",
    "makefile": "makefile", "make": "makefile", "markdown": "markdown",
    "github-actions-workflow": "workflow",
}
# Command lines cost something only in a text that mentions a job.
JOB_WORDS = re.compile(r"\bjobs\b|huggingface-cli|\brun_(?:uv_)?job\b|\bhf_jobs\b")


def kind_of(path: str | None, language_id: str | None = None, head: bytes = b"") -> str | None:
    """The kind of a file by its name (or the editor's language id), then its shebang."""
    name = os.path.basename(path or "")
    lower = name.lower()
    if lower.endswith((".py", ".pyi")):
        return "python"
    if lower.endswith(".ipynb"):
        return "notebook"
    if lower.endswith((".sh", ".bash")):
        return "shell"
    if name in ("Makefile", "makefile", "GNUmakefile") or lower.endswith(".mk"):
        return "makefile"
    if lower.endswith((".md", ".markdown")):
        return "markdown"
    if lower.endswith((".yml", ".yaml")) and is_workflow(path or ""):
        return "workflow"
    if language_id in LANGUAGE_IDS:
        return LANGUAGE_IDS[language_id]
    if head.startswith(b"#!"):
        from .shell import has_shell_shebang

        return "shell" if has_shell_shebang(head) else None
    return None


def is_workflow(path: str) -> bool:
    parts = os.path.abspath(path).replace(os.sep, "/").split("/")
    return len(parts) >= 3 and parts[-3:-1] == [".github", "workflows"]


def fragments(kind: str, text: str) -> list[Fragment]:
    """A text file's fragments (a notebook's come from its cells: `kinds.notebook`); a file
    of no kind ("other") has none."""
    if kind == "other":
        return []
    if kind == "python":
        from . import python as module
    elif kind == "shell":
        from . import shell as module
    elif kind == "makefile":
        from . import makefile as module
    elif kind == "markdown":
        from . import markdown as module
    elif kind == "workflow":
        if not JOB_WORDS.search(text):  # YAML is parsed only for a workflow that runs a job
            return []
        from . import workflow as module
    else:
        raise ValueError(f"no text kind {kind!r}")
    return module.fragments(text)


class Source:
    """A file or an editor document as parts: one text (part 0), or a notebook's cells
    (part = cell index). `fragments()` cuts it by its kind; `with_parts` is the same
    source after a fix changed some parts."""

    def __init__(self, kind: str, parts: dict[int, str], cell_kinds: dict[int, str] | None = None) -> None:
        self.kind = kind
        self.parts = parts
        self.cell_kinds = cell_kinds or {}
        self._fragments: list[Fragment] | None = None

    @classmethod
    def text(cls, kind: str, text: str) -> Source:
        return cls(kind, {0: text})

    @classmethod
    def cells(cls, cells) -> Source:
        """A notebook from its cells (`kinds.notebook.Cell`, in order)."""
        return cls("notebook", {i: c.source for i, c in enumerate(cells)}, {i: c.kind for i, c in enumerate(cells)})

    def fragments(self) -> list[Fragment]:
        if self._fragments is None:
            if self.kind == "notebook":
                from .notebook import Cell
                from .notebook import fragments as cut

                self._fragments = cut([Cell(self.parts[i], self.cell_kinds.get(i, "code")) for i in sorted(self.parts)])
            else:
                self._fragments = fragments(self.kind, self.parts[0])
        return self._fragments

    def with_parts(self, changed: dict[int, str]) -> Source:
        return Source(self.kind, {**self.parts, **changed}, self.cell_kinds)
