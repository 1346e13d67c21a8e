"""What the stand-in Hub knows: logins (by token), repos, and injected faults.

Plain dataclasses that load from JSON (``Scenario.from_json``) so the same scenario
drives in-process tests and ``python -m tests.hubstub --scenario file.json``.
The JSON it renders follows what huggingface_hub 2.4.0 parses: ``whoami-v2`` (orgs with
``roleInOrg``, ``auth.accessToken.role``, ``fineGrained.scoped[]``) and
``ModelInfo/DatasetInfo/SpaceInfo`` (``id``, ``author``, ``private``, ``gated``,
``lastModified``, ``downloads``, ``likes``, ``disabled``).
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO_TYPES = ("model", "dataset", "space")


@dataclass
class Scope:
    """One ``fineGrained.scoped[]`` entry: an entity (user, org, or a repo) and permissions."""

    type: str
    name: str
    permissions: list[str] = field(default_factory=list)


@dataclass
class User:
    name: str
    fullname: str = ""
    type: str = "user"
    orgs: dict[str, str] = field(default_factory=dict)  # org name -> roleInOrg
    token_role: str = "write"  # read | write | fineGrained
    scopes: list[Scope] = field(default_factory=list)
    can_read_gated: bool = True

    def whoami_json(self) -> dict[str, Any]:
        token: dict[str, Any] = {
            "displayName": "stand-in token",
            "role": self.token_role,
            "createdAt": "2026-01-01T00:00:00.000Z",
        }
        if self.token_role == "fineGrained":
            token["fineGrained"] = {
                "canReadGatedRepos": self.can_read_gated,
                "global": [],
                "scoped": [
                    {
                        "entity": {"_id": f"id-{s.name}", "type": s.type, "name": s.name},
                        "permissions": list(s.permissions),
                    }
                    for s in self.scopes
                ],
            }
        return {
            "type": self.type,
            "id": f"id-{self.name}",
            "name": self.name,
            "fullname": self.fullname or self.name.title(),
            "email": f"{self.name}@example.invalid",
            "isPro": False,
            "orgs": [
                {
                    "type": "org",
                    "id": f"id-{org}",
                    "name": org,
                    "fullname": org.title(),
                    "roleInOrg": role,
                }
                for org, role in self.orgs.items()
            ],
            "auth": {"type": "access_token", "accessToken": token},
        }


@dataclass
class Repo:
    id: str
    type: str = "model"
    private: bool = False
    gated: bool | str = False  # False | "auto" | "manual"
    disabled: bool = False
    last_modified: str = "2026-11-24T10:00:00.000Z"
    downloads: int = 0
    likes: int = 0
    access: list[str] = field(default_factory=list)  # users granted access to a gated repo

    @property
    def owner(self) -> str:
        return self.id.split("/")[0]

    def info_json(self, expand: list[str]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "_id": f"id-{self.id}",
            "id": self.id,
            "author": self.owner,
            "private": self.private,
            "disabled": self.disabled,
            "lastModified": self.last_modified,
            "likes": self.likes,
            "sha": "0" * 40,
            "tags": [],
        }
        if self.type != "space":
            data["gated"] = self.gated
            data["downloads"] = self.downloads
        if expand:  # like the Hub: only the asked properties (plus the ids)
            data = {k: v for k, v in data.items() if k in expand or k in ("_id", "id")}
        return data


@dataclass
class Fault:
    """An injected failure for requests whose path matches ``path`` (fnmatch; ``*`` = all).

    ``times`` limits it to the first N matching requests (None = forever).
    """

    path: str = "*"
    delay: float = 0.0
    status: int | None = None
    retry_after: float | None = None
    error_code: str | None = None
    error_message: str | None = None
    malformed: bool = False
    close: bool = False
    times: int | None = None

    def matches(self, path: str) -> bool:
        return self.times != 0 and fnmatch.fnmatchcase(path, self.path)


@dataclass
class Scenario:
    tokens: dict[str, User] = field(default_factory=dict)
    repos: list[Repo] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)

    def find_repo(self, repo_type: str, repo_id: str) -> Repo | None:
        for repo in self.repos:
            if repo.type == repo_type and repo.id == repo_id:
                return repo
        return None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        tokens = {}
        for token, user in data.get("tokens", {}).items():
            scopes = [Scope(**s) for s in user.get("scopes", [])]
            tokens[token] = User(**{**user, "scopes": scopes})
        return cls(
            tokens=tokens,
            repos=[Repo(**r) for r in data.get("repos", [])],
            faults=[Fault(**f) for f in data.get("faults", [])],
        )

    @classmethod
    def from_json(cls, path: str | Path) -> Scenario:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Made-up tokens (never real): one per kind of login the tests need.
ALICE_WRITE = "hf_stubAliceWriteToken0000000000000001"
ALICE_READ = "hf_stubAliceReadToken00000000000000002"
ALICE_FINE = "hf_stubAliceFineGrained000000000000003"
BOB_WRITE = "hf_stubBobWriteToken000000000000000004"


def default_scenario() -> Scenario:
    """alice (orgs with every role), bob, and repos for each hover outcome."""
    alice_orgs = {"acme": "write", "bigco": "admin", "readers": "read", "makers": "contributor"}
    return Scenario(
        tokens={
            ALICE_WRITE: User("alice", "Alice Liddell", orgs=alice_orgs),
            ALICE_READ: User("alice", "Alice Liddell", orgs=alice_orgs, token_role="read"),
            ALICE_FINE: User(
                "alice",
                "Alice Liddell",
                orgs=alice_orgs,
                token_role="fineGrained",
                scopes=[
                    Scope("user", "alice", ["repo.content.read", "repo.write"]),
                    Scope("org", "acme", ["repo.content.read"]),
                    Scope("org", "bigco", ["repo.content.read", "repo.write"]),
                ],
                can_read_gated=False,
            ),
            BOB_WRITE: User("bob", "Bob Builder"),
        },
        repos=[
            Repo("alice/qwen-sft", private=True, downloads=12, likes=1),
            Repo("bob/llama-dpo", downloads=340, likes=7),
            Repo("bob/secret-model", private=True),
            Repo("acme/shared-model", downloads=5),
            Repo("readers/frozen-model", downloads=9),
            Repo("makers/team-model"),
            Repo("meta-llama/Llama-3.1-8B", gated="manual", downloads=9_000_000, likes=4000,
                 access=["alice"]),
            Repo("google/gemma-gated", gated="auto", downloads=100, access=[]),
            Repo("Qwen/Qwen2.5-0.5B", downloads=1_000_000, likes=300),
            Repo("trl-lib/Capybara", type="dataset", downloads=2000, likes=30),
            Repo("alice/demo", type="space", likes=2),
        ],
    )
