"""Results of `hubsave check` kept between runs, as ruff keeps its own in `.ruff_cache`.

Stored in `.hubsave_cache/` at the project root (the folder of the nearest
pyproject.toml with a [tool.hubsave] table, from where `hubsave check` runs; else that
folder), with a CACHEDIR.TAG and a
.gitignore inside; `--no-cache` neither reads nor writes it, `hubsave clean` removes it.

A file's result is reused only when everything that made it is unchanged:
- the run: hubsave's version and its own code (the package's files), the interpreter
  environment HS109 reads signatures from (its site-packages), the output flags;
- the file: its bytes (a content hash) and its settings (every field of `Settings`,
  the roots relative paths resolve against);
- the other files its analysis read (a job's script, a module next to a script):
  each read is recorded with its content hash and read again before reuse.

The file's own hash is memoised by (size, mtime, inode) as git's index does; a file
that had changed less than a second before it was hashed is hashed again next time
(it may have changed again within the clock's resolution).
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import os
import pickle
import shutil
import site
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from . import __version__

CACHE_DIR = ".hubsave_cache"
_FILE = "results.pickle"
_FORMAT = 1  # bump when the stored layout changes
_SETTLED_NS = 1_000_000_000  # a file unchanged this long before hashing keeps its hash memo


def project_root(cwd: str | None = None) -> str:
    """Where the cache lives, as ruff decides for its own: the folder of the nearest
    pyproject.toml with a [tool.hubsave] table, from `cwd` up; else `cwd`."""
    start = os.path.abspath(cwd or os.getcwd())
    folder = start
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        try:
            with open(candidate, "rb") as handle:
                if b"[tool.hubsave" in handle.read():
                    return folder
        except OSError:
            pass
        parent = os.path.dirname(folder)
        if parent == folder:
            return start
        folder = parent


def clean(root: str) -> bool:
    """Remove `root`/.hubsave_cache; True when there was one."""
    path = os.path.join(root, CACHE_DIR)
    if not os.path.isdir(path):
        return False
    shutil.rmtree(path)
    return True


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _canonical(value: Any) -> Any:
    """A stable, order-independent form of settings values (sets and dicts sorted)."""
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, Mapping):
        return sorted((repr(_canonical(k)), _canonical(v)) for k, v in value.items())
    if isinstance(value, (set, frozenset)):
        return sorted(repr(_canonical(v)) for v in value)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__] + [(f.name, _canonical(getattr(value, f.name))) for f in dataclasses.fields(value)]
    return repr(value)


def settings_key(settings: Any) -> str:
    """Every field of a file's `Settings`; of its source reader, the roots (what it reads is
    recorded per file)."""
    sources = getattr(settings, "sources", None)
    roots = getattr(sources, "roots", None)
    return _digest(repr((_canonical(settings), type(sources).__name__, _canonical(roots))).encode())


def _code_fingerprint() -> str:
    """hubsave's version and its package files (an edited rule in a checkout counts)."""
    package = os.path.dirname(os.path.abspath(__file__))
    parts = [__version__, str(_FORMAT), sys.version]
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json")):
                info = os.stat(os.path.join(folder, name))
                parts.append(f"{folder}/{name}:{info.st_size}:{info.st_mtime_ns}")
    return _digest("\n".join(parts).encode())


def _site_packages(python: str | None) -> list[str]:
    if python is None:
        folders = list(site.getsitepackages())
        user = site.getusersitepackages()
        return folders + ([user] if isinstance(user, str) else [])
    prefix = os.path.dirname(os.path.dirname(os.path.abspath(python)))
    found = []
    for lib in ("lib", "lib64"):
        base = os.path.join(prefix, lib)
        try:
            names = sorted(os.listdir(base))
        except OSError:
            continue
        found += [os.path.join(base, n, "site-packages") for n in names if n.startswith("python")]
    return found


def environment_key(python: str | None) -> str:
    """The environment HS109 reads config signatures from: installing or removing any
    package changes its site-packages folder. (A package installed editable and edited
    in place is not seen: `hubsave clean` after such an edit.)"""
    parts = [os.path.abspath(python or sys.executable)]
    for folder in _site_packages(python):
        try:
            parts.append(f"{folder}:{os.stat(folder).st_mtime_ns}")
        except OSError:
            parts.append(f"{folder}:absent")
    return _digest("\n".join(parts).encode())


@dataclass(frozen=True)
class RecordingSources:
    """A source reader that notes what the analysis read, so a reuse can check it."""

    inner: Any
    reads: list = field(default_factory=list, compare=False)

    def project_root(self, path: str) -> str | None:
        return self.inner.project_root(path)

    def read(self, path: str) -> str | None:
        text = self.inner.read(path)
        self.reads.append((path, None if text is None else _digest(text.encode("utf-8", "surrogatepass"))))
        return text


def check_recorded(check: Callable[[Any], Any], job: Any) -> tuple[Any, tuple]:
    """Run `check(job)` with a recording reader: (result, the other files read)."""
    sources = job.settings.sources
    if sources is None:
        return check(job), ()
    recording = RecordingSources(sources)
    job = dataclasses.replace(job, settings=dataclasses.replace(job.settings, sources=recording))
    result = check(job)
    return result, tuple(dict.fromkeys(recording.reads))


@dataclass
class _Entry:
    content: str  # digest of the file's bytes
    settings: str
    reads: tuple  # ((path, digest or None), ...)
    result: Any


class CheckCache:
    """One project's cached results; `load`, then `lookup`/`store` per job, then `save`."""

    def __init__(self, root: str, run_key: str) -> None:
        self.root = root
        self.folder = os.path.join(root, CACHE_DIR)
        self.run_key = run_key
        self.entries: dict[str, _Entry] = {}
        # path -> (size, mtime_ns, inode, digest, time_ns when hashed)
        self.stats: dict[str, tuple[int, int, int, str, int]] = {}
        self.changed = False
        self._settings_keys: dict[int, tuple[Any, str]] = {}  # id -> (the settings, their key)

    @classmethod
    def load(cls, root: str, flags: tuple) -> CheckCache:
        run_key = _digest(repr((_code_fingerprint(), flags)).encode())
        cache = cls(root, run_key)
        try:
            with open(os.path.join(cache.folder, _FILE), "rb") as handle:
                stored = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return cache  # none yet, or unreadable: start empty
        if isinstance(stored, dict) and stored.get("run_key") == run_key:
            cache.entries = stored.get("entries", {})
            cache.stats = stored.get("stats", {})
        return cache

    # -- keys ----------------------------------------------------------------
    def _content(self, path: str) -> str | None:
        try:
            info = os.stat(path)
        except OSError:
            return None
        known = self.stats.get(path)
        stat = (info.st_size, info.st_mtime_ns, info.st_ino)
        if known and known[:3] == stat and known[1] + _SETTLED_NS < known[4]:
            return known[3]
        hashed_at = time.time_ns()
        try:
            with open(path, "rb") as handle:
                digest = _digest(handle.read())
        except OSError:
            return None
        self.stats[path] = (*stat, digest, hashed_at)
        self.changed = True
        return digest

    def _file_key(self, job: Any) -> tuple[str, str] | None:
        content = self._content(os.path.abspath(job.path))
        if content is None:
            return None
        return content, self._settings_key(job.settings)

    def _settings_key(self, settings: Any) -> str:
        """settings_key once per Settings object: a run's files share their project's,
        and digesting every field took half a cached run's CPU when done per file."""
        known = self._settings_keys.get(id(settings))
        if known is None or known[0] is not settings:  # the object is kept, so its id stays its own
            key = settings_key(settings) + environment_key_cached(getattr(settings, "python", None))
            known = self._settings_keys[id(settings)] = (settings, key)
        return known[1]

    def _reads_unchanged(self, reads: tuple, sources: Any) -> bool:
        for path, digest in reads:
            text = sources.read(path) if sources is not None else None
            now = None if text is None else _digest(text.encode("utf-8", "surrogatepass"))
            if now != digest:
                return False
        return True

    # -- use -----------------------------------------------------------------
    def lookup(self, job: Any) -> Any | None:
        entry = self.entries.get(os.path.abspath(job.path))
        # The result names the file as this run was given it (relative or absolute).
        if entry is None or getattr(entry.result, "path", job.path) != job.path:
            return None
        key = self._file_key(job)
        if key is None or (entry.content, entry.settings) != key:
            return None
        if entry.reads and not self._reads_unchanged(entry.reads, job.settings.sources):
            return None
        return entry.result

    def store(self, job: Any, result: Any, reads: tuple) -> None:
        key = self._file_key(job)
        if key is None or getattr(result, "error", None):
            return  # unreadable files are reported again next time
        self.entries[os.path.abspath(job.path)] = _Entry(key[0], key[1], reads, result)
        self.changed = True

    def run(self, jobs: Sequence[Any], run: Callable[[list], list]) -> list:
        """Results for `jobs` in order: cached ones reused, the others from `run(jobs)`,
        which gives (result, reads) per job (see `check_recorded`)."""
        results: list = [None] * len(jobs)
        missing = []
        for index, job in enumerate(jobs):
            cached = self.lookup(job)
            if cached is None:
                missing.append(index)
            else:
                results[index] = cached
        if missing:
            fresh = run([jobs[i] for i in missing])
            for index, (result, reads) in zip(missing, fresh):
                self.store(jobs[index], result, reads)
                results[index] = result
        return results

    def save(self) -> None:
        """Write atomically (a crash or a parallel run never leaves half a cache)."""
        if not self.changed:
            return
        try:
            os.makedirs(self.folder, exist_ok=True)
            _mark(self.folder)
            stored = {"run_key": self.run_key, "entries": self.entries, "stats": self.stats}
            fd, temp = tempfile.mkstemp(dir=self.folder, prefix=".results-")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(stored, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, os.path.join(self.folder, _FILE))
        except OSError:
            pass  # a read-only checkout: the run still worked, only uncached


def _mark(folder: str) -> None:
    """CACHEDIR.TAG (backup tools skip the folder) and a .gitignore (git does), as ruff."""
    tag = os.path.join(folder, "CACHEDIR.TAG")
    if not os.path.exists(tag):
        with open(tag, "w") as handle:
            handle.write("Signature: 8a477f597d28d172789f06886806bc55\n"
                         "# This file is a cache directory tag created by hubsave.\n")
    ignore = os.path.join(folder, ".gitignore")
    if not os.path.exists(ignore):
        with open(ignore, "w") as handle:
            handle.write("# Automatically created by hubsave.\n*\n")


_ENVIRONMENTS: dict[str | None, str] = {}


def environment_key_cached(python: str | None) -> str:
    """environment_key once per interpreter and run."""
    key = _ENVIRONMENTS.get(python)
    if key is None:
        key = _ENVIRONMENTS[python] = environment_key(python)
    return key
