"""cProfile of a server process over the keystroke script, reduced to the keystroke path.

The server runs twice under cProfile: once opening the document and applying the
edits, once opening it only. Subtracting the second from the first leaves what the
edits cost, without start-up imports, so the top rows are the keystroke path.
"""

from __future__ import annotations

import pstats
import sys
from pathlib import Path

import latency
from inputs import Edit
from servers import Server

TOP = 25


def _profiled_argv(server: Server, out: Path) -> list[str]:
    """`python -m pkg ...` or `python script.py` run under `python -m cProfile -o out ...`."""
    python, *rest = server.argv
    return [python, "-m", "cProfile", "-o", str(out), *rest]


def _short(path: str) -> str:
    for prefix in sorted({p for p in sys.path if p}, key=len, reverse=True):
        if path.startswith(prefix + "/"):
            return path[len(prefix) + 1:]
    return path


def keystroke_costs(with_edits: Path, open_only: Path, focus: str) -> tuple[str, list[dict]]:
    """Per function: own and cumulative seconds of `with_edits` minus `open_only`."""
    a = pstats.Stats(str(with_edits)).stats  # {(file, line, func): (cc, nc, tt, ct, callers)}
    b = pstats.Stats(str(open_only)).stats
    rows = []
    for key, (_, calls, tt, ct, _) in a.items():
        base = b.get(key, (0, 0, 0.0, 0.0, None))
        rows.append({"where": f"{_short(key[0])}:{key[1]}:{key[2]}", "calls": calls - base[1],
                     "own_s": tt - base[2], "cumulative_s": ct - base[3]})
    own = sorted(rows, key=lambda r: r["own_s"], reverse=True)[:TOP]
    mine = sorted((r for r in rows if focus in r["where"]), key=lambda r: r["cumulative_s"], reverse=True)[:TOP]

    def table(title: str, items: list[dict]) -> list[str]:
        lines = [title, f"{'own s':>9} {'cum s':>9} {'calls':>8}  where"]
        lines += [f"{r['own_s']:9.3f} {r['cumulative_s']:9.3f} {r['calls']:8d}  {r['where']}" for r in items]
        return lines

    text = "\n".join(table("by own time (all code):", own) + [""] + table(f"by cumulative time ({focus} code):", mine))
    return text, own


async def profile_keystrokes(server: Server, workspace: Path, document: tuple[str, list[Edit]], env: dict,
                             logs: Path, out: Path, focus: str = "hubsave") -> dict:
    text, edits = document
    open_only = out.with_suffix(".open-only.prof")
    for path, script in ((out, edits), (open_only, [])):
        path.unlink(missing_ok=True)
        result = await latency.measure_edits(server, workspace, "bench_profiled.py", text, script, "full", env, logs,
                                             argv=_profiled_argv(server, path))
        if not path.exists():
            return {"text": f"no profile written to {path.name} (server did not exit cleanly)"}
        if script:
            under_profiler = result
    text_out, top = keystroke_costs(out, open_only, focus)
    return {"text": text_out, "top_own": top, "latency_under_profiler": under_profiler, "file": str(out),
            "edits": len(edits)}
