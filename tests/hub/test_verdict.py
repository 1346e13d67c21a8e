"""Pure parts: whoami parsing, can_write, derived repo ids, wording. No network."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from hubsave.hub import (
    HubProblem, Login, LoginState, OrgRole, RepoFacts, TokenScope, derived_repo_id, derived_repo_name,
    push_verdict, reference_verdict,
)
from hubsave.hub.fetch import parse_whoami
from hubsave.hub.verdict import age, compact
from tests.hubstub.scenario import Scope, User

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
ORGS = {"acme": "write", "bigco": "admin", "readers": "read", "makers": "contributor", "odd": "billing"}


def login(role: str = "write", scopes: list[Scope] | None = None) -> Login:
    return parse_whoami(User("alice", orgs=ORGS, token_role=role, scopes=scopes or []).whoami_json())


def facts(repo_id: str, **kw) -> RepoFacts:
    return RepoFacts(repo_id, "model", "https://huggingface.co", **{"exists": True, **kw})


@pytest.mark.parametrize(("namespace", "expected"), [
    ("alice", True), ("ALICE", True), ("acme", True), ("bigco", True), ("makers", True),
    ("readers", False), ("stranger", False), ("odd", None),
])
def test_can_write_with_a_write_token(namespace: str, expected: bool | None) -> None:
    assert login().can_write(namespace) is expected


def test_read_token_writes_nowhere_and_unknown_role_is_unknown() -> None:
    assert login("read").writable_namespaces() == []
    assert Login("alice").can_write("alice") is None  # whoami without a token role


def test_fine_grained_scopes_including_a_single_repo() -> None:
    scoped = login("fineGrained", [
        Scope("user", "alice", ["repo.content.read"]),
        Scope("org", "bigco", ["repo.write"]),
        Scope("model", "acme/one-model", ["repo.write"]),
        Scope("org", "readers", ["repo.write"]),  # the account itself may only read there
    ])
    assert scoped.token_role == "fineGrained" and len(scoped.scopes) == 4
    assert scoped.scopes[2] == TokenScope("model", "acme/one-model", ("repo.write",))
    assert scoped.can_write("alice") is False
    assert scoped.can_write("bigco") is True
    assert scoped.can_write("acme") is False
    assert scoped.can_write_repo("acme/one-model") is True
    assert scoped.can_write_repo("acme/one-model", "dataset") is False
    assert scoped.can_write("readers") is False


def test_parse_whoami_rejects_an_answer_without_a_name() -> None:
    with pytest.raises(ValueError):
        parse_whoami({"type": "user"})
    minimal = parse_whoami({"name": "bob"})
    assert (minimal.orgs, minimal.token_role, minimal.scopes) == ((), None, ())


@pytest.mark.parametrize(("output_dir", "name"), [
    (None, "trainer_output"), ("qwen-sft", "qwen-sft"), ("./runs/qwen-sft/", "qwen-sft"),
    ("/tmp/out", "out"), (".", None), ("runs/..", None), ("", None),
])
def test_derived_repo_name_follows_the_trainer(output_dir: str | None, name: str | None) -> None:
    assert derived_repo_name(output_dir) == name


def test_derived_repo_id() -> None:
    assert derived_repo_id("out/qwen", "alice") == "alice/qwen"
    assert derived_repo_id(None, "alice") == "alice/trainer_output"
    assert derived_repo_id("out/qwen", None) == "qwen"
    assert derived_repo_id(".", "alice") is None


def test_age_and_compact_numbers() -> None:
    assert age(NOW - timedelta(days=3, hours=2), NOW) == "3 days ago"
    assert age(NOW - timedelta(hours=1), NOW) == "1 hour ago"
    assert age(NOW - timedelta(seconds=5), NOW) == "just now"
    assert age(NOW - timedelta(days=800), NOW) == "2 years ago"
    assert age(datetime(2026, 11, 27, 11, 0), NOW) == "1 hour ago"  # naive means UTC
    assert [compact(n) for n in (7, 1234, 1_000_000, 9_500_000, 2_000_000_000)] == ["7", "1.2k", "1M", "9.5M", "2B"]


def test_push_verdict_wording() -> None:
    state = LoginState("https://huggingface.co", login=login())
    updated = NOW - timedelta(days=3)
    own = push_verdict("alice/sft", state, facts("alice/sft", private=True, last_modified=updated), now=NOW)
    assert own.message == "alice/sft exists (private, updated 3 days ago): pushes go into it"
    assert own.url == "https://huggingface.co/alice/sft"
    disabled = push_verdict("alice/sft", state, facts("alice/sft", disabled=True))
    assert disabled.outcome == "forbidden"
    odd = push_verdict("odd/x", state, facts("odd/x", exists=False))
    assert odd.outcome == "unknown" and "cannot tell whether your login alice may create it in odd" in odd.message
    pending = push_verdict("alice/sft", state, None)
    assert (pending.outcome, pending.message) == ("unknown", "could not check alice/sft: no answer yet")
    # the namespace alone settles a 403, even when the repo lookup failed
    failed = facts("bob/x", exists=None, problem=HubProblem("timeout", "Hub did not answer within 3 s"))
    assert push_verdict("bob/x", state, failed).outcome == "forbidden"


def test_reference_verdict_wording() -> None:
    state = LoginState("https://huggingface.co", login=Login("bob", orgs=(OrgRole("x", "read"),)))
    gated = facts("org/gated", gated=True, gate="auto", gated_access=None)
    assert reference_verdict("org/gated", "model", state, gated).outcome == "unknown"
    ok = reference_verdict("org/m", "model", state, facts("org/m", downloads=1500, likes=1), now=NOW)
    assert ok.message == "org/m exists (public, 1.5k downloads, 1 like)"
    missing = reference_verdict("org/none", "model", None, facts("org/none", exists=False))
    assert missing.message == "model org/none not found on the Hub (or private and not logged in)"
