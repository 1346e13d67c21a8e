"""HS401, HS402: Hugging Face tokens written in the source, real or placeholder.

Messages never contain the string: it may be a live secret.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from ..catalog import MCP_TOKEN_PLACEHOLDERS
from ..facts import dict_items
from ..findings import Finding, FixRequest, Severity
from ..symbols import callee_name
from .jobs import _token_entries, running_jobs
from .registry import rule

if TYPE_CHECKING:
    from ..context import RuleContext

# A user access token: `hf_` and 34 letters or digits today; 30+ to be safe.
TOKEN = re.compile(r"(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,}(?![A-Za-z0-9])")
_WHOLE_TOKEN = re.compile(r"hf_[A-Za-z0-9]{30,}")
# Keywords whose value is a token; removing the argument falls back to the login or HF_TOKEN.
TOKEN_KEYWORDS = frozenset({"token", "hub_token", "use_auth_token"})
# `api_key=` takes a token for InferenceClient (and OpenAI clients on the HF router),
# but other providers' keys too: only an `hf_` value counts there.
HF_ONLY_KEYWORDS = frozenset({"api_key"})
TOKEN_ENV_NAMES = frozenset({"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HUGGINGFACEHUB_API_TOKEN", "HF_API_TOKEN"})
LOGIN_FUNCTIONS = frozenset({"login", "interpreter_login"})

_PLACEHOLDER_AFTER_HF = re.compile(r"(?i)(|x+|\*+|\.+|…|abc.*|your.*|xxx.*|token.*|insert.*|replace.*|my[_-]?token.*)")
_PLACEHOLDER = re.compile(
    r"(?i)(<[^<>]*>|\.\.\.|…|x{3,}|\*{3,}|"
    r"(your|my|insert|enter|replace|put|paste)[-_ ]?(your[-_ ]?)?(hf[-_ ]?|hugging[-_ ]?face[-_ ]?)?"
    r"(hub[-_ ]?)?(api[-_ ]?|access[-_ ]?|write[-_ ]?|read[-_ ]?|auth[-_ ]?)?(token|key)([-_ ]?here)?)"
)
_OBVIOUSLY_FAKE = re.compile(r"(?i)your|token|xxxx|here")


def is_placeholder(value: str) -> bool:
    """`hf_...`, `hf_xxx`, `hf_abc123...`, `<token>`, `YOUR_TOKEN`: copied from docs, never a token."""
    text = value.strip()
    if text in MCP_TOKEN_PLACEHOLDERS:
        return False  # a real mechanism (HS306 covers its misuse)
    if _WHOLE_TOKEN.fullmatch(text):
        # Token-shaped: a placeholder only when it says so or repeats one character.
        core = text[3:]
        return len(set(core.lower())) == 1 or bool(_OBVIOUSLY_FAKE.search(core))
    if text[:3].lower() == "hf_":
        return bool(_PLACEHOLDER_AFTER_HF.fullmatch(text[3:]))
    return bool(_PLACEHOLDER.fullmatch(text))


@dataclass
class _StringSite:
    node: ast.expr  # the string literal (or the f-string holding it)
    text: str
    parent: ast.AST | None


def _parents(tree: ast.AST) -> dict[int, ast.AST]:
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    return parents


def _strings(ctx: RuleContext) -> Iterator[_StringSite]:
    """Every string literal, an f-string's literal parts as the f-string (their own
    positions are not reliable before Python 3.12)."""
    tree = ctx.doc.tree
    assert tree is not None
    parents = _parents(tree)
    inside_fstring: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [v for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
            inside_fstring.update(id(p) for p in parts)
            text = "".join(p.value for p in parts)
            if text:
                yield _StringSite(node, text, parents.get(id(node)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inside_fstring:
            yield _StringSite(node, node.value, parents.get(id(node)))


def _job_token_values(ctx: RuleContext) -> set[int]:
    """Values HS302 reports (a job's `HF_TOKEN` secret or env): not reported twice."""
    if not ctx.settings.enabled("HS302"):
        return set()
    found: set[int] = set()
    for job in running_jobs(ctx):
        for option in ("secrets", "env"):
            for _, _, value in _token_entries(job.options.get(option)):
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.add(id(value))
    return found


def _removal_fix(ctx: RuleContext, site: _StringSite) -> FixRequest | None:
    """`token="..."` removed; `login("...")` becomes `login()`."""
    parent = site.parent
    if isinstance(parent, ast.keyword) and parent.arg in TOKEN_KEYWORDS | HF_ONLY_KEYWORDS:
        call = _call_of_keyword(ctx, parent)
        if call is not None and parent.arg in TOKEN_KEYWORDS:
            return FixRequest.make(
                f"Remove {parent.arg}= (use the login or HF_TOKEN)",
                "remove_keyword",
                **ctx.at_call(call),
                name=parent.arg,
            )
        return None
    if isinstance(parent, ast.Call) and parent.args and parent.args[0] is site.node:
        if callee_name(parent) in LOGIN_FUNCTIONS:
            return FixRequest.make(
                f"Call {callee_name(parent)}() without the token", "remove_argument", **ctx.at_call(parent), index=0
            )
    return None


def _call_of_keyword(ctx: RuleContext, keyword: ast.keyword) -> ast.Call | None:
    tree = ctx.doc.tree
    assert tree is not None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and any(k is keyword for k in node.keywords):
            return node
    return None


def _in_token_position(ctx: RuleContext, site: _StringSite, dict_values: set[int], env_values: set[int]) -> bool:
    parent = site.parent
    if isinstance(parent, ast.keyword):
        if parent.arg in TOKEN_KEYWORDS:
            return True
        return parent.arg in HF_ONLY_KEYWORDS and site.text.strip()[:3].lower() == "hf_"
    if isinstance(parent, ast.Call) and parent.args and parent.args[0] is site.node:
        return callee_name(parent) in LOGIN_FUNCTIONS
    return id(site.node) in dict_values or id(site.node) in env_values


def _token_dict_values(ctx: RuleContext) -> tuple[set[int], set[int]]:
    """Values of `"HF_TOKEN": ...` entries, and of `"Authorization": ...` headers."""
    tree = ctx.doc.tree
    assert tree is not None
    tokens: set[int] = set()
    headers: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, _, value in dict_items(node):
                if key in TOKEN_ENV_NAMES:
                    tokens.add(id(value))
                elif key.lower() == "authorization":
                    headers.add(id(value))
    return tokens, headers


def _env_assignments(ctx: RuleContext) -> set[int]:
    """`os.environ["HF_TOKEN"] = "..."` and `os.environ.setdefault("HF_TOKEN", "...")`."""
    tree = ctx.doc.tree
    assert tree is not None
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Subscript) and _is_environ(target.value):
                key = target.slice
                if isinstance(key, ast.Constant) and key.value in TOKEN_ENV_NAMES:
                    found.add(id(node.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setdefault":
            if _is_environ(node.func.value) and len(node.args) == 2:
                key = node.args[0]
                if isinstance(key, ast.Constant) and key.value in TOKEN_ENV_NAMES:
                    found.add(id(node.args[1]))
    return found


def _is_environ(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _bearer_placeholder(site: _StringSite, headers: set[int]) -> bool:
    text = site.text.strip()
    return id(site.node) in headers and text[:7].lower() == "bearer " and is_placeholder(text[7:])


@rule("HS401", "hardcoded-token", Severity.ERROR, triggers=("hf_",), fixable=True)
def hardcoded_token(ctx: RuleContext) -> Iterator[Finding]:
    """A Hugging Face token is written in the source.

    ## Why
    Anyone with the file, a copy of it, a notebook export or the git history
    can use the token (with write access, push to or delete your repos). It
    must be revoked on the Hub once it has been committed. huggingface_hub
    finds the token on its own: from `hf auth login` or the `HF_TOKEN`
    environment variable. A job secret is reported once, by HS302.

    ## Bad
    ```python
    login("hf_...")  # a real token here
    api = HfApi(token="hf_...")
    ```

    ## Good
    ```python
    login()  # or nothing at all: the saved login or HF_TOKEN is used
    api = HfApi()
    ```

    ## Fix
    Removes the `token=` argument, or turns `login(<token>)` into `login()`.
    Elsewhere (a header, an env dict) there is no automatic fix. Revoke the
    token at https://huggingface.co/settings/tokens.
    """
    reported = _job_token_values(ctx)
    for site in _strings(ctx):
        if id(site.node) in reported or not TOKEN.search(site.text):
            continue
        if all(is_placeholder(m.group(0)) for m in TOKEN.finditer(site.text)):
            continue  # HS402 territory
        yield ctx.finding(
            "HS401",
            site.node,
            "a Hugging Face token is written in the source: anyone with this file or its history can use "
            "it; revoke it, and let huggingface_hub read the login or HF_TOKEN",
            fix=_removal_fix(ctx, site),
        )


@rule("HS402", "placeholder-token", Severity.WARNING, triggers=("hf_", "oken", "OKEN"), fixable=True)
def placeholder_token(ctx: RuleContext) -> Iterator[Finding]:
    """A placeholder token copied from docs (`hf_...`, `hf_xxx`, `<token>`, `YOUR_TOKEN`).

    ## Why
    The placeholder is sent as the token: every Hub call fails with 401
    Unauthorized, in a job after the container has started (and been paid
    for). huggingface_hub uses your login or `HF_TOKEN` when no token is given.

    ## Bad
    ```python
    model.push_to_hub("alice/my-model", token="hf_abc123...")
    login("<token>")
    ```

    ## Good
    ```python
    model.push_to_hub("alice/my-model")
    login()
    ```

    ## Fix
    As HS401: removes the `token=` argument, or turns `login(<token>)` into
    `login()`. A placeholder in an `HF_TOKEN` env entry or an `Authorization`
    header is reported without a fix.
    """
    reported = _job_token_values(ctx)
    dict_values, headers = _token_dict_values(ctx)
    env_values = _env_assignments(ctx)
    for site in _strings(ctx):
        if id(site.node) in reported or not isinstance(site.node, ast.Constant):
            continue
        placeholder = is_placeholder(site.text) and _in_token_position(ctx, site, dict_values, env_values)
        if not placeholder and not _bearer_placeholder(site, headers):
            continue
        yield ctx.finding(
            "HS402",
            site.node,
            "a placeholder is given as the Hugging Face token: every Hub request fails with 401 Unauthorized; "
            "drop it and let huggingface_hub read the login or HF_TOKEN",
            fix=_removal_fix(ctx, site) if placeholder else None,
        )
