"""Reading the client's messages from stdin on the event loop itself.

pygls 2.1 reads stdin in a worker thread, one `readline`/`read` per call, each
handed back to the loop: every message costs two thread round trips, and a burst
of changes arrives one loop iteration at a time, so the server cannot tell a
burst (coalesce it) from a single edit (answer it at once) except by waiting a few
milliseconds after every change. Read through an asyncio pipe instead, the
messages that are already waiting are all handled before the loop runs anything
else: a change that arrives with nothing pending is answered at once, and the
changes queued behind one are analysed once, at the newest version
(`debounce.Debouncer`).

Used where stdin is a pipe of its own (how editors start a server); elsewhere
(Windows, a terminal, stdin and stdout on one socket) pygls's reader is kept.
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import sys
import threading
from typing import BinaryIO

from pygls.io_ import StdoutWriter, run_async

log = logging.getLogger(__name__)


def pipe_reader_possible(stdin: BinaryIO, stdout: BinaryIO) -> bool:
    """stdin is a pipe or socket not shared with stdout: making it non-blocking (what
    an asyncio pipe does) cannot make a write to stdout fail."""
    if sys.platform == "win32":
        return False
    try:
        fd_in, fd_out = stdin.fileno(), stdout.fileno()
        mode = os.fstat(fd_in).st_mode
        return (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)) and not os.path.sameopenfile(fd_in, fd_out)
    except (OSError, ValueError, AttributeError):
        return False


def serve(server, stdin: BinaryIO, stdout: BinaryIO) -> None:
    """pygls's `start_io`, with the client's messages read on the event loop."""
    server._stop_event = stop = threading.Event()  # pygls's shutdown() sets it
    server.protocol.set_writer(StdoutWriter(stdout))

    async def read_messages() -> None:
        reader = asyncio.StreamReader()
        await asyncio.get_running_loop().connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), stdin)
        await run_async(stop_event=stop, reader=reader, protocol=server.protocol, logger=log,
                        error_handler=server.report_server_error)

    try:
        asyncio.run(read_messages())
    except (BrokenPipeError, asyncio.IncompleteReadError):  # the client went away mid-message
        log.error("Connection to the client is lost! Shutting down the server.")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()
