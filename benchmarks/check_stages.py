"""CPU of `hubsave check`'s stages on a tree, in one process: where a run's time goes.

    python benchmarks/check_stages.py TREE

Reading every file, screening each for rule triggers, and for the files with a
trigger `ast.parse` alone, the whole analysis and `check_file` (what a worker does
per file); the files without a trigger through `check_file` too. Best of three
runs of each stage, `time.process_time`, with the check's GC threshold.
"""

from __future__ import annotations

import ast
import gc
import sys
import time

from hubsave.analysis.engine import _screen, analyze
from hubsave.analysis.rules import RULES
from hubsave.check import CheckJob, check_file, iter_files
from hubsave.cli_settings import CheckSettings
from hubsave.sources import project_root, read_source


def best_of_three(stage) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        stage()
        best = min(best, time.process_time() - start)
    return round(best, 3)


def main(tree: str) -> None:
    gc.set_threshold(20_000, 10, 10)  # as `hubsave check`
    files = dict(iter_files([tree]))
    options = CheckSettings()
    texts = {path: read_source(path)[0] or "" for path in files}
    screen = _screen(len(RULES))
    hits = [path for path in files if screen.found(texts[path])]
    plain = [path for path in files if path not in set(hits)]
    jobs = {path: CheckJob(path, options.for_path(path, frozenset(), []), False, project_root(path), kind=kind)
            for path, kind in files.items()}
    print(f"{len(files)} files, {len(hits)} with a trigger")
    stages = {
        "read every file": lambda: [read_source(path) for path in files],
        "screen every file": lambda: [screen.found(text) for text in texts.values()],
        "ast.parse, files with a trigger": lambda: [ast.parse(texts[path]) and None for path in hits],
        "analyze, files with a trigger": lambda: [analyze(texts[path], path, jobs[path].settings) and None for path in hits],
        "check_file, files with a trigger": lambda: [check_file(jobs[path]) and None for path in hits],
        "check_file, files without": lambda: [check_file(jobs[path]) and None for path in plain],
    }
    for name, stage in stages.items():
        print(f"{name:<36} {best_of_three(stage):.3f} s CPU")


if __name__ == "__main__":
    main(sys.argv[1])
