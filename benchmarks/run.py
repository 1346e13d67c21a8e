"""Run the hubsave benchmark suite side by side with reference tools; write a report.

    python benchmarks/run.py [--quick] [--only latency,kinds,analysis,cold,memory,cli,hover] [--servers a,b]
                             [--profile] [--strict]

Makes benchmarks/.venv on first use (reference tools + hubsave), re-runs itself
there, and writes benchmarks/results/report.md and report.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import env as bench_env

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SUITES = ("latency", "kinds", "analysis", "cold", "memory", "cli", "hover")

# Per mode: how much of everything. Quick fits ~2 minutes on 2 cores, full < 15.
PLANS = {
    "quick": {"edits": 120, "debounced_edits": 12, "cold_runs": 5, "documents": 200, "cli_runs": 1,
              "tree_files": 5000, "floor_runs": 1, "incremental_for": ("hubsave", "ruff", "minimal-pygls"),
              "hover_runs": 20, "analysis_edits": 30, "profiled_edits": 10, "series_budget": 15,
              "paced_for": ("hubsave", "ruff")},
    "full": {"edits": 300, "debounced_edits": 60, "cold_runs": 20, "documents": 200, "cli_runs": 5,
             "tree_files": 5000, "floor_runs": 3, "incremental_for": ("hubsave", "ruff", "minimal-pygls", "pylsp"),
             "hover_runs": 100, "analysis_edits": 120, "profiled_edits": 30, "series_budget": 75,
             "paced_for": ("hubsave", "ruff", "minimal-pygls")},
}
DEBOUNCED = {"pylsp"}  # ~0.5 s per edit by design: it gets the first N edits of the same script


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def _versions(venv: Path) -> dict:
    versions = {"python": platform.python_version()}
    for dist in ("hubsave", "pygls", "lsprotocol", "ruff", "python-lsp-server", "pyflakes", "jedi-language-server"):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = "absent"
    return versions


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown cpu"


async def guarded(awaitable, name: str, logs: Path) -> dict:
    """One measurement; a server that crashes or hangs becomes a 'skipped' row, not a dead run."""
    try:
        return await awaitable
    except Exception as exc:  # noqa: BLE001 - any failure of a tool under test is a result
        stderr = logs / f"{name}.stderr.log"
        tail = stderr.read_text(errors="replace").strip().splitlines()[-1:] if stderr.exists() else []
        log(f"  {name} failed: {type(exc).__name__}: {exc} {tail}")
        return {"skipped": f"{type(exc).__name__}: {exc} {' '.join(tail)}".strip()[:300]}


PACE = 0.1  # seconds between keystrokes at typing pace
# Keystroke series: (label, which edit script, sync mode, seconds between keystrokes).
# Back to back (pace 0: the next edit as soon as the previous diagnostics arrive) is
# the worst case for a server that waits for a pause; 0.1 s is a person typing.
SERIES = (
    ("full", "scripted", "full", 0.0),
    ("incremental", "scripted", "incremental", 0.0),
    ("full paced", "scripted", "full", PACE),
    ("string typing", "string", "full", 0.0),
    ("string typing paced", "string", "full", PACE),
)


async def run_latency(plan, servers, names, workspace, server_env, logs, documents, results) -> None:
    import latency

    for name in names:
        server = servers[name]
        count = plan["debounced_edits"] if name in DEBOUNCED else plan["edits"]
        for size, (text, scripts) in documents.items():
            for label, script, mode, pace in SERIES:
                if mode == "incremental" and name not in plan["incremental_for"]:
                    continue
                if (pace or script != "scripted") and name not in plan["paced_for"]:
                    continue
                log(f"latency {name} {size} lines {label} ({count} edits)")
                res = await guarded(latency.measure_edits(server, workspace, f"bench_latency_{size}.py", text,
                                                          scripts[script][:count], mode, server_env, logs,
                                                          time_budget=plan["series_budget"], pace=pace), name, logs)
                results.setdefault("latency", {}).setdefault(name, {}).setdefault(size, {})[label] = res


async def run_kinds(plan, server, workspace, server_env, logs, results) -> None:
    """hubsave's keystrokes in the other file kinds it reads, beside Python files of the same
    length: an option typed into a job's command line and deleted again, back to back.
    No budget: no reference tool reads these files."""
    import inputs
    import latency

    count = plan["edits"]
    (workspace / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
    documents = {
        "shell script, 300 lines": ("launch.sh", inputs.shell_script(300, 1)),
        "GitHub workflow, 300 lines": (".github/workflows/train.yml", inputs.workflow_file(22, 3)),
        "Markdown guide, 2,000 lines": ("guide.md", inputs.markdown_guide(2000, 2)),
    }
    for label, (name, text) in documents.items():
        log(f"kinds: hubsave {label} ({count} edits)")
        results.setdefault("kinds", {})[label] = await guarded(latency.measure_edits(
            server, workspace, name, text, inputs.typing_into_jobs(text, 3, count), "incremental", server_env, logs,
            time_budget=plan["series_budget"]), "hubsave", logs)
    for lines in (300, 2000):
        text = inputs.training_script(4, lines)
        label = f"Python training script, {lines:,} lines"
        log(f"kinds: hubsave {label} ({count} edits)")
        results["kinds"][label] = await guarded(latency.measure_edits(
            server, workspace, f"train_{lines}.py", text, inputs.edit_script(text, 5, count), "incremental",
            server_env, logs, time_budget=plan["series_budget"]), "hubsave", logs)


async def run_cold(plan, servers, names, workspace, server_env, logs, results) -> None:
    import coldstart

    log(f"cold start {', '.join(names)}: {plan['cold_runs']} rounds, servers taking turns")
    results["cold_start"] = await coldstart.measure_cold_starts(
        [servers[n] for n in names], workspace, plan["cold_runs"], server_env, logs)


async def run_memory(plan, servers, names, workspace, server_env, logs, results) -> None:
    import inputs
    import memory

    documents = [inputs.training_script(10_000 + i, 300) for i in range(plan["documents"])]
    for name in names:
        log(f"memory {name} ({len(documents)} documents)")
        results.setdefault("memory", {})[name] = await guarded(memory.measure_memory(
            servers[name], workspace, documents, server_env, logs), name, logs)


def run_cli(plan, venv, server_env, hubsave_ok, results) -> Path:
    import inputs
    import throughput

    tree = inputs.write_tree(RESULTS / "tree", plan["tree_files"], seed=7)
    floor = throughput.ast_parse_tree(tree, plan["floor_runs"])
    results["tree"] = {"files": floor["files"], "lines": floor["lines"], "path": str(tree)}
    results.setdefault("floor", {})["ast_parse_tree (one core)"] = floor
    ruff = [str(venv / "bin" / "ruff"), "check", "--select", "F401"]
    # Uncached, and cached: the untimed warm-up run of each command fills its cache
    # (ruff: <tree>/.ruff_cache, hubsave: <tree>/.hubsave_cache), so the timed runs reuse it.
    commands = {"ruff": ruff + ["--no-cache", str(tree)], "ruff cached": ruff + [str(tree)]}
    if hubsave_ok:
        hubsave = [str(venv / "bin" / "hubsave"), "check"]
        commands.update({"hubsave": hubsave + ["--no-cache", str(tree)], "hubsave cached": hubsave + [str(tree)]})
    log(f"cli {', '.join(commands)}: {plan['cli_runs']} rounds, taking turns")
    for name, res in throughput.time_commands(commands, plan["cli_runs"], server_env, RESULTS).items():
        res["command"] = " ".join([Path(commands[name][0]).name] + commands[name][1:]).replace(str(tree), "<tree>")
        results.setdefault("cli", {})[name] = res
    return tree


async def main_async(args, plan, venv) -> dict:
    import inputs
    import servers as server_defs
    import throughput

    hubsave_ok = bench_env.hubsave_present()
    servers = server_defs.server_table(venv)
    wanted = [s for s in args.servers.split(",")] if args.servers else list(servers)
    if not hubsave_ok and "hubsave" in wanted:
        wanted.remove("hubsave")
    suites = args.only.split(",") if args.only else list(SUITES)
    notes = [] if hubsave_ok else ["hubsave is not in this checkout (no server/hubsave): its rows are missing."]
    results: dict = {"notes": notes}

    workspace = Path(tempfile.mkdtemp(prefix="hubsave-bench-"))
    logs = RESULTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    server_env = server_defs.server_env(workspace / "hf_home")
    try:
        small = inputs.training_script(1, 300)
        large = inputs.large_file(2, 5000)
        documents = {
            "300": (small, inputs.edit_script(small, 3, plan["edits"])),
            "5000": (large, inputs.edit_script(large, 4, plan["edits"])),
        }
        typing = {size: (text, {"scripted": edits, "string": inputs.string_typing_script(text, 5, plan["edits"])})
                  for size, (text, edits) in documents.items()}
        results["inputs"] = {
            "lines": {k: len(v[0].splitlines()) for k, v in documents.items()},
            "edits_desc": (f"{plan['edits']} scripted edits per document (typing and deleting keyword arguments inside "
                           f"the config call, retyping hub_model_id, flipping push_to_hub, pasting/removing argument "
                           f"lines, typing comments elsewhere); debounced servers ({', '.join(sorted(DEBOUNCED))}) get "
                           f"the first {plan['debounced_edits']}. The first edit waits until the server is idle "
                           f"after opening the document; each edit waits for the previous publication; "
                           f"'paced' series also wait until {PACE * 1000:g} ms after the previous edit was sent (typing "
                           f"pace). 'string typing': typing a run_name=\"...\" argument into the config call "
                           f"character by character and deleting it, so most texts have an unterminated string."),
        }
        results["floor"] = {
            f"ast_parse_{size}": throughput.ast_parse_text(text, 30) for size, (text, _) in documents.items()
        }
        if "latency" in suites:
            names = [n for n in wanted if servers[n].publishes_on_change]
            await run_latency(plan, servers, names, workspace, server_env, logs, typing, results)
        if "kinds" in suites and hubsave_ok and "hubsave" in wanted:
            await run_kinds(plan, servers["hubsave"], workspace, server_env, logs, results)
        if "analysis" in suites and hubsave_ok:
            import profiling

            for size, (text, edits) in documents.items():
                log(f"analysis in process, {size} lines ({plan['analysis_edits']} edits)")
                results.setdefault("analysis", {})[size] = profiling.analysis_in_process(
                    (text, edits[: plan["analysis_edits"]]), str(workspace / f"bench_latency_{size}.py"),
                    plan["profiled_edits"])
        if "cold" in suites:
            await run_cold(plan, servers, wanted, workspace, server_env, logs, results)
        if "memory" in suites:
            names = [n for n in wanted if n in ("hubsave", "minimal-pygls", "ruff", "pylsp")]
            await run_memory(plan, servers, names, workspace, server_env, logs, results)
        tree = None
        if "cli" in suites:
            tree = run_cli(plan, venv, server_env, hubsave_ok and "hubsave" in wanted, results)
        if "hover" in suites and hubsave_ok:
            import hover

            log(f"hover against the stand-in Hub ({plan['hover_runs']} cached rounds)")
            results["hover"] = await guarded(hover.measure_hover(servers["hubsave"], plan["hover_runs"], workspace,
                                                                 server_env, logs), "hubsave", logs)
        if args.profile and hubsave_ok:
            import profiling

            for size, (text, edits) in documents.items():
                log(f"cProfile of the hubsave server over the {size}-line keystrokes (with edits, then open only)")
                results.setdefault("profile", {})[size] = await guarded(profiling.profile_keystrokes(
                    servers["hubsave"], workspace, (text, edits[: plan["profiled_edits"] * 2]), server_env, logs,
                    RESULTS / f"hubsave-keystrokes-{size}.prof"), "hubsave", logs)
            if tree is not None:
                log("cProfile of hubsave check's main process on the tree")
                results["profile_cli"] = profiling.profile_cli(venv, tree, server_env, RESULTS / "hubsave-check.prof")
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="about 2 minutes on 2 cores")
    parser.add_argument("--only", help=f"comma-separated suites out of {','.join(SUITES)}")
    parser.add_argument("--servers", help="comma-separated servers (default: all)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a measured budget fails")
    parser.add_argument("--profile", action="store_true", help="also cProfile the hubsave server on the keystrokes and hubsave check")
    args = parser.parse_args()

    venv = bench_env.ensure_venv(log)
    if not bench_env.running_in_venv():
        python = str(venv / "bin" / "python")
        os.execv(python, [python, str(Path(__file__).resolve()), *sys.argv[1:]])

    mode = "quick" if args.quick else "full"
    plan = PLANS[mode]
    started = time.perf_counter()
    load_start = os.getloadavg()
    results = asyncio.run(main_async(args, plan, venv))
    load_end = os.getloadavg()
    results["meta"] = {
        "load_average": {"start": [round(x, 2) for x in load_start], "end": [round(x, 2) for x in load_end]},
        "when": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": mode,
        "plan": plan,
        "cpu": _cpu(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "versions": _versions(venv),
        "command": "python benchmarks/run.py " + " ".join(sys.argv[1:]),
        "wall_seconds": round(time.perf_counter() - started, 1),
        "git": subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True).stdout.strip(),
    }
    import report

    results["budgets"] = report.budgets(results)
    RESULTS.mkdir(exist_ok=True)
    # report.{md,json} is the latest run; a stamped copy keeps earlier runs for comparison.
    stamp = f"{mode}-{datetime.datetime.now().strftime('%Y%m%d-%H%M%S')}"
    for name, content in (("json", json.dumps(results, indent=2, default=str)), ("md", report.markdown(results))):
        (RESULTS / f"report.{name}").write_text(content)
        (RESULTS / "history").mkdir(exist_ok=True)
        (RESULTS / "history" / f"report-{stamp}.{name}").write_text(content)
    log(f"wrote {RESULTS / 'report.md'} and report.json in {results['meta']['wall_seconds']} s")
    for row in results["budgets"]:
        print(f"  {row['status']:>12}  {row['budget']}  {row.get('ratio', '')}")
    failed = any(row["status"] == "FAIL" for row in results["budgets"])
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
