"""A slow, broken, absent or refusing Hub becomes a clear message, within the timeout."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest

from hubsave.hub import HubService
from tests.hubstub import Fault
from tests.hubstub.fixture import HubEnv
from tests.hubstub.scenario import ALICE_WRITE


async def test_delay_answers_did_not_answer_within_timeout(hub_env: HubEnv) -> None:
    hub_env.login(ALICE_WRITE)
    hub_env.hub.add_fault(Fault(path="*", delay=5))
    svc = HubService(endpoint=hub_env.endpoint, timeout=1.0)
    try:
        started = time.monotonic()
        facts, state = await asyncio.gather(svc.repo_info("alice/qwen-sft"), svc.whoami())
        elapsed = time.monotonic() - started
    finally:
        svc.close()
    assert 0.9 <= elapsed < 5, elapsed  # gave up at the 1 s timeout, not at the 5 s answer
    for problem in (facts.problem, state.problem):
        assert problem is not None
        assert (problem.kind, problem.message) == ("timeout", "Hub did not answer within 1 s")
    assert facts.exists is None


async def test_delay_does_not_block_the_event_loop(hub_env: HubEnv) -> None:
    hub_env.hub.add_fault(Fault(path="*", delay=5))
    svc = HubService(endpoint=hub_env.endpoint, timeout=1.0)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    try:
        await svc.repo_info("alice/qwen-sft")
    finally:
        ticker.cancel()
        svc.close()
    assert ticks >= 50  # ~100 in 1 s if the loop kept running


async def test_hub_down_connection_refused(hub_env: HubEnv) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    svc = HubService(endpoint=f"http://127.0.0.1:{port}", timeout=2.0)
    hub_env.login(ALICE_WRITE)
    try:
        started = time.monotonic()
        verdict = await svc.push_check("alice/qwen-sft")
        assert time.monotonic() - started < 2.0  # refused, not waited out (the timeout is 2 s)
        facts = await svc.repo_info("alice/qwen-sft")
    finally:
        svc.close()
    assert facts.problem is not None and facts.problem.kind == "unavailable"
    assert facts.problem.message == f"cannot reach the Hub at http://127.0.0.1:{port} (connection refused or no network)"
    assert verdict.outcome == "unknown" and "could not check your Hub login: cannot reach the Hub" in verdict.message


async def test_offline_sends_nothing(hub_env: HubEnv, service: HubService, monkeypatch: pytest.MonkeyPatch) -> None:
    hub_env.login(ALICE_WRITE)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    state = await service.whoami()
    facts = await service.repo_info("alice/qwen-sft")
    verdict = await service.reference_check("trl-lib/Capybara", "dataset")
    assert state.problem is not None and state.problem.kind == "offline"
    assert facts.problem is not None and facts.problem.message == "HF_HUB_OFFLINE is set: hubsave does not contact the Hub"
    assert verdict.outcome == "unknown"
    assert hub_env.hub.count() == 0


async def test_disabled_sends_nothing(hub_env: HubEnv) -> None:
    hub_env.login(ALICE_WRITE)
    svc = HubService(endpoint=hub_env.endpoint, enabled=False)
    state = await svc.whoami()
    verdict = await svc.push_check("alice/qwen-sft")
    assert state.problem is not None and state.problem.kind == "disabled"
    assert state.to_json()["error"] == "Hub lookups are turned off (hubsave.hub.enabled is false)"
    assert verdict.outcome == "unknown"
    svc.configure(enabled=True)
    assert (await svc.whoami()).logged_in
    assert hub_env.hub.count() == 1  # only after enabling


@pytest.mark.parametrize(("fault", "kind", "message"), [
    (Fault(status=401, error_message="Invalid credentials in Authorization header"), "unauthorized",
     "the Hub rejected your token (401 Unauthorized): log in again with `hf auth login` or fix HF_TOKEN"),
    (Fault(status=403, error_message="Forbidden"), "forbidden", "the Hub refused access (403 Forbidden)"),
    (Fault(status=500), "unavailable", "the Hub answered 500 (server error); try again later"),
    (Fault(status=503), "unavailable", "the Hub answered 503 (server error); try again later"),
    (Fault(malformed=True), "bad_response", "the Hub sent an answer hubsave cannot read"),
    (Fault(close=True), "unavailable", "the Hub closed the connection without answering"),
])
async def test_http_faults_on_repo_info(hub_env: HubEnv, service: HubService, fault: Fault, kind: str, message: str) -> None:
    hub_env.login(ALICE_WRITE)
    fault.path = "/api/models/*"
    hub_env.hub.add_fault(fault)
    facts = await service.repo_info("alice/qwen-sft")
    assert facts.exists is None and facts.problem is not None
    assert (facts.problem.kind, facts.problem.message) == (kind, message)
    verdict = await service.push_check("alice/qwen-sft")
    assert verdict.outcome == "unknown" and verdict.message == f"could not check alice/qwen-sft: {message}"


@pytest.mark.parametrize(("fault", "kind"), [
    (Fault(status=500), "unavailable"), (Fault(malformed=True), "bad_response"), (Fault(close=True), "unavailable"),
])
async def test_http_faults_on_whoami(hub_env: HubEnv, service: HubService, fault: Fault, kind: str) -> None:
    hub_env.login(ALICE_WRITE)
    fault.path = "/api/whoami-v2"
    hub_env.hub.add_fault(fault)
    state = await service.whoami()
    assert state.login is None and state.problem is not None and state.problem.kind == kind


async def test_404_without_error_code_is_not_taken_for_missing(hub_env: HubEnv, service: HubService) -> None:
    hub_env.hub.add_fault(Fault(path="/api/models/*", status=404))  # a proxy's 404, not the Hub's RepoNotFound
    facts = await service.repo_info("alice/qwen-sft")
    assert facts.exists is None and facts.problem is not None and facts.problem.message == "the Hub answered 404"


async def test_gated_error_code_on_info(hub_env: HubEnv, service: HubService) -> None:
    hub_env.hub.add_fault(Fault(path="/api/models/*", status=403, error_code="GatedRepo"))
    facts = await service.repo_info("google/gemma-gated")
    assert (facts.exists, facts.gated, facts.gated_access, facts.problem) == (True, True, False, None)


async def test_429_backs_off_for_retry_after_then_recovers(hub_env: HubEnv) -> None:
    hub_env.login(ALICE_WRITE)
    hub_env.hub.add_fault(Fault(path="/api/models/*", status=429, retry_after=1, times=1))
    svc = HubService(endpoint=hub_env.endpoint, timeout=2.0)
    try:
        first = await svc.repo_info("alice/qwen-sft")
        assert first.problem is not None and first.problem.kind == "rate_limited"
        assert first.problem.retry_after == 1.0
        for repo_id in ("alice/qwen-sft", "bob/llama-dpo", "acme/shared-model"):  # no hammering, any repo
            again = await svc.repo_info(repo_id)
            assert again.problem is not None and again.problem.kind == "rate_limited"
            assert again.problem.message.startswith("the Hub asked hubsave to slow down (429): next try in ")
        assert hub_env.hub.count() == 1
        await asyncio.sleep(1.1)
        recovered = await svc.repo_info("alice/qwen-sft")
    finally:
        svc.close()
    assert recovered.exists is True and recovered.problem is None
    assert hub_env.hub.count() == 2


async def test_429_without_retry_after_waits_30_s(hub_env: HubEnv, service: HubService) -> None:
    hub_env.hub.add_fault(Fault(path="*", status=429))
    facts = await service.repo_info("alice/qwen-sft")
    assert facts.problem is not None and facts.problem.retry_after == 30.0
    later = await service.repo_info("bob/llama-dpo")
    assert later.problem is not None and later.problem.kind == "rate_limited"
    assert hub_env.hub.count() == 1


async def test_invalid_repo_id_sends_nothing(hub_env: HubEnv, service: HubService) -> None:
    facts = await service.repo_info("a/b/c")
    assert facts.problem is not None and facts.problem.kind == "invalid"
    assert hub_env.hub.count() == 0


def test_worker_threads_give_up_at_the_timeout_too(hub_env: HubEnv) -> None:
    """whoami() and auth_check() take no timeout argument: the shared client must carry it,
    or a hung Hub would hold a worker thread after the service stopped waiting."""
    from hubsave.hub.fetch import fetch_login, fetch_repo

    hub_env.login(ALICE_WRITE)
    hub_env.hub.add_fault(Fault(path="/api/whoami-v2", delay=5))
    hub_env.hub.add_fault(Fault(path="*/auth-check", delay=5))
    started = time.monotonic()
    state = fetch_login(hub_env.endpoint, 1.0)
    assert time.monotonic() - started < 5  # gave up at the 1 s timeout, not at the 5 s answer
    assert state.problem is not None and state.problem.kind == "timeout"
    started = time.monotonic()
    facts = fetch_repo(hub_env.endpoint, "google/gemma-gated", "model", 1.0)
    assert time.monotonic() - started < 5  # gave up at the 1 s timeout, not at the 5 s answer
    assert (facts.exists, facts.gated, facts.gated_access, facts.problem) == (True, True, None, None)


async def test_odd_whoami_shape_is_a_bad_response(hub_env: HubEnv, service: HubService) -> None:
    from tests.hubstub import User

    class OddUser(User):
        def whoami_json(self) -> dict:
            return {**super().whoami_json(), "orgs": ["not-an-object"]}

    hub_env.hub.scenario.tokens["hf_stubOddShapeToken00000000000000000005"] = OddUser("odd")
    hub_env.login("hf_stubOddShapeToken00000000000000000005")
    state = await service.whoami()
    assert state.problem is not None and state.problem.kind == "bad_response"
