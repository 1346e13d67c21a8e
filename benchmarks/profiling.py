"""cProfile of the hubsave server process over the keystroke script, reduced to its top costs."""

from __future__ import annotations

import io
import pstats
import sys
from pathlib import Path

import latency
from inputs import Edit
from servers import Server

TOP = 25


def _python_module_argv(server: Server, out: Path) -> list[str]:
    """Wrap `python -m pkg ...` as `python -m cProfile -o out -m pkg ...`."""
    python, flag, *rest = server.argv
    if flag != "-m":
        raise ValueError(f"cannot profile {server.argv}")
    return [python, "-m", "cProfile", "-o", str(out), "-m", *rest]


def top_costs(prof: Path, root_hint: str) -> str:
    """Top functions by own time and by cumulative time, paths shortened to the repo."""
    stream = io.StringIO()
    stats = pstats.Stats(str(prof), stream=stream)
    stats.sort_stats("tottime").print_stats(TOP)
    stream.write("\n--- by cumulative time, hubsave code only ---\n")
    stats.sort_stats("cumulative").print_stats(root_hint, TOP)
    text = stream.getvalue()
    for prefix in sorted({p for p in sys.path if p}, key=len, reverse=True):
        text = text.replace(prefix + "/", "")
    return text


async def profile_keystrokes(server: Server, workspace: Path, document: tuple[str, list[Edit]], env: dict,
                             logs: Path, out: Path) -> dict:
    text, edits = document
    argv = _python_module_argv(server, out)
    out.unlink(missing_ok=True)
    result = await latency.measure_edits(server, workspace, "profile_5000.py", text, edits, "full", env, logs, argv=argv)
    if not out.exists():
        return {"text": "no profile written (server did not exit cleanly)", "latency_under_profiler": result}
    return {"text": top_costs(out, "hubsave"), "latency_under_profiler": result, "file": str(out)}
