"""CLI throughput on a generated tree, and the ast.parse floor for the same bytes."""

from __future__ import annotations

import ast
import resource
import subprocess
import time
from pathlib import Path

from stats import summarize


def time_commands(commands: dict[str, list[str]], runs: int, env: dict, cwd: Path) -> dict:
    """Wall time of whole processes, after one untimed warm-up run each (page cache, .pyc).

    Commands take turns run by run, so load from elsewhere hits them alike.
    """
    warm = {name: subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
            for name, argv in commands.items()}
    samples: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            before = _children_cpu()
            start = time.perf_counter()
            subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            samples[name].append(time.perf_counter() - start)
            cpu[name].append(_children_cpu() - before)
    results = {}
    for name, values in samples.items():
        results[name] = {**summarize(values), "cpu": summarize(cpu[name])}
        results[name].update(exit_code=warm[name].returncode, output_lines=len(warm[name].stdout.splitlines()),
                             stderr_tail=warm[name].stderr.strip().splitlines()[-3:])
    return results


def _children_cpu() -> float:
    """User + system CPU of all finished child processes (their own children included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ast_parse_tree(root: Path, runs: int) -> dict:
    """Read and ast.parse every file, one process, one core: the parse floor."""
    files = sorted(root.rglob("*.py"))
    samples, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        for path in files:
            ast.parse(path.read_bytes(), filename=str(path))
        samples.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    result = {**summarize(samples), "cpu": summarize(cpu)}
    result["files"] = len(files)
    result["lines"] = sum(p.read_bytes().count(b"\n") for p in files)
    return result


def ast_parse_text(text: str, runs: int) -> dict:
    """One full ast.parse of a document, many times: wall and CPU (process_time) per parse."""
    samples, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        ast.parse(text)
        samples.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {**summarize(samples), "cpu": summarize(cpu)}
