"""Accepted __init__ keywords of a config class as installed in the user's environment.

HS109 prefers this over the bundled schema: the user's trl may be older or newer than
the one hubsave was built against. jedi reads the installed sources statically (nothing
is imported, so torch is never loaded) and understands the __init__ that @dataclass
generates, inherited fields included.

Results are cached per (interpreter, class) for the life of the process, failures too,
so jedi runs at most once per class and environment; `invalidate()` forgets them (after
the interpreter setting changes or packages are installed). jedi is imported on first
use, in a worker thread; callers wait at most `timeout` seconds and get None (use the
bundled schema) when jedi is slower, while the answer still lands in the cache. The
language server runs each lookup in a child process instead (`isolate`), so jedi and
what it read never stay in a process that lives as long as the editor.
"""

from __future__ import annotations

import ast
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

__all__ = ["DEFAULT_TIMEOUT", "accepted_keywords", "check", "invalidate", "isolate", "peek", "problem", "submit"]

DEFAULT_TIMEOUT = 5.0

# Every TrainingArguments subclass takes output_dir. A signature without it means jedi
# lost part of the class hierarchy (e.g. trl installed but transformers not): partial
# keywords would make HS109 flag valid arguments, so such an answer is discarded.
ANCHOR_KEYWORD = "output_dir"

_INIT_FALSE = re.compile(r"\bfield\(.*\binit\s*=\s*False\b", re.DOTALL)

_cache: dict[tuple[str, str], Future] = {}
_cache_lock = threading.Lock()
# jedi keeps global inference state and is not thread-safe: one query at a time.
_jedi_lock = threading.Lock()
_environments: dict[str, object] = {}  # interpreter key -> jedi environment, None when unusable
_problems: dict[str, str] = {}  # interpreter key -> why its environment is not used


def _interpreter_key(interpreter: str | None) -> str:
    # abspath, not realpath: a venv's bin/python is a symlink to the base interpreter,
    # and the venv (its pyvenv.cfg, its site-packages) is known only by the link's path.
    # A bare name ("python3") is looked up on PATH, as a shell would: not in the
    # current directory, which may be the checked repository.
    if interpreter and os.sep not in interpreter:
        interpreter = shutil.which(interpreter) or interpreter
    return os.path.abspath(interpreter or sys.executable)


def submit(qualname: str, interpreter: str | None = None) -> Future:
    """Start (or reuse) the lookup of `qualname` ('trl.SFTConfig') in the environment of
    `interpreter` (None: the interpreter running hubsave). The future's result is a
    frozenset of keywords, or None when the environment cannot tell."""
    key = (_interpreter_key(interpreter), qualname)
    with _cache_lock:
        future = _cache.get(key)
        if future is None:
            future = _cache[key] = Future()
            thread = threading.Thread(target=_run, args=(future, interpreter, qualname), name="hubsave-jedi", daemon=True)
            thread.start()
    return future


def accepted_keywords(
    qualname: str, interpreter: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> frozenset[str] | None:
    """Keywords `qualname`'s __init__ accepts in that environment; None when the class is
    not installed there, its signature is open-ended (**kwargs), or the answer takes
    longer than `timeout` seconds (0 never blocks)."""
    future = submit(qualname, interpreter)
    try:
        return future.result(timeout=timeout)
    except FutureTimeout:
        return None


def peek(qualname: str, interpreter: str | None = None) -> tuple[bool, frozenset[str] | None]:
    """The cached answer, never starting a lookup: (True, keywords or None) once jedi has
    answered, (False, None) while nobody asked yet or the lookup is still running.
    Safe on the keystroke path: a dict lookup."""
    with _cache_lock:
        future = _cache.get((_interpreter_key(interpreter), qualname))
    if future is None or not future.done():
        return False, None
    return True, future.result()


def invalidate(interpreter: str | None = None) -> None:
    """Forget cached answers for one interpreter, or for all when None."""
    with _cache_lock:
        if interpreter is None:
            _cache.clear()
            _environments.clear()
            _problems.clear()
        else:
            key = _interpreter_key(interpreter)
            for cached in [k for k in _cache if k[0] == key]:
                del _cache[cached]
            _environments.pop(key, None)
            _problems.pop(key, None)


def problem(interpreter: str | None) -> str | None:
    """Why `interpreter`'s environment is not read (not a Python, refused by jedi's safety
    check), once a lookup found out; None otherwise. A dict lookup: never starts anything."""
    return _problems.get(_interpreter_key(interpreter)) if interpreter else None


def check(interpreter: str) -> str | None:
    """Set up `interpreter`'s environment now (blocking) and return `problem(interpreter)`:
    the CLI asks once up front, so one bad interpreter gives one message."""
    try:
        with _jedi_lock:
            _environment(interpreter)
    except Exception:  # as in _run: an odd environment costs HS109 its answer, nothing more
        logging.getLogger(__name__).debug("jedi environment for %s failed", interpreter, exc_info=True)
    return problem(interpreter)


def isolate() -> None:
    """Look signatures up in a child process from now on (the language server): jedi's
    modules and its caches of the environment's sources (transformers' training
    arguments alone are thousands of lines) would otherwise stay for the editor session."""
    global _isolated
    _isolated = True


_isolated = False
CHILD_TIMEOUT = 120.0


def _run(future: Future, interpreter: str | None, qualname: str) -> None:
    try:
        with _jedi_lock:
            result = _lookup_in_child(interpreter, qualname) if _isolated else _lookup(interpreter, qualname)
    except Exception:  # jedi raising on odd environments must not break linting
        logging.getLogger(__name__).debug("jedi lookup of %s failed", qualname, exc_info=True)
        result = None
    future.set_result(result)


def _lookup_in_child(interpreter: str | None, qualname: str) -> frozenset[str] | None:
    """`_lookup` in `python -I` (no current directory, no PYTHON* variables) running this
    interpreter with this process's own import path: the same program, never one the
    checked tree provides."""
    here = os.path.realpath(os.getcwd())
    paths = [p for p in sys.path if p and os.path.isabs(p) and os.path.realpath(p) != here]
    code = f"import sys; sys.path[:0] = {paths!r}; from hubsave.envsig import _child_main; _child_main()"
    done = subprocess.run([sys.executable, "-I", "-c", code, interpreter or "", qualname],
                          capture_output=True, text=True, timeout=CHILD_TIMEOUT, check=True)
    answer = json.loads(done.stdout)
    if answer["problem"]:
        _problems[_interpreter_key(interpreter)] = answer["problem"]
    return None if answer["keywords"] is None else frozenset(answer["keywords"])


def _child_main() -> None:
    interpreter, qualname = sys.argv[1] or None, sys.argv[2]
    try:
        keywords = _lookup(interpreter, qualname)
    except Exception:  # as in _run
        keywords = None
    print(json.dumps({"keywords": None if keywords is None else sorted(keywords), "problem": problem(interpreter)}))


def _environment(interpreter: str | None):
    """The jedi environment of `interpreter`, None (and a problem noted) when it cannot be used.

    `interpreter` comes from the user only (editor setting, --python, HUBSAVE_PYTHON);
    never from a file in the checked tree. Still, jedi's safety check runs (safe=True):
    a path such as `${workspaceFolder}/.venv/bin/python` can point into a cloned
    repository, and jedi then starts the program only if it is a Python installed on
    this system (owned by root, or the same binary as a python3.N on PATH).
    """
    import jedi

    if interpreter is None:
        # Our own interpreter: read sys.path in-process instead of spawning a subprocess.
        return jedi.InterpreterEnvironment()
    key = _interpreter_key(interpreter)
    if key in _environments:
        return _environments[key]
    env = None
    if not os.path.exists(key):
        _problems[key] = f"{interpreter} does not exist"
    else:
        try:
            env = jedi.create_environment(key, safe=True)
        except jedi.InvalidPythonEnvironment as exc:
            _problems[key] = _why(interpreter, str(exc))
    _environments[key] = env
    return env


def _why(interpreter: str, reason: str) -> str:
    if "unsafe" in reason:  # jedi's _assert_safe: "The python binary is potentially unsafe."
        return (f"{interpreter} was not started: it is not a Python installed on this system "
                "(jedi's safety check wants one owned by root or the same binary as a python3.N on PATH)")
    logging.getLogger(__name__).debug("jedi cannot use %s: %s", interpreter, reason)
    return f"{interpreter} is not a Python interpreter (it did not answer jedi's version query)"


def _sys_path(env) -> list[str]:
    """The environment's sys.path without the current directory: `python -m hubsave`
    puts it first, and jedi imports compiled modules (.so) it finds there, in-process
    for our own interpreter. The checked tree is never a source of code to load."""
    here = os.path.realpath(os.getcwd())
    return [p for p in env.get_sys_path() if p and os.path.isabs(p) and os.path.realpath(p) != here]


def _lookup(interpreter: str | None, qualname: str) -> frozenset[str] | None:
    import jedi

    module, _, name = qualname.rpartition(".")
    if not module or not name.isidentifier():
        return None
    env = _environment(interpreter)
    if env is None:
        return None
    # smart_sys_path=False: only the environment's sys.path counts, not whatever
    # directory hubsave happens to run in.
    project = jedi.Project(os.path.dirname(_interpreter_key(interpreter)), sys_path=_sys_path(env), smart_sys_path=False)
    script = jedi.Script(f"from {module} import {name}\n{name}.__init__\n{name}(", project=project, environment=env)
    signatures = script.get_signatures(3, len(name) + 1)
    if not signatures or _explicit_init_takes_kwargs(script, len(name) + 2):
        return None
    keywords = set()
    for param in signatures[0].params:
        kind = param.kind.name
        if kind == "VAR_KEYWORD":
            return None
        if kind in ("POSITIONAL_ONLY", "VAR_POSITIONAL") or _INIT_FALSE.search(param.description):
            continue
        keywords.add(param.name)
    if ANCHOR_KEYWORD not in keywords:
        return None
    return frozenset(keywords)


def _explicit_init_takes_kwargs(script, column: int) -> bool:
    """jedi drops a `**kwargs` it cannot follow, so a hand-written __init__(..., **kwargs)
    would look narrower than it is. Look at the definition itself."""
    for definition in script.goto(2, column):
        if definition.module_name == "builtins" or definition.module_path is None:
            continue  # object.__init__: the dataclass-generated __init__ is what counts
        try:
            tree = ast.parse(definition.module_path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError):
            return True
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "__init__" and node.lineno == definition.line:
                return node.args.kwarg is not None
        return True
    return False
