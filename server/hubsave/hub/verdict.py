"""Pure judgements over Hub facts: will a push work, does a loaded id resolve.

Messages are plain one-line text (no markdown); the LSP layer formats them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import PurePosixPath
from typing import Literal

from .facts import Login, LoginState, RepoFacts

PushOutcome = Literal["create", "push", "forbidden", "unknown"]
ReferenceOutcome = Literal["ok", "gated", "no_access", "missing", "unknown"]

LOGIN_HINT = "run `hf auth login` or set HF_TOKEN"


@dataclass(frozen=True)
class PushVerdict:
    repo_id: str  # with the namespace the push will use, when known
    namespace: str | None
    outcome: PushOutcome  # "forbidden" is HS701's trigger
    message: str
    url: str | None = None


@dataclass(frozen=True)
class ReferenceVerdict:
    repo_id: str
    repo_type: str
    outcome: ReferenceOutcome  # "missing" and "no_access" are HS702's trigger
    message: str
    url: str | None = None


def resolve_repo_id(repo_id: str, login: Login | None) -> tuple[str, str | None]:
    """A bare name goes into the token owner's namespace (create_repo does so)."""
    if "/" in repo_id:
        return repo_id, repo_id.split("/")[0]
    if login is not None:
        return f"{login.name}/{repo_id}", login.name
    return repo_id, None


def derived_repo_name(output_dir: str | None) -> str | None:
    """The repo name the Trainer uses without hub_model_id: ``Path(output_dir).absolute().name``.

    None when that depends on the working directory (``"."``, ``".."``).
    """
    if output_dir is None:
        return "trainer_output"  # transformers' default output_dir
    name = PurePosixPath(output_dir.rstrip("/")).name  # jobs run on Linux: "/" separates
    return None if name in ("", ".", "..") else name


def derived_repo_id(output_dir: str | None, namespace: str | None) -> str | None:
    """``<namespace>/<output_dir name>``, or the bare name when the namespace is unknown."""
    name = derived_repo_name(output_dir)
    if name is None or namespace is None:
        return name
    return f"{namespace}/{name}"


def push_verdict(repo_id: str, login_state: LoginState | None, facts: RepoFacts | None,
                 *, now: datetime | None = None) -> PushVerdict:
    """Will pushing to ``repo_id`` work for this login? ``facts`` must be for the resolved id."""
    login = login_state.login if login_state else None
    full_id, namespace = resolve_repo_id(repo_id, login)
    url = facts.url if facts is not None else None

    def verdict(outcome: PushOutcome, message: str) -> PushVerdict:
        return PushVerdict(full_id, namespace, outcome, message, url)

    if login is None:
        why = (f"could not check your Hub login: {login_state.problem.message}"
               if login_state and login_state.problem else f"not logged in to the Hub ({LOGIN_HINT})")
        if facts is not None and facts.exists:
            return verdict("unknown", f"{full_id} exists ({describe(facts, now)}); {why}, "
                                      "so hubsave cannot tell whether you may push")
        if facts is not None and facts.exists is False:
            return verdict("unknown", f"{full_id} does not exist yet (or is private); {why}: "
                                      f"the push needs a login that may write to {namespace or 'its namespace'}")
        return verdict("unknown", f"cannot check {full_id}: {why}")

    assert namespace is not None  # resolved from the login
    can = login.can_write_repo(full_id, facts.repo_type if facts else "model")
    if can is False:
        return verdict("forbidden", _forbidden_reason(login, full_id, namespace, facts))
    if facts is None or facts.problem is not None or facts.exists is None:
        reason = facts.problem.message if facts and facts.problem else "no answer yet"
        return verdict("unknown", f"could not check {full_id}: {reason}")
    role = login.org_role(namespace)
    if facts.exists:
        if facts.disabled:
            return verdict("forbidden", f"{full_id} is disabled on the Hub: pushes to it fail")
        if can is None:
            return verdict("unknown", f"{full_id} exists ({describe(facts, now)}); hubsave cannot tell whether "
                                      f"your login {login.name} may push (role: {role or login.token_role or 'unknown'})")
        if role == "contributor":
            return verdict("unknown", f"{full_id} exists ({describe(facts, now)}) in org {namespace}, "
                                      "where your role is contributor: pushes work only if you created it")
        return verdict("push", f"{full_id} exists ({describe(facts, now)}): pushes go into it")
    if can is None:
        return verdict("unknown", f"{full_id} does not exist yet; hubsave cannot tell whether "
                                  f"your login {login.name} may create it in {namespace}")
    where = f"under {namespace}" if role is None else f"under org {namespace} (your role: {role})"
    return verdict("create", f"{full_id} will be created on first push {where}")


def _forbidden_reason(login: Login, full_id: str, namespace: str, facts: RepoFacts | None) -> str:
    if login.token_role == "read":
        return f"your token is read-only: pushing to {full_id} fails (403); use a token with write access"
    role = login.org_role(namespace)
    if role is not None and role not in ("admin", "write", "contributor"):
        return f"{namespace} is an org where your login {login.name} can only read: pushing to {full_id} fails (403)"
    if login.is_member(namespace):  # member with write rights, so the token's scopes say no
        return f"your fine-grained token has no write permission on {namespace}: pushing to {full_id} fails (403)"
    if facts is not None and facts.exists:
        return f"{full_id} is owned by {facts.owner}: your login {login.name} cannot push here (403)"
    return f"{namespace} is neither your namespace nor one of your orgs: your login {login.name} cannot create {full_id} (403)"


def reference_verdict(repo_id: str, repo_type: str, login_state: LoginState | None,
                      facts: RepoFacts | None, *, now: datetime | None = None) -> ReferenceVerdict:
    """Does a model/dataset id the script loads resolve for this login?"""
    login = login_state.login if login_state else None
    url = facts.url if facts is not None else None

    def verdict(outcome: ReferenceOutcome, message: str) -> ReferenceVerdict:
        return ReferenceVerdict(repo_id, repo_type, outcome, message, url)

    if facts is None or facts.problem is not None or facts.exists is None:
        reason = facts.problem.message if facts and facts.problem else "no answer yet"
        return verdict("unknown", f"could not check {repo_type} {repo_id}: {reason}")
    if not facts.exists:
        who = f"your login {login.name} cannot see it" if login else "not logged in"
        return verdict("missing", f"{repo_type} {repo_id} not found on the Hub (or private and {who})")
    if facts.gated:
        if facts.gated_access:
            return verdict("gated", f"{repo_id} exists ({describe(facts, now)}); your login has access")
        if facts.gated_access is False:
            if login is None:
                return verdict("no_access", f"{repo_id} is gated: log in and request access on its page ({LOGIN_HINT})")
            return verdict("no_access", f"{repo_id} is gated and your login {login.name} has no access yet: request it on its page")
        return verdict("unknown", f"{repo_id} is gated; could not check whether your login has access")
    return verdict("ok", f"{repo_id} exists ({describe(facts, now)})")


def describe(facts: RepoFacts, now: datetime | None = None) -> str:
    """'private, gated (manual approval), 1.2k downloads, updated 3 days ago'."""
    parts = ["private" if facts.private else "public"]
    if facts.gated:
        parts.append(f"gated ({'manual approval' if facts.gate == 'manual' else 'automatic approval'})")
    if facts.downloads:
        parts.append(counted(facts.downloads, "download"))
    if facts.likes:
        parts.append(counted(facts.likes, "like"))
    if facts.last_modified is not None:
        parts.append(f"updated {age(facts.last_modified, now)}")
    return ", ".join(parts)


def counted(n: int, noun: str) -> str:
    return f"{compact(n)} {noun}{'' if n == 1 else 's'}"


def compact(n: int) -> str:
    for limit, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        if n >= limit:
            return f"{n / limit:.1f}".rstrip("0").rstrip(".") + suffix
    return str(n)


def age(when: datetime, now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    seconds = max(0.0, (now - when).total_seconds())
    for unit, size in (("year", 365 * 86400), ("month", 30 * 86400), ("day", 86400),
                       ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"
