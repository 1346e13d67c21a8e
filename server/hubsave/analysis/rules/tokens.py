"""HS401, HS402: Hugging Face tokens written in the source, real or placeholder.

Messages never contain the string: it may be a live secret.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator

from ..catalog import MCP_TOKEN_PLACEHOLDERS
from ..constants import Constants
from ..facts import dict_items, token_entries
from ..findings import UNSAFE, Finding, FixRequest, Severity
from ..symbols import callee_name
from .registry import AllOf, AnyOf, rule
from ..nodes import remembered, spans_one_of, statement_nodes, walk, walk_with_statements

if TYPE_CHECKING:
    from ..context import RuleContext

# A user access token: `hf_` and 34 letters or digits today; 30+ to be safe. (No
# look-behind: a pattern starting with a literal is searched fast; see tokens_in.)
TOKEN = re.compile(r"hf_[A-Za-z0-9]{30,}(?![A-Za-z0-9])")
_WHOLE_TOKEN = re.compile(r"hf_[A-Za-z0-9]{30,}")
# Keywords whose value is a token; removing the argument falls back to the login or HF_TOKEN.
TOKEN_KEYWORDS = frozenset({"token", "hub_token", "use_auth_token"})
# `api_key=` takes a token for InferenceClient (and OpenAI clients on the HF router),
# but other providers' keys too: only an `hf_` value counts there.
HF_ONLY_KEYWORDS = frozenset({"api_key"})
TOKEN_ENV_NAMES = frozenset({"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HUGGINGFACEHUB_API_TOKEN", "HF_API_TOKEN"})
LOGIN_FUNCTIONS = frozenset({"login", "interpreter_login"})
# Where a `token=` placeholder not starting with `hf_` is still a Hugging Face token
# (elsewhere `token="YOUR_TOKEN"` may be a chat bot's or a cloud's).
HF_PACKAGES = frozenset({"huggingface_hub", "transformers", "datasets", "trl", "peft", "diffusers", "accelerate",
                         "sentence_transformers", "evaluate", "timm", "smolagents", "gradio_client"})  # fmt: skip
HF_METHODS = frozenset({"from_pretrained", "push_to_hub", "load_dataset", "HfApi", "InferenceClient",
                        "AsyncInferenceClient", "snapshot_download", "hf_hub_download", "create_repo",
                        "upload_file", "upload_folder", "upload_large_folder", "pipeline", "whoami"})  # fmt: skip

_PLACEHOLDER_AFTER_HF = re.compile(r"(?i)(|x+|\*+|\.+|…|abc.*|your.*|xxx.*|token.*|insert.*|replace.*|my[_-]?token.*)")
_PLACEHOLDER = re.compile(
    r"(?i)(<[^<>]*>|\.\.\.|…|x{3,}|\*{3,}|"
    r"(your|my|insert|enter|replace|put|paste)[-_ ]?(your[-_ ]?)?(hf[-_ ]?|hugging[-_ ]?face[-_ ]?)?"
    r"(hub[-_ ]?)?(api[-_ ]?|access[-_ ]?|write[-_ ]?|read[-_ ]?|auth[-_ ]?)?(token|key)([-_ ]?here)?)"
)
_OBVIOUSLY_FAKE = re.compile(r"(?i)your|token|xxxx|here")


def tokens_in(text: str) -> list[str]:
    """Token-shaped substrings, not glued to a longer name (`my_hf_...`)."""
    if "hf_" not in text:
        return []
    return [m.group(0) for m in TOKEN.finditer(text) if m.start() == 0 or not _is_name_char(text[m.start() - 1])]


def holds_real_token(text: str) -> bool:
    """A token-shaped string that is not a placeholder: what HS401 (and HS302 in a job) report."""
    found = tokens_in(text)
    return bool(found) and not all(is_placeholder(token) for token in found)


def _is_name_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


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


# Text that can hold a literal in a token position; a file without any is not walked.
# Each pattern starts with a literal, which `re` searches fast (a long file costs
# well under a millisecond, where one case-insensitive alternation cost 50).
_TOKEN_POSITION_TEXT = tuple(
    re.compile(p)
    for p in (
        r"""token\s*=\s*[rRuU]?['"]""",  # token=, hub_token=, use_auth_token=
        r"""api_key\s*=\s*[rRuU]?['"]""",
        r"""login\(\s*[rRuU]?['"]""",
        r"""TOKEN['"]\s*[\]:,]""",  # "HF_TOKEN": ..., environ["HF_TOKEN"] = ..., setdefault("HF_TOKEN", ...)
        r"""uthorization['"]\s*:""",
    )
)


def _mentions_token_position(text: str) -> bool:
    return any(pattern.search(text) for pattern in _TOKEN_POSITION_TEXT)


# A name where a token goes (`token=model_token`, `login(TOKEN)`): traced one step
# to the literal it is bound to (analysis/constants.py).
_NAMED_TOKEN_POSITION = AnyOf(tuple(re.compile(p) for p in (r"token\s*=\s*[A-Za-z_]", r"api_key\s*=\s*[A-Za-z_]", r"login\(\s*[A-Za-z_]")))
# Such a name matters only when bound to a placeholder (is_placeholder): a string whose
# stripped text starts as one does. Both must be in the file: `token = int(x)` is in
# most tokenizer code, a placeholder-shaped literal is not.
_PLACEHOLDER_LITERAL = re.compile(r"""['"]\s*(?i:hf_|<|\.\.\.|…|xxx|\*\*\*|your|my|insert|enter|replace|put|paste)""")
_NAMED_PLACEHOLDER = AllOf((_NAMED_TOKEN_POSITION, _PLACEHOLDER_LITERAL))


@dataclass(frozen=True)
class _Site:
    """A string literal (or an f-string holding it) and how it is used."""

    node: ast.expr
    text: str
    call: ast.Call | None = None  # the call it is an argument of
    keyword: str | None = None  # `token` in `token="..."`
    login: bool = False  # the first argument of `login(...)`
    header: bool = False  # an `Authorization` header value


def _hub_login(ctx: RuleContext) -> Callable[[ast.Call], bool]:
    """Whether a call is huggingface_hub's `login` (not `wandb.login("YOUR_KEY")`)."""
    symbols = ctx.facts.symbols

    def check(call: ast.Call) -> bool:
        if callee_name(call) not in LOGIN_FUNCTIONS:
            return False
        dotted = symbols.qualname(call.func)
        if dotted is not None:
            return dotted.split(".")[0] == "huggingface_hub"
        # Unresolved: a star import or an earlier notebook cell; a local `def login` is not it.
        return isinstance(call.func, ast.Name) and call.func.id not in symbols.defined

    return check


def _strings(tree: ast.Module, is_login: Callable[[ast.Call], bool]) -> Iterator[_Site]:
    """Every string literal, with the call it is a direct argument of. An f-string's
    literal parts count as the f-string (their own positions are not reliable
    before Python 3.12)."""
    calls: dict[int, tuple[ast.Call, str | None, bool]] = {}
    inside_fstring: set[int] = set()
    for node in walk(tree):
        if isinstance(node, ast.Call):
            login = is_login(node)
            if node.args:
                calls[id(node.args[0])] = (node, None, login)
            for kw in node.keywords:
                calls[id(kw.value)] = (node, kw.arg, False)
        elif isinstance(node, ast.JoinedStr):
            parts = [v for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
            inside_fstring.update(id(p) for p in parts)
            text = "".join(p.value for p in parts)
            if text:
                yield _site(node, text, calls)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inside_fstring:
            yield _site(node, node.value, calls)


def _site(node: ast.expr, text: str, calls: dict[int, tuple[ast.Call, str | None, bool]]) -> _Site:
    call, keyword, login = calls.get(id(node), (None, None, False))
    return _Site(node, text, call, keyword, login)


def _token_position_sites(tree: ast.Module, is_login: Callable[[ast.Call], bool]) -> Iterator[_Site]:
    """String literals given where a token goes: `token=`, `login(...)`, `HF_TOKEN`
    entries and environment assignments, `Authorization` headers."""
    for stmt in tree.body:
        for site in remembered(stmt, _token_position_candidates):
            if not site.login or is_login(site.call):  # type: ignore[arg-type]
                yield site


def _token_position_candidates(stmt: ast.AST) -> list[_Site]:
    """`_token_position_sites` of one statement, kept on it (`remembered`); a `login`
    site is a candidate until the caller knows it is huggingface_hub's."""
    return list(_token_position_sites_in(stmt))


def _token_position_sites_in(stmt: ast.AST) -> Iterator[_Site]:
    for node in statement_nodes(stmt):
        if isinstance(node, ast.Call):
            if node.args and _is_str(node.args[0]) and callee_name(node) in LOGIN_FUNCTIONS:  # see _hub_login
                yield _Site(node.args[0], node.args[0].value, node, login=True)  # type: ignore[attr-defined]
            for kw in node.keywords:
                if kw.arg in TOKEN_KEYWORDS | HF_ONLY_KEYWORDS and _is_str(kw.value):
                    yield _Site(kw.value, kw.value.value, node, kw.arg)  # type: ignore[attr-defined]
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "setdefault" and _is_environ(func.value):
                if len(node.args) == 2 and _is_token_name(node.args[0]) and _is_str(node.args[1]):
                    yield _Site(node.args[1], node.args[1].value)  # type: ignore[attr-defined]
        elif isinstance(node, ast.Dict):
            for key, _, value in dict_items(node):
                if _is_str(value) and key in TOKEN_ENV_NAMES:
                    yield _Site(value, value.value)  # type: ignore[attr-defined]
                elif _is_str(value) and key.lower() == "authorization":
                    yield _Site(value, value.value, header=True)  # type: ignore[attr-defined]
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and _is_str(node.value):
            target = node.targets[0]
            if isinstance(target, ast.Subscript) and _is_environ(target.value) and _is_token_name(target.slice):
                yield _Site(node.value, node.value.value)  # type: ignore[attr-defined]


def _named_token_sites(ctx: RuleContext, is_login: Callable[[ast.Call], bool]) -> Iterator[_Site]:
    """Names given where a token goes, with the string literal each is bound to. The
    site is the name (the finding and its fix are where the token is passed). The
    caller has found `_NAMED_PLACEHOLDER` in the text (a search of a long text costs
    a few hundred microseconds: done once)."""
    constants: Constants | None = None
    text = ctx.doc.text
    # A keyword starts on the line its pattern starts (and a login call's name): only the
    # statements spanning those lines are walked (`token = int(x)` is everywhere).
    starts = sorted(m.start() for p in _NAMED_TOKEN_POSITION.patterns for m in p.finditer(text))
    lines, line, last = [], 1, 0
    for start in starts:
        line += text.count("\n", last, start)
        last = start
        lines.append(line)
    for stmt in ctx.doc.statements_where("named-token-positions", _NAMED_TOKEN_POSITION.search).body:
        if not spans_one_of(stmt, lines):
            continue
        for node, statements in remembered(stmt, _calls_passing_names):
            if not all(spans_one_of(part, lines) for part in statements):
                continue
            named = [(kw.value, kw.arg, False) for kw in node.keywords if kw.arg in TOKEN_KEYWORDS | HF_ONLY_KEYWORDS]
            if node.args and is_login(node):
                named.append((node.args[0], None, True))
            for value, keyword, login in named:
                if not isinstance(value, ast.Name):
                    continue
                constants = constants or Constants(ctx.doc.tree)  # type: ignore[arg-type]
                bound = constants.value(value)
                if _is_str(bound):
                    yield _Site(value, bound.value, node, keyword, login)  # type: ignore[union-attr]


def _calls_passing_names(stmt: ast.AST) -> list[tuple[ast.Call, tuple[ast.AST, ...]]]:
    """Calls in a statement that pass a name as a token keyword or first argument, each
    with the statements inside it that enclose the call (kept on the statement:
    `remembered`). A call counts when the statement and each of those span a line
    where such a name is written."""
    return [
        (node, statements[1:])
        for node, statements in walk_with_statements(stmt)
        if isinstance(node, ast.Call)
        and (
            (node.args and isinstance(node.args[0], ast.Name) and callee_name(node) in LOGIN_FUNCTIONS)  # see _hub_login
            or any(kw.arg in TOKEN_KEYWORDS | HF_ONLY_KEYWORDS and isinstance(kw.value, ast.Name) for kw in node.keywords)
        )
    ]


def _is_str(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_token_name(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value in TOKEN_ENV_NAMES


def _is_environ(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _job_token_values(ctx: RuleContext) -> set[int]:
    """Values HS302 reports (a real token in a job's `HF_TOKEN` secret or env): not reported
    twice. A placeholder there is HS402's."""
    if not ctx.settings.enabled("HS302"):
        return set()
    found: set[int] = set()
    for job in ctx.facts.running_jobs:
        for option in ("secrets", "env"):
            for _, _, value in token_entries(job.options.get(option)):
                if isinstance(value, ast.Constant) and isinstance(value.value, str) and holds_real_token(value.value):
                    found.add(id(value))
    return found


def _for_the_hub(ctx: RuleContext, site: _Site) -> bool:
    """A placeholder without `hf_` counts where only a Hugging Face token can go."""
    if site.call is None or site.login:
        return True  # HF_TOKEN entries and environment variables, huggingface_hub's login
    if site.keyword in HF_ONLY_KEYWORDS:
        return False
    dotted = ctx.facts.symbols.qualname(site.call.func)
    if dotted is not None and dotted.split(".")[0] in HF_PACKAGES:
        return True
    return callee_name(site.call) in HF_METHODS


def _removal_fix(ctx: RuleContext, site: _Site) -> FixRequest | None:
    """`token="..."` removed; `login("...")` becomes `login()`."""
    if site.call is None:
        return None
    if site.keyword in TOKEN_KEYWORDS:
        return FixRequest.make(
            f"Remove {site.keyword}= (use the login or HF_TOKEN)",
            UNSAFE,  # the call now runs with another token: the login's
            "remove_keyword",
            **ctx.at_call(site.call),
            name=site.keyword,
        )
    if site.login and site.keyword is None:
        name = callee_name(site.call)
        return FixRequest.make(f"Call {name}() without the token", UNSAFE, "remove_argument", **ctx.at_call(site.call), index=0)
    return None


@rule("HS401", "hardcoded-token", Severity.ERROR, triggers=("hf_",), fixes=(UNSAFE,), reads_facts=False)
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
    Unsafe (the call then runs with your login's token): removes the `token=`
    argument, or turns `login(<token>)` into `login()`.
    Elsewhere (a header, an env dict) there is no automatic fix. Revoke the
    token at https://huggingface.co/settings/tokens.
    """
    if not tokens_in(ctx.doc.text):
        return  # most files: no string shaped like a token, nothing to walk
    tree = ctx.doc.statements_where("tokens", tokens_in)
    reported = _job_token_values(ctx)
    for site in _strings(tree, _hub_login(ctx)):
        if id(site.node) in reported or not holds_real_token(site.text):
            continue  # reported by HS302, nothing, or a placeholder (HS402)
        yield ctx.finding(
            "HS401",
            site.node,
            "a Hugging Face token is written in the source: anyone with this file or its history can use "
            "it; revoke it, and let huggingface_hub read the login or HF_TOKEN",
            fix=_removal_fix(ctx, site),
        )


# A file runs HS402 only with a literal where a token goes (every "tokenizer" is no reason).
@rule(
    "HS402",
    "placeholder-token",
    Severity.WARNING,
    triggers=("hf_", *_TOKEN_POSITION_TEXT, _NAMED_PLACEHOLDER),
    fixes=(UNSAFE,),
    reads_facts=False,
)
def placeholder_token(ctx: RuleContext) -> Iterator[Finding]:
    """A placeholder token copied from docs (`hf_...`, `hf_xxx`, `<token>`, `YOUR_TOKEN`).

    ## Why
    The placeholder is sent as the token: every Hub call fails with 401
    Unauthorized, in a job after the container has started (and been paid
    for). huggingface_hub uses your login or `HF_TOKEN` when no token is given.
    Also found through a name bound once to the placeholder
    (`HF_TOKEN = "hf_..."` ... `HfApi(token=HF_TOKEN)`), reported where it is passed,
    and as a job's `HF_TOKEN` secret (`secrets={"HF_TOKEN": "hf_..."}`,
    `--secrets HF_TOKEN=hf_...`), where HS302 reports only real tokens.

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
    Unsafe, as HS401: removes the `token=` argument, or turns `login(<token>)` into
    `login()`. On an `hf jobs` command line, `--secrets HF_TOKEN=<placeholder>`
    becomes `--secrets HF_TOKEN` (your login's token) and `HF_TOKEN=<placeholder>`
    before `hf` is removed. A placeholder in an `HF_TOKEN` dict entry (a job's
    secrets, an env dict) or an `Authorization` header is reported without a fix.
    """
    named = bool(_NAMED_PLACEHOLDER.search(ctx.doc.text))
    if not (named or _mentions_token_position(ctx.doc.text)):
        return  # no literal or name where a token goes: nothing to walk
    tree = ctx.doc.statements_where("token-positions", _mentions_token_position)
    reported = _job_token_values(ctx)
    is_login = _hub_login(ctx)
    named_sites = _named_token_sites(ctx, is_login) if named else ()
    for site in (*_token_position_sites(tree, is_login), *named_sites):
        if id(site.node) in reported:
            continue
        text = site.text.strip()
        if site.header:
            if not (text[:7].lower() == "bearer " and is_placeholder(text[7:])):
                continue
        elif not is_placeholder(text) or (text[:3].lower() != "hf_" and not _for_the_hub(ctx, site)):
            continue
        yield ctx.finding(
            "HS402",
            site.node,
            "a placeholder is given as the Hugging Face token: every Hub request fails with 401 Unauthorized; "
            "drop it and let huggingface_hub read the login or HF_TOKEN",
            fix=_removal_fix(ctx, site),
        )
