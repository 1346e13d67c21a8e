"""The `SourceReader`s analysis gets for cross-file rules: the disk (CLI), or the
editor's open documents first and then the disk (language server)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable

# A "script" larger than this is not a training script: not worth reading.
MAX_SOURCE_BYTES = 2_000_000


def read_source(path: str, max_bytes: int | None = None) -> tuple[str | None, str | None, bytes]:
    """(text, error, raw bytes), the one way a source file is read (`hubsave check` and
    cross-file rules). Text keeps its line endings; a BOM is dropped."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}", b""
    if max_bytes is not None and len(raw) > max_bytes:
        return None, f"cannot read: larger than {max_bytes} bytes", raw
    return decode_source(raw)


def decode_source(raw: bytes) -> tuple[str | None, str | None, bytes]:
    """As read_source, for bytes already read (standard input)."""
    if b"\x00" in raw:
        return None, "cannot read: binary file (contains NUL bytes)", raw
    try:
        return raw.decode("utf-8-sig"), None, raw
    except UnicodeDecodeError as exc:
        return None, f"cannot read: not UTF-8 (byte {exc.start})", raw


def read_disk(path: str) -> str | None:
    """A script another file names, or None when it cannot be read as one."""
    return read_source(path, MAX_SOURCE_BYTES)[0]


PROJECT_MARKERS = ("pyproject.toml", ".git")


def project_root(path: str) -> str | None:
    """The folder of the nearest `pyproject.toml` or `.git` at or above the file's folder
    (what Neovim's documented `root_markers` find too); None when there is none."""
    folder = os.path.dirname(os.path.abspath(path))
    while True:
        if any(os.path.exists(os.path.join(folder, marker)) for marker in PROJECT_MARKERS):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


@dataclass(frozen=True)
class DiskSources:
    """Plain data, so `hubsave check` can send it to worker processes."""

    def read(self, path: str) -> str | None:
        return read_disk(path)

    def project_root(self, path: str) -> str | None:
        return project_root(path)


@dataclass(frozen=True)
class EditorSources:
    """What the user sees wins: an open document's unsaved text over the file on disk."""

    open_text: Callable[[str], str | None] = field(default=lambda path: None)

    def read(self, path: str) -> str | None:
        text = self.open_text(path)
        return text if text is not None else read_disk(path)

    def project_root(self, path: str) -> str | None:
        return project_root(path)
