"""HS201-HS204: Hub repo ids that fail, land in the wrong account, or were copied from docs."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from .. import repo_id
from ..findings import SAFE, UNSAFE, Applicability, Finding, FixRequest, Severity
from ..repo_sites import ALL_TRIGGERS, PUSH_TARGET, PUSH_TRIGGERS, RepoIdSite
from ..strings import rewrite, rewrite_start
from .registry import rule

if TYPE_CHECKING:
    from ..context import RuleContext

_TOKEN_LIKE = re.compile(r"hf_[A-Za-z0-9]{20,}")


def _sites(ctx: RuleContext, *, push_only: bool) -> Iterator[RepoIdSite]:
    """Each literal once, even when several calls use the variable bound to it.

    A token pasted where an id goes is no id (HS401 reports it), and no message may
    repeat it: such literals are skipped here, for every rule of the family."""
    seen: set[int] = set()
    for site in ctx.facts.repo_ids:
        if id(site.node) in seen or (push_only and site.kind != PUSH_TARGET):
            continue
        if isinstance(site.value, str) and _TOKEN_LIKE.search(site.value):
            continue
        seen.add(id(site.node))
        yield site


def _placeholder(ctx: RuleContext, site: RepoIdSite) -> bool:
    namespace = site.namespace
    return site.kind == PUSH_TARGET and namespace is not None and namespace.lower() in ctx.settings.placeholder_namespaces


def _replace_literal(
    ctx: RuleContext, site: RepoIdSite, new: str, title: str, grade: Applicability
) -> FixRequest | None:
    assert site.value is not None
    text = rewrite(ctx.source(site.node), site.value, new)
    return FixRequest.make(title, grade, "replace", span=ctx.doc.span(site.node), text=text) if text else None


def _consequence(site: RepoIdSite) -> str:
    if site.kind == PUSH_TARGET:
        return "huggingface_hub raises HFValidationError before anything is uploaded"
    return "loading it raises HFValidationError"


@rule("HS201", "invalid-repo-id", Severity.ERROR, triggers=ALL_TRIGGERS, fixes=(SAFE, UNSAFE))
def invalid_repo_id(ctx: RuleContext) -> Iterator[Finding]:
    """A repo id that huggingface_hub rejects.

    ## Why
    huggingface_hub validates every repo id before any request: `name` or
    `namespace/name`, each part made of letters, digits, `-`, `_` and `.` (at most
    96), not starting or ending with `-` or `.`, no `--` or `..`, no `.git`
    suffix. Anything else raises `HFValidationError`: for `hub_model_id`, when
    the Trainer is built, after the job has started.

    Checked where a repo id goes: `hub_model_id`, `x.push_to_hub(...)`,
    `create_repo(...)`, `repo_id=` of huggingface_hub calls, and ids a script
    loads (`from_pretrained(...)`, `load_dataset(...)`, a trainer's `model=`)
    when they cannot be local paths.

    ## Bad
    ```python
    SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/my model")
    ```

    ## Good
    ```python
    SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/my-model")
    ```

    ## Fix
    Safe when it only cuts off what surrounds the id (spaces, a `.git` suffix, a
    pasted `https://huggingface.co/` URL); unsafe when it changes the name itself.
    A mechanical repair when there is only one: spaces become `-`, surrounding
    spaces, doubled `-`/`.`, a leading or trailing `-`/`.` and a `.git` suffix
    are dropped, a pasted `https://huggingface.co/org/name` becomes `org/name`.
    """
    for site in _sites(ctx, push_only=False):
        value = site.value
        if value is None or (site.may_be_path and not repo_id.clearly_an_id(value)):
            continue
        reason = repo_id.problem(value)
        if reason is None:
            continue
        _, name = repo_id.split(value)
        if _placeholder(ctx, site) and repo_id.problem(name) is None:
            continue  # `<username>/model`: HS204 says what is wrong
        repaired = repo_id.repair(value)
        # Cutting off spaces, a `.git` or a URL around the id is certain; changing
        # characters inside it (spaces to `-`) names a repo the user never wrote.
        trimmed = value.strip()
        grade = SAFE if repaired in (trimmed, trimmed.removesuffix(".git")) or "://" in trimmed else UNSAFE
        yield ctx.finding(
            "HS201",
            site.node,
            f"\"{value}\" is not a valid repo id ({reason}): {_consequence(site)}",
            fix=_replace_literal(ctx, site, repaired, f'Change to "{repaired}"', grade) if repaired else None,
        )


def _valid_push_targets(ctx: RuleContext) -> Iterator[RepoIdSite]:
    for site in _sites(ctx, push_only=True):
        if site.value is not None and repo_id.problem(site.value) is None:
            yield site


@rule("HS202", "repo-id-without-namespace", Severity.WARNING, triggers=PUSH_TRIGGERS, fixes=(SAFE,))
def repo_id_without_namespace(ctx: RuleContext) -> Iterator[Finding]:
    """A repo the script pushes to has no `namespace/`: it goes wherever the token belongs.

    ## Why
    `hub_model_id="my-model"` or `push_to_hub("my-model")` creates the repo in
    the namespace of whoever owns the token the job runs with. The same script
    run with an organization's token, a colleague's, or a fine-grained token
    scoped to an organization pushes somewhere else, or fails with 403.

    ## Bad
    ```python
    model.push_to_hub("qwen-sft")
    ```

    ## Good
    ```python
    model.push_to_hub("alice/qwen-sft")
    ```

    ## Fix
    Safe: prefixes the namespace of your Hub login (offered when the login is
    known), which is where the repo goes today.
    """
    namespace = ctx.settings.namespace
    for site in _valid_push_targets(ctx):
        value = site.value
        assert value is not None
        if "/" in value:
            continue
        fix = None
        if namespace:
            # The token's own namespace: where the repo goes today, now written out.
            fix = _replace_literal(ctx, site, f"{namespace}/{value}", f'Change to "{namespace}/{value}"', SAFE)
        yield ctx.finding(
            "HS202",
            site.node,
            f'"{value}" has no namespace: the repo is created in whatever account the token belongs to, '
            "which differs between your machine, a job and an organization's token",
            fix=fix,
        )


@rule("HS203", "uppercase-repo-id", Severity.INFORMATION, triggers=PUSH_TRIGGERS, fixes=(UNSAFE,), opt_in=True)
def uppercase_repo_id(ctx: RuleContext) -> Iterator[Finding]:
    """A repo name the script creates has upper-case letters.

    Off by default: the Hub accepts upper case, and well-known repos use it
    (`Qwen/Qwen2.5-0.5B`, `Salesforce/codegen-350M-mono`). Turn it on with
    `select = ["HS203"]` (or `--select HS203`) where a team wants lower-case names.

    ## Why
    Upper case is discouraged in repo names: ids that differ only in case are
    easy to confuse when the model is loaded later, and tools that lower-case
    names do not find it. Only the repo name counts: the namespace is an
    existing account's spelling (`Qwen`, `HuggingFaceTB`).

    ## Bad
    ```python
    SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/Qwen-SFT")
    ```

    ## Good
    ```python
    SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/qwen-sft")
    ```

    ## Fix
    Unsafe (another repo name): lower-cases the repo name.
    """
    for site in _valid_push_targets(ctx):
        value = site.value
        assert value is not None
        namespace, name = repo_id.split(value)
        if name == name.lower():
            continue
        lowered = f"{namespace}/{name.lower()}" if namespace else name.lower()
        yield ctx.finding(
            "HS203",
            site.node,
            f'repo name "{name}" has upper-case letters (discouraged): ids that differ only in case are easy '
            "to confuse when the model is loaded",
            fix=_replace_literal(ctx, site, lowered, f'Change to "{lowered}"', UNSAFE),
        )


@rule("HS204", "placeholder-namespace", Severity.WARNING, triggers=PUSH_TRIGGERS, fixes=(UNSAFE,))
def placeholder_namespace(ctx: RuleContext) -> Iterator[Finding]:
    """A repo id whose namespace was copied from the docs (`username/...`, `your-org/...`).

    ## Why
    Examples write `username/my-model`, `your-username/...`, `<username>/...`.
    Nobody can push to those accounts: the push fails with 403 or 404, after the
    training it was meant to keep. Also found in f-strings
    (`f"your-username/{name}"`) and through a variable assigned in the same
    scope, or a module-level name bound once. The list is built in; the
    `placeholder-namespaces` setting replaces it and `extend-placeholder-namespaces`
    adds to it.

    ## Bad
    ```python
    SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="username/my-model")
    ```

    ## Good
    ```python
    SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/my-model")
    ```

    ## Fix
    Unsafe (another target, taken from the Hub login): replaces the namespace
    with your Hub login's (offered when the login is known).
    A job's `--hub_model_id` script argument (TRL scripts) is checked the same way.
    """
    from .job_script_args import argv_findings

    yield from argv_findings(ctx, "HS204")
    login = ctx.settings.namespace
    for site in _sites(ctx, push_only=True):
        if not _placeholder(ctx, site):
            continue
        namespace = site.namespace
        assert namespace is not None
        fix = None
        if login:
            text = rewrite_start(ctx.source(site.node), f"{namespace}/", f"{login}/")
            if text:
                fix = FixRequest.make(f'Use namespace "{login}"', UNSAFE, "replace", span=ctx.doc.span(site.node), text=text)
        yield ctx.finding(
            "HS204",
            site.node,
            f'namespace "{namespace}" is a placeholder from the docs: the push fails with 403/404 '
            "after training; use your Hub username or organization",
            fix=fix,
        )
