"""HS7xx: what the Hub says about the repo ids a script names (opt-in, live).

These rules never ask the Hub: the language server looks the ids up in the background
and passes the answers in ``Settings.hub_verdicts``; an id without an answer yet (or
with an unclear one) gives no finding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..findings import Finding, Severity
from ..hub_sites import RepoSite, is_repo_id, repo_sites
from ..repo_sites import ALL_TRIGGERS
from ..settings import HubVerdict
from .registry import rule

if TYPE_CHECKING:
    from ..context import RuleContext


def _answered(ctx: RuleContext, check: str) -> Iterator[tuple[RepoSite, HubVerdict]]:
    verdicts = ctx.settings.hub_verdicts
    if not verdicts:
        return
    seen: set[object] = set()
    for site in repo_sites(ctx.doc, ctx.facts):
        if site.check != check or not is_repo_id(site.repo_id):
            continue
        if site.kind == "derived":  # reported once, on the config's class name
            if site.call_span in seen:
                continue
            seen.add(site.call_span)
        verdict = verdicts.get(site.key)
        if verdict is not None:
            yield site, verdict


@rule("HS701", "repo-not-writable", Severity.WARNING, triggers=ALL_TRIGGERS, opt_in=True, live=True)
def repo_not_writable(ctx: RuleContext) -> Iterator[Finding]:
    """The push target is a repo or namespace your Hub login cannot write to: the first push fails with 403.

    ## Why
    The Trainer pushes at the first save (or at the end), after hours of training.
    A repo owned by someone else, an org where your role is read-only, or a
    read-only token all fail there with `403 Forbidden`, and in a job the
    weights are gone with the container.

    ## Bad
    ```python
    # logged in as alice, who is not a member of bob's namespace
    SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="bob/llama-dpo")
    ```

    ## Good
    ```python
    SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/llama-dpo")
    ```

    ## Fix
    Push to your own namespace or an org where you have the write role, or log
    in with a token that has write access. Opt-in: set `hubsave.hub.liveDiagnostics`
    to true; the check uses your own Hub login and the answer of the Hub.
    """
    for site, verdict in _answered(ctx, "push"):
        if verdict.outcome == "forbidden":
            yield ctx.finding("HS701", site.span, f"the push will fail: {verdict.message}")


@rule("HS702", "hub-reference-missing", Severity.WARNING, triggers=ALL_TRIGGERS, opt_in=True, live=True)
def hub_reference_missing(ctx: RuleContext) -> Iterator[Finding]:
    """A model or dataset id the script loads does not exist on the Hub, or is gated and your login has no access.

    ## Why
    `from_pretrained` and `load_dataset` fail at run time with
    `RepositoryNotFoundError` or `GatedRepoError`: in a job, after the
    container has been set up and billed.

    ## Bad
    ```python
    load_dataset("trl-lib/Capybarra")  # a typo: no such dataset
    ```

    ## Good
    ```python
    load_dataset("trl-lib/Capybara")
    ```

    ## Fix
    Correct the id, or request access on the gated repo's page (and make sure
    the job's token belongs to the login that has it). Opt-in: set
    `hubsave.hub.liveDiagnostics` to true.
    """
    for site, verdict in _answered(ctx, "read"):
        if verdict.outcome in ("missing", "no_access"):
            yield ctx.finding("HS702", site.span, f"loading it will fail: {verdict.message}")
