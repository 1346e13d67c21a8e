"""Each hover outcome, asked through HubService -> huggingface_hub -> HTTP -> stand-in."""

from __future__ import annotations

import pytest

from hubsave.hub import HubService
from tests.hubstub.fixture import HubEnv
from tests.hubstub.scenario import ALICE_FINE, ALICE_READ, ALICE_WRITE, BOB_WRITE


async def test_whoami_parses_orgs_roles_and_token_role(hub_env: HubEnv, service: HubService) -> None:
    hub_env.login(ALICE_WRITE)
    state = await service.whoami()
    assert state.problem is None and state.login is not None
    login = state.login
    assert (login.name, login.fullname, login.type, login.token_role) == ("alice", "Alice Liddell", "user", "write")
    assert [(o.name, o.role) for o in login.orgs] == [
        ("acme", "write"), ("bigco", "admin"), ("readers", "read"), ("makers", "contributor")]
    assert login.writable_namespaces() == ["alice", "acme", "bigco", "makers"]
    assert state.to_json() == {
        "loggedIn": True, "name": "alice", "endpoint": hub_env.endpoint, "error": None,
        "orgs": [{"name": "acme", "role": "write"}, {"name": "bigco", "role": "admin"},
                 {"name": "readers", "role": "read"}, {"name": "makers", "role": "contributor"}],
    }


async def test_own_existing_repo_pushes_go_into_it(hub_env: HubEnv, service: HubService) -> None:
    hub_env.login(ALICE_WRITE)
    verdict = await service.push_check("alice/qwen-sft")
    assert verdict.outcome == "push"
    assert verdict.message.startswith("alice/qwen-sft exists (private, 12 downloads, 1 like, updated ")
    assert verdict.message.endswith("): pushes go into it")
    assert verdict.url == f"{hub_env.endpoint}/alice/qwen-sft"
    facts = await service.repo_info("alice/qwen-sft")
    assert (facts.exists, facts.private, facts.author, facts.downloads, facts.likes) == (True, True, "alice", 12, 1)
    assert facts.last_modified is not None and facts.last_modified.year == 2026


async def test_new_repo_will_be_created_under_login(hub_env: HubEnv, service: HubService) -> None:
    hub_env.login(ALICE_WRITE)
    verdict = await service.push_check("alice/brand-new")
    assert (verdict.outcome, verdict.message) == ("create", "alice/brand-new will be created on first push under alice")


async def test_bare_name_goes_into_login_namespace(hub_env: HubEnv, service: HubService) -> None:
    hub_env.login(ALICE_WRITE)
    verdict = await service.push_check("qwen-sft")
    assert (verdict.repo_id, verdict.namespace, verdict.outcome) == ("alice/qwen-sft", "alice", "push")
    assert hub_env.hub.count("/api/models/alice/qwen-sft") == 1


async def test_someone_elses_repo_is_403(hub_env: HubEnv, service: HubService) -> None:
    hub_env.login(ALICE_WRITE)
    verdict = await service.push_check("bob/llama-dpo")
    assert verdict.outcome == "forbidden"
    assert verdict.message == "bob/llama-dpo is owned by bob: your login alice cannot push here (403)"


async def test_someone_elses_private_repo_is_403_too(hub_env: HubEnv, service: HubService) -> None:
    hub_env.login(ALICE_WRITE)
    assert (await service.repo_info("bob/secret-model")).exists is False  # invisible to alice
    verdict = await service.push_check("bob/secret-model")
    assert verdict.outcome == "forbidden"
    assert "bob is neither your namespace nor one of your orgs: your login alice cannot create" in verdict.message


@pytest.mark.parametrize(("repo_id", "outcome", "text"), [
    ("acme/new-model", "create", "acme/new-model will be created on first push under org acme (your role: write)"),
    ("bigco/new-model", "create", "under org bigco (your role: admin)"),
    ("acme/shared-model", "push", "pushes go into it"),
    ("makers/team-model", "unknown", "where your role is contributor: pushes work only if you created it"),
])
async def test_org_you_can_write(hub_env: HubEnv, service: HubService, repo_id: str, outcome: str, text: str) -> None:
    hub_env.login(ALICE_WRITE)
    verdict = await service.push_check(repo_id)
    assert verdict.outcome == outcome
    assert text in verdict.message


async def test_org_you_can_only_read(hub_env: HubEnv, service: HubService) -> None:
    hub_env.login(ALICE_WRITE)
    verdict = await service.push_check("readers/frozen-model")
    assert verdict.outcome == "forbidden"
    assert verdict.message == "readers is an org where your login alice can only read: pushing to readers/frozen-model fails (403)"


async def test_read_token_cannot_push_even_to_own_repo(hub_env: HubEnv, service: HubService) -> None:
    hub_env.login(ALICE_READ)
    verdict = await service.push_check("alice/qwen-sft")
    assert verdict.outcome == "forbidden"
    assert verdict.message.startswith("your token is read-only: pushing to alice/qwen-sft fails (403)")


@pytest.mark.parametrize(("repo_id", "outcome"), [
    ("alice/qwen-sft", "push"),  # scoped: user alice has repo.write
    ("bigco/new", "create"),  # scoped: org bigco has repo.write
    ("acme/shared-model", "forbidden"),  # org acme scoped read-only
    ("makers/team-model", "forbidden"),  # org makers not in the token's scopes at all
])
async def test_fine_grained_token_scopes(hub_env: HubEnv, service: HubService, repo_id: str, outcome: str) -> None:
    hub_env.login(ALICE_FINE)
    state = await service.whoami()
    assert state.login is not None and state.login.token_role == "fineGrained"
    verdict = await service.push_check(repo_id)
    assert verdict.outcome == outcome, verdict.message
    if outcome == "forbidden":
        namespace = repo_id.split("/")[0]
        assert verdict.message.startswith(f"your fine-grained token has no write permission on {namespace}")


async def test_gated_model_with_access(hub_env: HubEnv, service: HubService) -> None:
    hub_env.login(ALICE_WRITE)
    verdict = await service.reference_check("meta-llama/Llama-3.1-8B")
    assert verdict.outcome == "gated"
    assert "gated (manual approval)" in verdict.message and verdict.message.endswith("your login has access")
    assert hub_env.hub.count("/api/models/meta-llama/Llama-3.1-8B/auth-check") == 1


async def test_gated_model_without_access(hub_env: HubEnv, service: HubService) -> None:
    hub_env.login(BOB_WRITE)
    verdict = await service.reference_check("meta-llama/Llama-3.1-8B")
    assert verdict.outcome == "no_access"
    assert verdict.message == "meta-llama/Llama-3.1-8B is gated and your login bob has no access yet: request it on its page"
    facts = await service.repo_info("meta-llama/Llama-3.1-8B")
    assert (facts.gated, facts.gate, facts.gated_access) == (True, "manual", False)


async def test_fine_grained_token_without_gated_permission(hub_env: HubEnv, service: HubService) -> None:
    hub_env.login(ALICE_FINE)
    assert (await service.reference_check("meta-llama/Llama-3.1-8B")).outcome == "no_access"


async def test_gated_model_without_login(hub_env: HubEnv, service: HubService) -> None:
    verdict = await service.reference_check("google/gemma-gated")
    assert verdict.outcome == "no_access"
    assert verdict.message.startswith("google/gemma-gated is gated: log in and request access")
    assert hub_env.hub.requests_to("/api/models/google/gemma-gated/auth-check")[0].authorization is None


async def test_missing_dataset(hub_env: HubEnv, service: HubService) -> None:
    hub_env.login(ALICE_WRITE)
    verdict = await service.reference_check("nobody/missing-set", "dataset")
    assert verdict.outcome == "missing"
    assert verdict.message == "dataset nobody/missing-set not found on the Hub (or private and your login alice cannot see it)"
    assert hub_env.hub.count("/api/datasets/nobody/missing-set") == 1


async def test_existing_dataset_and_space(hub_env: HubEnv, service: HubService) -> None:
    dataset = await service.reference_check("trl-lib/Capybara", "dataset")
    assert dataset.outcome == "ok" and dataset.url == f"{hub_env.endpoint}/datasets/trl-lib/Capybara"
    space = await service.repo_info("alice/demo", "space")
    assert (space.exists, space.likes, space.url) == (True, 2, f"{hub_env.endpoint}/spaces/alice/demo")
    assert hub_env.hub.requests_to("/api/spaces/alice/demo")[0].query["expand"] == [
        "author", "private", "disabled", "lastModified", "likes"]


async def test_no_login(hub_env: HubEnv, service: HubService) -> None:
    state = await service.whoami()
    assert (state.logged_in, state.problem) == (False, None)
    assert state.to_json()["loggedIn"] is False
    assert hub_env.hub.count("/api/whoami-v2") == 0  # huggingface_hub refuses before sending
    verdict = await service.push_check("alice/qwen-new")
    assert verdict.outcome == "unknown"
    assert "does not exist yet (or is private); not logged in to the Hub (run `hf auth login` or set HF_TOKEN)" in verdict.message
    public = await service.push_check("bob/llama-dpo")
    assert public.outcome == "unknown" and "cannot tell whether you may push" in public.message
    bare = await service.push_check("qwen-new")
    assert (bare.namespace, bare.outcome) == (None, "unknown")
    assert hub_env.hub.requests_to("/api/models/bob/llama-dpo")[0].authorization is None


async def test_invalid_token_is_reported_not_raised(hub_env: HubEnv, service: HubService) -> None:
    hub_env.login("hf_stubNobodyKnowsThisToken000000000009")
    state = await service.whoami()
    assert state.login is None and state.problem is not None
    assert state.problem.kind == "unauthorized"
    assert state.problem.message.startswith("the Hub rejected your token (401 Unauthorized)")
    facts = await service.repo_info("bob/llama-dpo")
    assert facts.exists is None and facts.problem is not None and facts.problem.kind == "unauthorized"
    verdict = await service.push_check("bob/llama-dpo")
    assert verdict.outcome == "unknown" and "could not check your Hub login: the Hub rejected your token" in verdict.message
