"""Run the stand-in Hub: ``python -m tests.hubstub --port 8765 [--scenario file.json]``.

Prints ``HF_ENDPOINT=http://127.0.0.1:PORT`` on stdout once it listens (editor e2e
scripts wait for that line), then serves until interrupted.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading

from .scenario import Scenario, default_scenario
from .server import StubHub


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.hubstub", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = any free port)")
    parser.add_argument("--scenario", help="scenario JSON (default: the built-in test scenario)")
    parser.add_argument("--dump-scenario", action="store_true", help="print the built-in scenario as JSON and exit")
    parser.add_argument("--quiet", action="store_true", help="do not log each request to stderr")
    args = parser.parse_args(argv)

    if args.dump_scenario:
        json.dump(default_scenario().to_dict(), sys.stdout, indent=2)
        print()
        return 0
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO,
                        format="hubstub: %(message)s", stream=sys.stderr)
    scenario = Scenario.from_json(args.scenario) if args.scenario else default_scenario()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with StubHub(scenario, port=args.port) as hub:
        print(f"HF_ENDPOINT={hub.endpoint}", flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
