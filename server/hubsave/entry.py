"""The `hubsave` command. A bare `hubsave lsp` (how editors start the server) goes
straight to the server: the checker's imports (argument parser, output formats, worker
processes, the results cache) would only delay the editor's `initialize`."""

from __future__ import annotations

import sys
from typing import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["lsp"]:
        from .lsp.server import create_server

        create_server().start_io()
        return 0
    from .cli import main as cli_main

    return cli_main(args)
