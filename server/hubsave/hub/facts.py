"""Plain data the Hub layer returns: who is logged in, what a repo is, what went wrong.

No LSP types and never a token: these objects are safe to log, cache and show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

RepoType = Literal["model", "dataset", "space"]
ProblemKind = Literal[
    "disabled",  # hubsave.hub.enabled is off: nothing was sent
    "offline",  # HF_HUB_OFFLINE: nothing was sent
    "timeout",  # no answer within the timeout
    "unavailable",  # refused, dropped connection, 5xx
    "rate_limited",  # 429: hubsave waits before asking again
    "unauthorized",  # 401: the token was rejected
    "forbidden",  # 403
    "bad_response",  # an answer hubsave cannot read
    "invalid",  # not a repo id huggingface_hub accepts: nothing was sent
]

# Org roles (roleInOrg) that may create repos in the org; "contributor" only writes to
# repos it created, which the verdict spells out.
WRITE_ROLES = frozenset({"admin", "write", "contributor"})
READ_ROLES = frozenset({"read"})


@dataclass(frozen=True)
class HubProblem:
    kind: ProblemKind
    message: str  # one line for a human, e.g. "Hub did not answer within 3 s"
    retry_after: float | None = None  # seconds, for rate_limited


@dataclass(frozen=True)
class OrgRole:
    name: str
    role: str | None  # admin | write | contributor | read | None (not reported)


@dataclass(frozen=True)
class TokenScope:
    """A fine-grained token permission set on one entity (a user, an org, or a single repo)."""

    entity_type: str  # user | org | model | dataset | space
    entity_name: str  # a namespace, or a repo id for repo entities
    permissions: tuple[str, ...]

    @property
    def can_write(self) -> bool:
        return "repo.write" in self.permissions


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()  # the Hub matches names case-insensitively


@dataclass(frozen=True)
class Login:
    """The Hub account behind the local token (from whoami-v2). Holds no token."""

    name: str
    fullname: str | None = None
    type: str = "user"
    orgs: tuple[OrgRole, ...] = ()
    token_role: str | None = None  # read | write | fineGrained
    scopes: tuple[TokenScope, ...] = ()  # fine-grained tokens only
    can_read_gated: bool | None = None  # fine-grained tokens only

    def org_role(self, namespace: str) -> str | None:
        for org in self.orgs:
            if _same(org.name, namespace):
                return org.role
        return None

    def is_member(self, namespace: str) -> bool:
        return _same(self.name, namespace) or any(_same(o.name, namespace) for o in self.orgs)

    def namespaces(self) -> list[str]:
        """The user's own namespace first, then its orgs."""
        return [self.name, *(o.name for o in self.orgs)]

    def writable_namespaces(self) -> list[str]:
        return [ns for ns in self.namespaces() if self.can_write(ns)]

    def can_write(self, namespace: str) -> bool | None:
        """May this login create and push repos under ``namespace``? None: cannot tell."""
        return self._can_write(namespace, None)

    def can_write_repo(self, repo_id: str, repo_type: str = "model") -> bool | None:
        """Like ``can_write`` for one repo; also counts fine-grained scopes on that repo."""
        return self._can_write(repo_id.split("/")[0] if "/" in repo_id else self.name, (repo_type, repo_id))

    def _can_write(self, namespace: str, repo: tuple[str, str] | None) -> bool | None:
        if self.token_role == "read":
            return False
        member = self._member_can_write(namespace)
        if self.token_role == "write":
            return member
        if self.token_role == "fineGrained":
            if member is False:
                return False  # a token never grants more than the account has
            return member if self._scoped_write(namespace, repo) else False
        return None

    def _member_can_write(self, namespace: str) -> bool | None:
        if _same(self.name, namespace):
            return True
        if not self.is_member(namespace):
            return False
        role = self.org_role(namespace)
        if role in WRITE_ROLES:
            return True
        if role in READ_ROLES:
            return False
        return None

    def _scoped_write(self, namespace: str, repo: tuple[str, str] | None) -> bool:
        for scope in self.scopes:
            if not scope.can_write:
                continue
            if scope.entity_type in ("user", "org") and _same(scope.entity_name, namespace):
                return True
            if repo and scope.entity_type == repo[0] and _same(scope.entity_name, repo[1]):
                return True
        return False


@dataclass(frozen=True)
class LoginState:
    """Result of a whoami: a login, no login (no token), or a problem."""

    endpoint: str
    login: Login | None = None
    problem: HubProblem | None = None

    @property
    def logged_in(self) -> bool:
        return self.login is not None

    def to_json(self) -> dict[str, Any]:
        """The ``hubsave/hubLogin`` response body."""
        login = self.login
        return {
            "loggedIn": login is not None,
            "name": login.name if login else None,
            "orgs": [{"name": o.name, "role": o.role} for o in login.orgs] if login else [],
            "endpoint": self.endpoint,
            "error": self.problem.message if self.problem else None,
        }


@dataclass(frozen=True)
class RepoFacts:
    """What the Hub says about one repo. ``exists`` is None when the Hub could not be asked."""

    repo_id: str
    repo_type: RepoType
    endpoint: str
    exists: bool | None
    private: bool | None = None
    gated: bool = False
    gate: str | None = None  # "auto" | "manual" when gated
    gated_access: bool | None = None  # gated only: may this login read it? None: unknown
    disabled: bool = False
    author: str | None = None
    last_modified: datetime | None = None
    downloads: int | None = None
    likes: int | None = None
    problem: HubProblem | None = None
    checked_at: float = field(default=0.0, compare=False)  # time.time() of the answer

    @property
    def owner(self) -> str:
        return self.author or self.repo_id.split("/")[0]

    @property
    def url(self) -> str:
        prefix = {"model": "", "dataset": "/datasets", "space": "/spaces"}[self.repo_type]
        return f"{self.endpoint}{prefix}/{self.repo_id}"
