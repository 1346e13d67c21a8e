"""The login token goes in the Authorization header and nowhere else."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from hubsave.hub import HubService
from tests.hubstub import Fault, User
from tests.hubstub.fixture import HubEnv

FAKE = "hf_FakeSecretTokenForTests0123456789abcd"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(self.format(record))
        self.texts.append(repr(record.args))
        if record.exc_info:
            self.texts.append(logging.Formatter().formatException(record.exc_info))


@pytest.fixture
def captured_logs() -> Iterator[Capture]:
    """Everything logged at DEBUG by hubsave, huggingface_hub and httpx2."""
    capture = Capture()
    loggers = [logging.getLogger(name) for name in ("", "hubsave", "huggingface_hub", "httpx2", "httpcore")]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(capture)
        lg.setLevel(logging.DEBUG)
    yield capture
    for lg, level in saved:
        lg.removeHandler(capture)
        lg.setLevel(level)


async def test_token_only_in_authorization_header(hub_env: HubEnv, captured_logs: Capture) -> None:
    hub = hub_env.hub
    hub.scenario.tokens[FAKE] = User("carol", orgs={"acme": "write"})
    hub_env.login(FAKE)
    seen: list[object] = []
    svc = HubService(endpoint=hub.endpoint, timeout=0.5)
    try:
        seen.append(await svc.whoami())
        for repo_id in ("carol/new", "bob/llama-dpo", "acme/shared-model", "readers/frozen-model", "qwen-x"):
            seen.append(await svc.push_check(repo_id))
        seen.append(await svc.reference_check("meta-llama/Llama-3.1-8B"))
        seen.append(await svc.reference_check("nobody/none", "dataset"))
        for i, fault in enumerate([Fault(status=401, error_message="Invalid credentials in Authorization header"),
                                   Fault(status=403), Fault(status=500), Fault(malformed=True),
                                   Fault(close=True), Fault(delay=2), Fault(status=429, retry_after=0)]):
            fault.path = f"/api/models/carol/fault{i}"
            hub.add_fault(fault)
            seen.append(await svc.repo_info(f"carol/fault{i}"))
        del hub.scenario.tokens[FAKE]  # now the Hub rejects the token (401 on whoami)
        svc.invalidate()
        seen.append(await svc.whoami())
        seen.append(svc.peek_login())
        cache_dump = repr(svc._cache._entries)
    finally:
        svc.close()

    texts = [repr(x) for x in seen] + [str(getattr(x, "to_json", lambda: "")()) for x in seen]
    texts += [cache_dump, *captured_logs.texts]
    assert any("401 Unauthorized" in t for t in texts)  # the failures really happened
    assert any("Hub did not answer within 0.5 s" in t for t in texts)
    assert captured_logs.texts, "nothing was logged: the capture is not working"
    leaks = [t for t in texts if FAKE in t or FAKE[3:20] in t]
    assert leaks == []

    assert hub.count() >= 12
    for request in hub.requests:
        assert request.authorization == f"Bearer {FAKE}", request.path
        others = {k: v for k, v in request.headers.items() if k != "authorization"}
        assert FAKE not in f"{request.path} {request.query} {others}"


def test_user_agent_says_hubsave_and_nothing_about_the_machine(hub_env: HubEnv) -> None:
    import asyncio

    svc = HubService(endpoint=hub_env.endpoint)
    try:
        asyncio.run(svc.repo_info("bob/llama-dpo"))
    finally:
        svc.close()
    (request,) = hub_env.hub.requests
    agent = request.headers["user-agent"]
    assert agent.startswith("hubsave/")
    assert "torch" not in agent and "agent/" not in agent  # telemetry stays off
    assert request.authorization is None
