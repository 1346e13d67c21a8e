"""One request per TTL per repo, one request in flight, fast peeks."""

from __future__ import annotations

import asyncio

from hubsave.hub import HubService
from tests.hubstub import Fault
from tests.hubstub.fixture import HubEnv
from tests.hubstub.scenario import ALICE_WRITE


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_repeated_lookups_make_one_request_per_ttl(hub_env: HubEnv) -> None:
    hub_env.login(ALICE_WRITE)
    clock = Clock()
    svc = HubService(endpoint=hub_env.endpoint, ttl=300, negative_ttl=60, clock=clock)
    path = "/api/models/alice/qwen-sft"
    try:
        for _ in range(20):
            assert (await svc.push_check("alice/qwen-sft")).outcome == "push"
        assert (hub_env.hub.count(path), hub_env.hub.count("/api/whoami-v2")) == (1, 1)
        clock.now += 299
        await svc.repo_info("alice/qwen-sft")
        assert hub_env.hub.count(path) == 1
        clock.now += 2  # past the TTL
        for _ in range(5):
            await svc.repo_info("alice/qwen-sft")
        assert hub_env.hub.count(path) == 2
    finally:
        svc.close()


async def test_not_found_uses_the_shorter_negative_ttl(hub_env: HubEnv) -> None:
    clock = Clock()
    svc = HubService(endpoint=hub_env.endpoint, ttl=300, negative_ttl=60, clock=clock)
    path = "/api/datasets/nobody/missing"
    try:
        for _ in range(3):
            assert (await svc.repo_info("nobody/missing", "dataset")).exists is False
        clock.now += 61
        await svc.repo_info("nobody/missing", "dataset")
    finally:
        svc.close()
    assert hub_env.hub.count(path) == 2


async def test_failures_are_cached_briefly(hub_env: HubEnv) -> None:
    clock = Clock()
    svc = HubService(endpoint=hub_env.endpoint, error_ttl=15, clock=clock)
    hub_env.hub.add_fault(Fault(path="*", status=500, times=1))
    try:
        assert (await svc.repo_info("bob/llama-dpo")).problem is not None
        assert (await svc.repo_info("bob/llama-dpo")).problem is not None  # cached failure, no request
        assert hub_env.hub.count() == 1
        clock.now += 16
        assert (await svc.repo_info("bob/llama-dpo")).exists is True
    finally:
        svc.close()
    assert hub_env.hub.count() == 2


async def test_single_flight_ten_concurrent_calls_one_request(hub_env: HubEnv, service: HubService) -> None:
    hub_env.login(ALICE_WRITE)
    hub_env.hub.add_fault(Fault(path="*", delay=0.3))  # keep the first request in flight
    results = await asyncio.gather(*(service.repo_info("bob/llama-dpo") for _ in range(10)),
                                   *(service.whoami() for _ in range(10)))
    assert all(r.problem is None for r in results)
    assert len({id(r) for r in results[:10]}) == 1  # everyone got the one answer
    assert hub_env.hub.count("/api/models/bob/llama-dpo") == 1
    assert hub_env.hub.count("/api/whoami-v2") == 1


async def test_a_cancelled_caller_does_not_cancel_the_shared_request(hub_env: HubEnv, service: HubService) -> None:
    hub_env.hub.add_fault(Fault(path="*", delay=0.3))
    first = asyncio.ensure_future(service.repo_info("bob/llama-dpo"))
    second = asyncio.ensure_future(service.repo_info("bob/llama-dpo"))
    await asyncio.sleep(0.05)
    first.cancel()  # the editor cancelled this hover
    facts = await second
    assert facts.exists is True
    assert service.peek_repo("bob/llama-dpo") is facts
    assert hub_env.hub.count() == 1


async def test_peek_never_asks(hub_env: HubEnv, service: HubService) -> None:
    hub_env.login(ALICE_WRITE)
    assert service.peek_login() is None and service.peek_repo("alice/qwen-sft") is None
    assert service.peek_push("alice/qwen-sft") is None
    assert hub_env.hub.count() == 0
    verdict = await service.push_check("alice/qwen-sft")
    assert service.peek_push("alice/qwen-sft") == verdict
    assert service.peek_push("qwen-sft") == verdict  # bare name resolves with the cached login
    await service.reference_check("meta-llama/Llama-3.1-8B")
    peeked = service.peek_reference("meta-llama/Llama-3.1-8B")
    assert peeked is not None and peeked.outcome == "gated"


async def test_settings_change_drops_the_cache(hub_env: HubEnv, service: HubService) -> None:
    await service.repo_info("bob/llama-dpo")
    service.configure(timeout=2.0)  # unchanged: keep
    await service.repo_info("bob/llama-dpo")
    assert hub_env.hub.count() == 1
    service.configure(timeout=1.5)
    assert service.peek_repo("bob/llama-dpo") is None
    await service.repo_info("bob/llama-dpo")
    assert hub_env.hub.count() == 2


async def test_endpoint_follows_hf_endpoint_unless_set(hub_env: HubEnv, monkeypatch) -> None:
    svc = HubService()
    assert svc.endpoint == hub_env.endpoint  # from HF_ENDPOINT, read now
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9/")
    assert svc.endpoint == "http://127.0.0.1:9"
    monkeypatch.delenv("HF_ENDPOINT")
    assert svc.endpoint == "https://huggingface.co"
    assert HubService(endpoint="http://127.0.0.1:1").endpoint == "http://127.0.0.1:1"
    assert HubService.from_settings({"enabled": False, "timeout": 1, "endpoint": "http://127.0.0.1:2"}).endpoint == "http://127.0.0.1:2"


async def test_cache_stays_bounded_dropping_expired_then_oldest() -> None:
    from hubsave.hub.cache import SingleFlightCache

    clock = Clock()
    cache: SingleFlightCache[int] = SingleFlightCache(clock, max_entries=3)
    cache.put("old", 1, ttl=10)
    cache.put("a", 2, ttl=100)
    cache.put("b", 3, ttl=100)
    clock.now += 11  # "old" expired
    cache.put("c", 4, ttl=100)
    assert [cache.peek(k) for k in ("old", "a", "b", "c")] == [None, 2, 3, 4]
    cache.put("d", 5, ttl=100)  # full of fresh entries: the oldest ("a") goes
    assert [cache.peek(k) for k in ("a", "b", "c", "d")] == [None, 3, 4, 5]
