"""An in-memory TTL cache where concurrent misses for one key share one fetch."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class SingleFlightCache(Generic[V]):
    def __init__(self, clock: Callable[[], float] = time.monotonic, max_entries: int = 2048):
        self._clock = clock
        self._max_entries = max_entries
        self._entries: dict[Hashable, tuple[float, V]] = {}
        self._inflight: dict[Hashable, asyncio.Task[V]] = {}
        self._generation = 0  # bumped by clear(): answers to older questions are not stored

    def peek(self, key: Hashable) -> V | None:
        """The cached value if still fresh; never waits, never fetches."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            del self._entries[key]
            return None
        return entry[1]

    def put(self, key: Hashable, value: V, ttl: float) -> None:
        if ttl <= 0:
            return
        now = self._clock()
        if len(self._entries) >= self._max_entries:  # a long session hovering many ids
            self._entries = {k: e for k, e in self._entries.items() if e[0] > now}
            while len(self._entries) >= self._max_entries:
                del self._entries[next(iter(self._entries))]  # oldest first
        self._entries.pop(key, None)
        self._entries[key] = (now + ttl, value)

    def clear(self) -> None:
        self._entries.clear()
        self._generation += 1

    async def get(self, key: Hashable, fetch: Callable[[], Awaitable[V]], ttl_of: Callable[[V], float]) -> V:
        hit = self.peek(key)
        if hit is not None:
            return hit
        task = self._inflight.get(key)
        if task is None:
            task = asyncio.ensure_future(self._fetch(key, fetch, ttl_of, self._generation))
            self._inflight[key] = task
        # shield: a caller that is cancelled (a hover the client gave up on) leaves the
        # fetch running for the others and for the cache.
        return await asyncio.shield(task)

    async def _fetch(self, key: Hashable, fetch: Callable[[], Awaitable[V]],
                     ttl_of: Callable[[V], float], generation: int) -> V:
        try:
            value = await fetch()
            if generation == self._generation:
                self.put(key, value, ttl_of(value))
            return value
        finally:
            if self._inflight.get(key) is asyncio.current_task():
                del self._inflight[key]
