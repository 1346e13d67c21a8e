"""Hover text for a repo id: what the Hub says about it, for the login that will use it.

Never blocks the server: the lookups run in HubService's worker threads and the whole
answer is bounded by the Hub timeout; a slow or absent Hub is said plainly.
"""

from __future__ import annotations

import asyncio

from ..analysis.hub_sites import RepoSite
from ..hub import HubService, PushVerdict, ReferenceVerdict
from ..hub.service import GRACE

_ICONS = {"create": "✅", "push": "✅", "ok": "✅", "gated": "✅",
          "forbidden": "⛔", "missing": "⛔", "no_access": "⛔", "unknown": "⚠️"}
_ROLE = {"push": "push target", "derived": "push target", "model": "model", "dataset": "dataset", "space": "Space"}


async def verdict_for(hub: HubService, site: RepoSite) -> PushVerdict | ReferenceVerdict:
    if site.check == "push":
        return await hub.push_check(site.repo_id, site.repo_type)  # type: ignore[arg-type]
    return await hub.reference_check(site.repo_id, site.repo_type)  # type: ignore[arg-type]


async def hub_markdown(hub: HubService, site: RepoSite) -> tuple[str, PushVerdict | ReferenceVerdict | None]:
    """The markdown for ``site`` and the verdict it shows (None when the Hub did not answer)."""
    # A bare name needs the login before the repo: two round trips, still one bound.
    bound = (hub.timeout + GRACE) * (2 if "/" not in site.repo_id and site.check == "push" else 1)
    try:
        verdict = await asyncio.wait_for(verdict_for(hub, site), bound)
    except asyncio.TimeoutError:
        return _markdown(site, None, f"Hub did not answer within {hub.timeout:g} s"), None
    return _markdown(site, verdict, verdict.message), verdict


def _markdown(site: RepoSite, verdict: PushVerdict | ReferenceVerdict | None, message: str) -> str:
    shown = verdict.repo_id if isinstance(verdict, PushVerdict) else site.repo_id
    title = f"**{shown}** · {_ROLE[site.kind]}"
    lines = []
    if site.kind == "derived":
        title += f" of `{site.call}` (no `hub_model_id`)"
        lines.append(f"Without `hub_model_id` the Trainer pushes to `<your login>/<output_dir name>`: "
                     f"`{shown if '/' in shown else '<your login>/' + site.repo_id}`.")
    elif site.call:
        title += f" (`{site.call}`)"
    icon = _ICONS.get(verdict.outcome if verdict else "unknown", "⚠️")
    lines.append(f"{icon} {_escape(message)}")
    if verdict is not None and verdict.url and verdict.outcome not in ("create", "missing", "unknown"):
        lines.append(f"[Open {shown} on the Hub]({verdict.url})")
    return "\n\n".join([title, *lines])


def _escape(text: str) -> str:
    """Messages are plain text: keep markdown from reading `*`, `[...]` or `<...>` in them."""
    return "".join(f"\\{c}" if c in "\\*[]<>" else c for c in text)
