"""HubService: the asyncio face of the Hub layer, used by the language server.

Hub calls run in a small thread pool, never on the event loop, and always answer within
``timeout`` (plus a little grace). Answers are cached with TTLs (shorter for "not found"
and shorter still for failures); concurrent asks for one repo share one request; a 429
pauses all Hub requests for its Retry-After. With ``enabled=False`` or HF_HUB_OFFLINE
nothing is sent, and huggingface_hub is not even imported until the first real call.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from .cache import SingleFlightCache
from .facts import HubProblem, LoginState, RepoFacts, RepoType
from .verdict import PushVerdict, ReferenceVerdict, push_verdict, reference_verdict, resolve_repo_id

log = logging.getLogger("hubsave.hub")

DEFAULT_ENDPOINT = "https://huggingface.co"
GRACE = 0.25  # seconds past the timeout before the service stops waiting on a worker
MAX_BACKOFF = 600.0
_KEEP: Any = object()
R = TypeVar("R", LoginState, RepoFacts)


class HubService:
    def __init__(self, *, enabled: bool = True, timeout: float = 3.0, endpoint: str | None = None,
                 ttl: float = 300.0, negative_ttl: float = 60.0, error_ttl: float = 15.0,
                 workers: int = 4, clock: Callable[[], float] = time.monotonic):
        self.enabled = enabled
        self.timeout = timeout
        self._endpoint = endpoint
        self.ttl, self.negative_ttl, self.error_ttl = ttl, negative_ttl, error_ttl
        self._workers = workers
        self._clock = clock
        self._cache: SingleFlightCache[LoginState | RepoFacts] = SingleFlightCache(clock)
        self._pool: ThreadPoolExecutor | None = None
        self._backoff_until = 0.0
        self._rate_limited_in_a_row = 0

    @classmethod
    def from_settings(cls, hub: Mapping[str, Any]) -> HubService:
        """From the ``hub`` settings object: {"enabled": bool, "timeout": seconds, "endpoint": url}."""
        return cls(enabled=hub.get("enabled") is not False, timeout=float(hub.get("timeout") or 3.0),
                   endpoint=hub.get("endpoint") or None)

    def configure(self, *, enabled: bool | None = None, timeout: float | None = None,
                  endpoint: str | None = _KEEP) -> None:
        """Apply changed settings; any change drops cached answers."""
        before = (self.enabled, self.timeout, self._endpoint)
        if enabled is not None:
            self.enabled = enabled
        if timeout is not None:
            self.timeout = timeout
        if endpoint is not _KEEP:
            self._endpoint = endpoint
        if (self.enabled, self.timeout, self._endpoint) != before:
            self._cache.clear()

    @property
    def endpoint(self) -> str:
        """The explicit endpoint, else HF_ENDPOINT as set in this process now, else huggingface.co."""
        return (self._endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")

    def invalidate(self) -> None:
        """Forget every answer (e.g. after `hf auth login`)."""
        self._cache.clear()

    async def warm_up(self) -> None:
        """Import huggingface_hub in a worker, sending nothing: the first hover then skips ~0.4 s."""
        if self.enabled:
            from .fetch import load_hf

            await asyncio.get_running_loop().run_in_executor(self._executor(), load_hf)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    # -- non-blocking cache reads ------------------------------------------------------
    def peek_login(self) -> LoginState | None:
        return self._cache.peek(("login", self.endpoint))  # type: ignore[return-value]

    def peek_repo(self, repo_id: str, repo_type: RepoType = "model") -> RepoFacts | None:
        return self._cache.peek(("repo", self.endpoint, repo_type, repo_id))  # type: ignore[return-value]

    def peek_push(self, repo_id: str, repo_type: RepoType = "model") -> PushVerdict | None:
        """The push verdict if both the login and the repo are cached, else None."""
        login = self.peek_login()
        if login is None:
            return None
        full_id, namespace = resolve_repo_id(repo_id, login.login)
        facts = self.peek_repo(full_id, repo_type) if namespace else None
        if namespace and facts is None:
            return None
        return push_verdict(repo_id, login, facts)

    def peek_reference(self, repo_id: str, repo_type: RepoType = "model") -> ReferenceVerdict | None:
        login, facts = self.peek_login(), self.peek_repo(repo_id, repo_type)
        if login is None or facts is None:
            return None
        return reference_verdict(repo_id, repo_type, login, facts)

    # -- asking the Hub ------------------------------------------------------------------
    async def whoami(self) -> LoginState:
        endpoint = self.endpoint
        refusal = self._refusal()
        if refusal is not None:
            return LoginState(endpoint, problem=refusal)
        from .fetch import fetch_login

        return await self._cache.get(  # type: ignore[return-value]
            ("login", endpoint),
            lambda: self._call(lambda: fetch_login(endpoint, self.timeout),
                               lambda p: LoginState(endpoint, problem=p)),
            self._ttl_of,
        )

    async def repo_info(self, repo_id: str, repo_type: RepoType = "model") -> RepoFacts:
        endpoint = self.endpoint

        def failed(problem: HubProblem) -> RepoFacts:
            return RepoFacts(repo_id, repo_type, endpoint, exists=None, problem=problem, checked_at=time.time())

        refusal = self._refusal()
        if refusal is not None:
            return failed(refusal)
        from .fetch import fetch_repo

        return await self._cache.get(  # type: ignore[return-value]
            ("repo", endpoint, repo_type, repo_id),
            lambda: self._call(lambda: fetch_repo(endpoint, repo_id, repo_type, self.timeout), failed),
            self._ttl_of,
        )

    async def push_check(self, repo_id: str, repo_type: RepoType = "model") -> PushVerdict:
        """Will a push to ``repo_id`` (``name`` alone: the login's namespace) work?"""
        if "/" in repo_id:
            login, facts = await asyncio.gather(self.whoami(), self.repo_info(repo_id, repo_type))
            return push_verdict(repo_id, login, facts)
        login = await self.whoami()
        full_id, namespace = resolve_repo_id(repo_id, login.login)
        facts = await self.repo_info(full_id, repo_type) if namespace else None
        return push_verdict(repo_id, login, facts)

    async def reference_check(self, repo_id: str, repo_type: RepoType = "model") -> ReferenceVerdict:
        """Does a model/dataset id a script loads exist, and may this login read it?"""
        login, facts = await asyncio.gather(self.whoami(), self.repo_info(repo_id, repo_type))
        return reference_verdict(repo_id, repo_type, login, facts)

    # -- internals ---------------------------------------------------------------------
    def _refusal(self) -> HubProblem | None:
        """Reasons not to send anything at all."""
        if not self.enabled:
            return HubProblem("disabled", "Hub lookups are turned off (hubsave.hub.enabled is false)")
        from .fetch import is_offline

        if is_offline():
            return HubProblem("offline", "HF_HUB_OFFLINE is set: hubsave does not contact the Hub")
        return None

    async def _call(self, work: Callable[[], R], failed: Callable[[HubProblem], R]) -> R:
        wait = self._backoff_until - self._clock()
        if wait > 0:
            message = f"the Hub asked hubsave to slow down (429): next try in {wait:.0f} s"
            return failed(HubProblem("rate_limited", message, retry_after=wait))
        timeout = self.timeout
        running = asyncio.get_running_loop().run_in_executor(self._executor(), work)
        try:
            result = await asyncio.wait_for(running, timeout + GRACE)
        except asyncio.TimeoutError:  # (not the builtin before 3.11) the worker's late answer is dropped
            result = failed(HubProblem("timeout", f"Hub did not answer within {timeout:g} s"))
        self._note_rate_limit(result.problem)
        return result

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="hubsave-hub")
        return self._pool

    def _note_rate_limit(self, problem: HubProblem | None) -> None:
        if problem is None or problem.kind != "rate_limited":
            self._rate_limited_in_a_row = 0
            return
        self._rate_limited_in_a_row += 1
        pause = min(MAX_BACKOFF, (problem.retry_after or 30.0) * 2 ** (self._rate_limited_in_a_row - 1))
        self._backoff_until = self._clock() + pause
        log.info("Hub rate limit (429): no Hub requests for %.0f s", pause)

    def _ttl_of(self, result: LoginState | RepoFacts) -> float:
        problem = result.problem
        if problem is None:
            found = result.login is not None if isinstance(result, LoginState) else result.exists
            return self.ttl if found else self.negative_ttl
        if problem.kind in ("unauthorized", "forbidden", "invalid"):
            return self.negative_ttl
        if problem.kind in ("timeout", "unavailable", "bad_response"):
            return self.error_ttl
        return 0.0  # rate_limited/offline/disabled: the gates above answer without a request
