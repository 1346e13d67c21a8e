"""`hubsave check` in one process under cProfile, so the profile sees the workers' work.

    python benchmarks/check_serial_profiled.py OUT.prof PATH...

hubsave check spreads files over worker processes when os.cpu_count() > 1, and a
profile of the parent would show only waiting. Reporting one core makes it check
serially in this process: the same work, all of it visible to the profiler.
"""

import cProfile
import os
import sys

os.cpu_count = lambda: 1

from hubsave.cli import main  # noqa: E402 - after the patch, as the CLI reads it at run time

if __name__ == "__main__":
    out, paths = sys.argv[1], sys.argv[2:]
    sys.stdout = open(os.devnull, "w")
    profiler = cProfile.Profile()
    try:
        profiler.runcall(main, ["check", *paths])
    finally:
        profiler.dump_stats(out)
