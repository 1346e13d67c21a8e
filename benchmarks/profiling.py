"""cProfile of a server process over the keystroke script, reduced to the keystroke path.

The server runs twice under cProfile: once opening the document and applying the
edits, once opening it only. Subtracting the second from the first leaves what the
edits cost, without start-up imports, so the top rows are the keystroke path.
"""

from __future__ import annotations

import cProfile
import pstats
import subprocess
import sys
import time
from pathlib import Path

import latency
from inputs import Edit
from servers import Server
from stats import summarize

TOP = 15


def _profiled_argv(server: Server, out: Path) -> list[str]:
    """`python -m pkg ...` or `python script.py` run under `python -m cProfile -o out ...`."""
    python, *rest = server.argv
    return [python, "-m", "cProfile", "-o", str(out), *rest]


ROOT = Path(__file__).resolve().parent.parent


def _short(path: str) -> str:
    """Repo-relative for the project's files, import-relative for libraries."""
    for prefix in [str(ROOT)] + sorted({p for p in sys.path if p}, key=len, reverse=True):
        if path.startswith(prefix + "/"):
            return path[len(prefix) + 1:]
    return path


def _cost_rows(stats: dict, base: dict | None = None) -> list[dict]:
    """pstats' {(file, line, func): (cc, calls, own, cumulative, callers)}, minus `base` if given."""
    base = base or {}
    rows = []
    for key, (_, calls, tt, ct, _) in stats.items():
        b = base.get(key, (0, 0, 0.0, 0.0, None))
        rows.append({"where": f"{_short(key[0])}:{key[1]}:{key[2]}", "calls": calls - b[1],
                     "own_s": tt - b[2], "cumulative_s": ct - b[3]})
    return rows


def _cost_tables(rows: list[dict], focus: str) -> tuple[str, list[dict]]:
    own = sorted(rows, key=lambda r: r["own_s"], reverse=True)[:TOP]
    mine = sorted((r for r in rows if focus in r["where"]), key=lambda r: r["cumulative_s"], reverse=True)[:TOP]

    def table(title: str, items: list[dict]) -> list[str]:
        lines = [title, f"{'own s':>9} {'cum s':>9} {'calls':>8}  where"]
        lines += [f"{r['own_s']:9.3f} {r['cumulative_s']:9.3f} {r['calls']:8d}  {r['where']}" for r in items]
        return lines

    return "\n".join(table("by own time (all code):", own) + [""] + table(f"by cumulative time ({focus} code):", mine)), own


def keystroke_costs(with_edits: Path, open_only: Path, focus: str) -> tuple[str, list[dict]]:
    """Per function: own and cumulative seconds of `with_edits` minus `open_only`."""
    rows = _cost_rows(pstats.Stats(str(with_edits)).stats, pstats.Stats(str(open_only)).stats)
    return _cost_tables(rows, focus)


def analysis_in_process(document: tuple[str, list[Edit]], path: str, profiled_edits: int) -> dict:
    """The server's keystroke analysis (hubsave.lsp.session.Session.analyze) without pygls or the pipe.

    Opened, then fed every edited text as the next version, as the server does, so
    incremental re-parsing applies. Timed without a profiler on all edits, then
    profiled on the first `profiled_edits` in a fresh session.
    """
    from hubsave.lsp.session import Session

    text, edits = document
    uri = Path(path).as_uri()

    def replay(script: list[Edit], on_edit=None) -> None:
        session = Session()
        session.analyze(uri, path, text, 1)
        for version, edit in enumerate(script, start=2):
            start = time.perf_counter()
            session.analyze(uri, path, edit.text_after, version)
            if on_edit:
                on_edit(time.perf_counter() - start)

    samples: list[float] = []
    replay(edits, samples.append)
    profiler = cProfile.Profile()
    profiler.enable()
    replay(edits[:profiled_edits])
    profiler.disable()
    text_out, top = _cost_tables(_cost_rows(pstats.Stats(profiler).stats), "hubsave")
    return {"timing": summarize(samples), "profile_text": text_out, "top_own": top, "profiled_edits": profiled_edits}


async def profile_keystrokes(server: Server, workspace: Path, document: tuple[str, list[Edit]], env: dict,
                             logs: Path, out: Path, focus: str = "hubsave") -> dict:
    text, edits = document
    open_only = out.with_suffix(".open-only.prof")
    for path, script in ((out, edits), (open_only, [])):
        path.unlink(missing_ok=True)
        result = await latency.measure_edits(server, workspace, "bench_profiled.py", text, script, "full", env, logs,
                                             argv=_profiled_argv(server, path), stop_timeout=60)
        if not path.exists():
            return {"text": f"no profile written to {path.name} (server did not exit cleanly)"}
        if script:
            under_profiler = result
    text_out, top = keystroke_costs(out, open_only, focus)
    return {"text": text_out, "top_own": top, "latency_under_profiler": under_profiler, "file": str(out),
            "edits": len(edits)}


def profile_cli(venv: Path, tree: Path, env: dict, out: Path) -> dict:
    """`hubsave check <tree>` checked serially in one process under cProfile (see check_serial_profiled.py)."""
    out.unlink(missing_ok=True)
    argv = [str(venv / "bin" / "python"), str(Path(__file__).with_name("check_serial_profiled.py")), str(out), str(tree)]
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if not out.exists():
        return {"text": "no profile written"}
    text, top = _cost_tables(_cost_rows(pstats.Stats(str(out)).stats), "hubsave")
    return {"text": text, "top_own": top, "seconds_under_profiler": round(elapsed, 2), "file": str(out)}
