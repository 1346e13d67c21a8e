"""Live Hub diagnostics (HS701/HS702): look up a document's repo ids in the background.

Local diagnostics are published first, from whatever answers are already known; the
lookups run as tasks (their Hub calls in HubService's threads) and, when an answer
changes what is known, the open documents are analyzed again at their newest version.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..analysis.hub_sites import RepoSite, is_repo_id, repo_sites
from ..hub import PushVerdict, ReferenceVerdict
from .hub_hover import verdict_for

if TYPE_CHECKING:
    from .server import HubsaveServer

log = logging.getLogger(__name__)

Key = tuple[str, str, str]


class LiveLookups:
    def __init__(self, server: HubsaveServer) -> None:
        self.server = server
        self._pending: set[Key] = set()

    def look_up(self, uri: str) -> None:
        """After an analysis: answers from the cache now, the rest from the Hub later."""
        session = self.server.session
        if not (session.live_hub and session.enabled):
            return
        document = self.server.parsed(uri)
        if document is None:
            return
        hub = session.hub
        for site in repo_sites(document):
            if not is_repo_id(site.repo_id) or site.key in self._pending:
                continue
            cached = (hub.peek_push(site.repo_id, site.repo_type) if site.check == "push"  # type: ignore[arg-type]
                      else hub.peek_reference(site.repo_id, site.repo_type))  # type: ignore[arg-type]
            if cached is not None:
                self.store(site.key, cached)
            else:
                self._pending.add(site.key)
                self.server.spawn(self._ask(site))

    def store(self, key: Key, verdict: PushVerdict | ReferenceVerdict) -> None:
        """Keep the answer; an unclear one (Hub down) does not replace a clear one.

        A changed answer re-analyzes the open documents (at their newest versions).
        """
        session = self.server.session
        if not session.live_hub:
            return
        known = session.hub_verdicts.get(key)
        if verdict.outcome == "unknown" and known is not None:
            return
        if known != verdict:
            session.hub_verdicts[key] = verdict
            self.server.refresh_all()

    async def _ask(self, site: RepoSite) -> None:
        try:
            verdict = await verdict_for(self.server.session.hub, site)
        except Exception:  # a lookup bug costs one live diagnostic, never the server
            log.exception("Hub lookup failed for %s", site.repo_id)
            return
        finally:
            self._pending.discard(site.key)
        self.server.note_login(self.server.session.hub.peek_login())
        self.store(site.key, verdict)
