"""Blocking calls into huggingface_hub (run in worker threads by HubService).

huggingface_hub is imported here, lazily: the server answers ``initialize`` without it.
Exceptions become ``HubProblem``s with short messages; no message ever holds a token.
"""

from __future__ import annotations

import functools
import importlib.metadata
import logging
import os
import re
import sys
import threading
import time
from datetime import datetime
from types import ModuleType
from typing import Any

from .facts import HubProblem, Login, LoginState, OrgRole, RepoFacts, RepoType, TokenScope

log = logging.getLogger("hubsave.hub")

# Only the properties hubsave shows: keeps answers small (no file lists).
EXPAND: dict[str, list[str]] = {
    "model": ["author", "private", "gated", "disabled", "lastModified", "downloads", "likes"],
    "dataset": ["author", "private", "gated", "disabled", "lastModified", "downloads", "likes"],
    "space": ["author", "private", "disabled", "lastModified", "likes"],
}
LOGIN_AGAIN = "log in again with `hf auth login` or fix HF_TOKEN"
DEFAULT_RETRY_AFTER = 30.0
_TOKEN_LIKE = re.compile(r"hf_[A-Za-z0-9]{8,}")
_client_lock = threading.Lock()
_client_timeout: float | None = None


def load_hf() -> ModuleType:
    """Import huggingface_hub; the first import happens with telemetry off.

    With telemetry on, building headers fetches ``/api/agent-harnesses`` from the endpoint
    read at import (not ours) and reports installed packages in the User-Agent.
    """
    if "huggingface_hub" not in sys.modules:
        os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    import huggingface_hub

    return huggingface_hub


def is_offline() -> bool:
    """HF_HUB_OFFLINE as set now (huggingface_hub itself only reads it at import)."""
    value = os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE") or ""
    if value.upper() in {"1", "ON", "YES", "TRUE"}:
        return True
    constants = sys.modules.get("huggingface_hub.constants")
    return bool(constants is not None and constants.HF_HUB_OFFLINE)


def configure_timeout(timeout: float) -> None:
    """Give huggingface_hub's shared httpx2 client a timeout.

    ``whoami`` and ``auth_check`` take no timeout argument and the default client has none,
    so without this a hung Hub would hold a worker thread forever.
    """
    global _client_timeout
    with _client_lock:
        if _client_timeout == timeout:
            return
        from huggingface_hub.utils import _http

        def factory() -> Any:
            client = _http.default_client_factory()
            client.timeout = timeout
            return client

        load_hf().set_client_factory(factory)
        _client_timeout = timeout


@functools.cache
def _hubsave_version() -> str:
    try:
        return importlib.metadata.version("hubsave")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _api(endpoint: str) -> Any:
    # library_name puts "hubsave/<version>" in the User-Agent: the Hub sees who asks.
    return load_hf().HfApi(endpoint=endpoint, library_name="hubsave", library_version=_hubsave_version())


def fetch_login(endpoint: str, timeout: float) -> LoginState:
    """whoami-v2 with the local login (HF_TOKEN or the token file), or 'not logged in'."""
    hf = load_hf()
    configure_timeout(timeout)
    started = time.monotonic()
    try:
        data = _api(endpoint).whoami()
        login = parse_whoami(data)
    except hf.errors.LocalTokenNotFoundError:
        log.debug("whoami: no local token, not logged in")
        return LoginState(endpoint)
    except Exception as exc:  # every failure becomes a message, never a crash
        problem = problem_from(exc, endpoint, timeout)
        log.debug("whoami -> %s (%.2f s)", problem.kind, time.monotonic() - started)
        return LoginState(endpoint, problem=problem)
    log.debug("whoami -> %s (%.2f s)", login.name, time.monotonic() - started)
    return LoginState(endpoint, login=login)


def parse_whoami(data: Any) -> Login:
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise ValueError("whoami answer without a name")
    token = ((data.get("auth") or {}).get("accessToken")) or {}
    fine = token.get("fineGrained") or {}
    scopes = tuple(
        TokenScope(
            entity_type=str((s.get("entity") or {}).get("type", "")),
            entity_name=str((s.get("entity") or {}).get("name", "")),
            permissions=tuple(str(p) for p in s.get("permissions") or ()),
        )
        for s in fine.get("scoped") or ()
    )
    return Login(
        name=data["name"],
        fullname=data.get("fullname"),
        type=data.get("type") or "user",
        orgs=tuple(OrgRole(o["name"], o.get("roleInOrg")) for o in data.get("orgs") or () if o.get("name")),
        token_role=token.get("role"),
        scopes=scopes,
        can_read_gated=fine.get("canReadGatedRepos") if fine else None,
    )


def fetch_repo(endpoint: str, repo_id: str, repo_type: RepoType, timeout: float) -> RepoFacts:
    """repo_info, plus auth_check for a gated repo (does this login have access?)."""
    hf = load_hf()
    configure_timeout(timeout)
    started = time.monotonic()
    base = {"repo_id": repo_id, "repo_type": repo_type, "endpoint": endpoint, "checked_at": time.time()}
    api = _api(endpoint)
    try:
        info = api.repo_info(repo_id, repo_type=repo_type, timeout=timeout, expand=EXPAND[repo_type])
        facts = RepoFacts(
            **base,
            exists=True,
            private=info.private,
            gated=bool(getattr(info, "gated", False)),
            gate=gated if isinstance(gated := getattr(info, "gated", None), str) else None,
            disabled=bool(info.disabled),
            author=info.author,
            last_modified=info.last_modified if isinstance(info.last_modified, datetime) else None,
            downloads=getattr(info, "downloads", None),
            likes=info.likes,
        )
    except hf.errors.GatedRepoError:
        facts = RepoFacts(**base, exists=True, gated=True, gated_access=False)
    except hf.errors.RepositoryNotFoundError:
        facts = RepoFacts(**base, exists=False)
    except hf.errors.DisabledRepoError:
        facts = RepoFacts(**base, exists=True, disabled=True)
    except Exception as exc:
        facts = RepoFacts(**base, exists=None, problem=problem_from(exc, endpoint, timeout))
    if facts.gated and facts.gated_access is None:
        facts = _with_gated_access(api, facts, hf)
    log.debug("%s %s -> %s (%.2f s)", repo_type, repo_id,
              facts.problem.kind if facts.problem else ("found" if facts.exists else "not found"),
              time.monotonic() - started)
    return facts


def _with_gated_access(api: Any, facts: RepoFacts, hf: ModuleType) -> RepoFacts:
    from dataclasses import replace

    try:
        api.auth_check(facts.repo_id, repo_type=facts.repo_type)
    except hf.errors.GatedRepoError:
        return replace(facts, gated_access=False)
    except Exception as exc:  # access unknown; the rest of the facts stand
        log.debug("auth-check %s -> %s", facts.repo_id, problem_from(exc, facts.endpoint, 0).kind)
        return facts
    return replace(facts, gated_access=True)


def problem_from(exc: BaseException, endpoint: str, timeout: float) -> HubProblem:
    import httpx2

    hf = load_hf()
    if isinstance(exc, hf.errors.OfflineModeIsEnabled):
        return HubProblem("offline", "HF_HUB_OFFLINE is set: hubsave does not contact the Hub")
    if isinstance(exc, hf.errors.HFValidationError):
        return HubProblem("invalid", scrub(f"not a valid repo id: {exc}"))
    if isinstance(exc, httpx2.TimeoutException):
        return HubProblem("timeout", f"Hub did not answer within {timeout:g} s")
    if isinstance(exc, httpx2.ConnectError):
        return HubProblem("unavailable", f"cannot reach the Hub at {endpoint} (connection refused or no network)")
    if isinstance(exc, httpx2.RemoteProtocolError):
        return HubProblem("unavailable", "the Hub closed the connection without answering")
    if isinstance(exc, httpx2.TransportError):
        return HubProblem("unavailable", f"network error talking to the Hub ({type(exc).__name__})")
    if isinstance(exc, hf.errors.HfHubHTTPError) and exc.response is not None:
        return _http_problem(exc.response)
    if isinstance(exc, (ValueError, TypeError, KeyError, AttributeError)):  # bad JSON, odd shapes
        return HubProblem("bad_response", "the Hub sent an answer hubsave cannot read")
    return HubProblem("unavailable", f"unexpected error asking the Hub ({type(exc).__name__})")


def _http_problem(response: Any) -> HubProblem:
    status = response.status_code
    if status == 401:
        return HubProblem("unauthorized", f"the Hub rejected your token (401 Unauthorized): {LOGIN_AGAIN}")
    if status == 403:
        return HubProblem("forbidden", "the Hub refused access (403 Forbidden)")
    if status == 429:
        wait = retry_after(response.headers)
        message = f"the Hub is rate-limiting requests (429): hubsave waits {wait:g} s before asking again"
        return HubProblem("rate_limited", message, retry_after=wait)
    if status >= 500:
        return HubProblem("unavailable", f"the Hub answered {status} (server error); try again later")
    return HubProblem("unavailable", f"the Hub answered {status}")


def retry_after(headers: Any) -> float:
    """Seconds from ``Retry-After`` or the ``RateLimit`` header; 30 s when neither says."""
    value = (headers.get("Retry-After") or "").strip()
    if value.isdigit():
        return float(value)
    info = load_hf().utils.parse_ratelimit_headers(headers)
    if info is not None and info.remaining == 0:
        return float(info.reset_in_seconds)
    return DEFAULT_RETRY_AFTER


def scrub(text: str) -> str:
    """Belt and braces: mask anything token-shaped before a message leaves this module."""
    return _TOKEN_LIKE.sub("hf_***", text)
