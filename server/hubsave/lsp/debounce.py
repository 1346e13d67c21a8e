"""Analyze when the edits pause: a burst of changes costs one analysis per document."""

from __future__ import annotations

import asyncio
from typing import Callable


class Debouncer:
    """Calls `run(key)` for every key changed since its last run, once no change (to any
    key) has come for `quiet` seconds; and for a key at the latest `max_wait` seconds
    after its first change not yet run, so edits that never pause still get diagnostics.

    Why not run right after each change (call_soon): pygls awaits every line it reads,
    so the loop ran the analysis between any two messages and a burst queued one
    analysis per change. Why a pause of all input rather than per document: a server
    slowed down by load sees each document's changes farther apart, and a per-document
    pause would again analyze every change while the backlog grows. A change after a
    pause is analyzed at once (the leading edge), so a single edit waits for nothing.

    Why a pause of only a few milliseconds: pygls reads the next queued message
    within it, so a burst still coalesces, while a person typing (tens of
    milliseconds between keys) gets diagnostics at once, not a tenth of a second late.
    """

    def __init__(self, run: Callable[[str], None], quiet: float = 0.008, max_wait: float = 0.25) -> None:
        self._run = run
        self.quiet, self.max_wait = quiet, max_wait
        # True when the messages already waiting are all handled before a timer can run
        # (stdio.py): then a change that finds nothing pending is no part of a burst,
        # and is analyzed at once even right after the last one.
        self.batched_reads = False
        self._pending: dict[str, float] = {}  # key -> time of its first change not yet run; oldest first
        self._last = 0.0  # time of the newest change
        self._timer: asyncio.TimerHandle | None = None
        self._when = 0.0
        self._everything_due = False

    def __contains__(self, key: str) -> bool:
        """`key` changed and has not been run since."""
        return key in self._pending

    def schedule(self, key: str) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        # Leading edge: a change after a pause (a person typing, an editor's single
        # edit) is analyzed at once; only the changes that follow it closely wait.
        idle = not self._pending and (self.batched_reads or now - self._last >= self.quiet)
        self._last = now
        self._pending.setdefault(key, now)
        self._arm(loop, immediately=idle)

    def _arm(self, loop: asyncio.AbstractEventLoop, immediately: bool = False) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._pending:
            return
        oldest = next(iter(self._pending.values()))
        self._everything_due = immediately or self._last + self.quiet <= oldest + self.max_wait
        self._when = self._last if immediately else min(self._last + self.quiet, oldest + self.max_wait)
        self._timer = loop.call_at(self._when, self._fire)

    def _fire(self) -> None:
        self._timer = None
        due = [k for k, first in self._pending.items() if self._everything_due or first + self.max_wait <= self._when]
        try:
            for key in due:
                del self._pending[key]
                self._run(key)
        finally:
            self._arm(asyncio.get_running_loop())
