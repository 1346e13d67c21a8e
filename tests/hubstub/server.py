"""A small threaded HTTP server that answers like the Hugging Face Hub API.

Serves what hubsave asks through huggingface_hub 2.4.0:
  GET /api/whoami-v2
  GET /api/{models,datasets,spaces}/{id}[/revision/{rev}]   (``?expand=...`` honoured)
  GET /api/{models,datasets,spaces}/{id}/auth-check[/write]
with the headers ``hf_raise_for_status`` maps to exceptions (``X-Error-Code: RepoNotFound``
-> RepositoryNotFoundError, ``GatedRepo`` -> GatedRepoError, ``X-Error-Message``).
Every request is recorded (path, query, headers) so tests can assert on what was sent.
HTTP/1.0: one connection per request, so the request count is exactly what the client sent.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .scenario import REPO_TYPES, Fault, Repo, Scenario, User

log = logging.getLogger("hubstub")

INVALID_CREDENTIALS = "Invalid credentials in Authorization header"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)

    @property
    def authorization(self) -> str | None:
        return self.headers.get("authorization")


@dataclass
class _Reply:
    status: int
    body: object = None
    headers: dict[str, str] = field(default_factory=dict)


class StubHub:
    """The stand-in Hub. ``with StubHub(scenario) as hub: hub.endpoint`` -> http://127.0.0.1:PORT."""

    def __init__(self, scenario: Scenario | None = None, *, host: str = "127.0.0.1", port: int = 0):
        self.scenario = scenario or Scenario()
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer((host, port), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.hub = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> StubHub:
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), name="hubstub", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping in an injected delay
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> StubHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- test helpers -------------------------------------------------------------
    def add_fault(self, fault: Fault) -> None:
        with self._lock:
            self.scenario.faults.insert(0, fault)  # newest wins

    def clear_faults(self) -> None:
        with self._lock:
            self.scenario.faults.clear()

    def reset_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    def requests_to(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def count(self, path: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests if path is None or r.path == path)

    # -- request handling (called from handler threads) ------------------------------
    def _record(self, request: Request) -> Fault | None:
        with self._lock:
            self.requests.append(request)
            for fault in self.scenario.faults:
                if fault.matches(request.path):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    def _sleep(self, seconds: float) -> None:
        self._stopping.wait(seconds)

    def _route(self, request: Request) -> _Reply:
        token = _bearer(request.authorization)
        user = self.scenario.tokens.get(token) if token else None
        if token and user is None:
            return _error(401, INVALID_CREDENTIALS)
        if request.path == "/api/whoami-v2":
            if user is None:
                return _error(401, INVALID_CREDENTIALS)
            return _Reply(200, user.whoami_json())
        parsed = _parse_repo_path(request.path)
        if parsed is None:
            return _Reply(404, {"error": "Sorry, we can't find the page you are looking for."})
        repo_type, repo_id, action = parsed
        repo = self.scenario.find_repo(repo_type, repo_id)
        if repo is None or not _can_see(user, repo):
            return _error(404, "Repository not found", code="RepoNotFound")
        if action == "auth-check":
            if repo.gated and not _has_gated_access(user, repo):
                msg = (f"Access to {repo_type} {repo_id} is restricted. You must have access to it "
                       "and be authenticated to access it. Please log in.")
                return _error(401 if user is None else 403, msg, code="GatedRepo")
            return _Reply(200, {})
        if action == "auth-check/write":
            if user is None or not _is_member(user, repo.owner) or user.token_role == "read":
                return _error(403, "You don't have the rights to write to this repo")
            return _Reply(200, {})
        return _Reply(200, repo.info_json(request.query.get("expand", [])))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server_version = "hubstub/1"

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        hub: StubHub = self.server.hub  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        request = Request(
            method="GET",
            path=url.path,
            query=parse_qs(url.query),
            headers={k.lower(): v for k, v in self.headers.items()},
        )
        log.info("GET %s (authenticated: %s)", url.path, request.authorization is not None)
        fault = hub._record(request)
        if fault is not None and fault.delay:
            hub._sleep(fault.delay)
        if fault is not None and fault.close:
            self.close_connection = True  # answer nothing: the client sees a dropped connection
            return
        if fault is not None and fault.malformed:
            self._send(200, b'{"id": "broken", "private": tru', {"Content-Type": "application/json"})
            return
        if fault is not None and fault.status is not None:
            reply = _error(fault.status, fault.error_message or f"stand-in fault {fault.status}", code=fault.error_code)
            if fault.retry_after is not None:
                reply.headers["Retry-After"] = str(int(fault.retry_after))
        else:
            reply = hub._route(request)
        body = json.dumps(reply.body).encode()
        self._send(reply.status, body, {"Content-Type": "application/json", **reply.headers})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): nothing left to answer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # request lines go through `log` above, without headers


def _error(status: int, message: str, *, code: str | None = None) -> _Reply:
    headers = {"X-Error-Message": message}
    if code:
        headers["X-Error-Code"] = code
    return _Reply(status, {"error": message}, headers)


def _bearer(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def _parse_repo_path(path: str) -> tuple[str, str, str] | None:
    """/api/models/a/b[/revision/x|/auth-check[/write]] -> ("model", "a/b", action)."""
    for repo_type in REPO_TYPES:
        prefix = f"/api/{repo_type}s/"
        if not path.startswith(prefix):
            continue
        rest = path[len(prefix):]
        action = "info"
        for suffix in ("/auth-check/write", "/auth-check"):
            if rest.endswith(suffix):
                rest, action = rest[: -len(suffix)], suffix[1:]
                break
        rest = rest.split("/revision/", 1)[0]
        return (repo_type, rest, action) if rest else None
    return None


def _is_member(user: User, namespace: str) -> bool:
    return user.name == namespace or namespace in user.orgs


def _can_see(user: User | None, repo: Repo) -> bool:
    return not repo.private or (user is not None and _is_member(user, repo.owner))


def _has_gated_access(user: User | None, repo: Repo) -> bool:
    if user is None:
        return False
    if _is_member(user, repo.owner):
        return True
    if user.token_role == "fineGrained" and not user.can_read_gated:
        return False
    return user.name in repo.access
