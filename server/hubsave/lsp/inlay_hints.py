"""Inlay hint after a pushing config without hub_model_id: the repo the Trainer will use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from ..analysis.hub_sites import repo_sites
from .convert import Columns

if TYPE_CHECKING:
    from .server import HubsaveServer


def inlay_hints(ls: HubsaveServer, params: types.InlayHintParams) -> list[types.InlayHint] | None:
    """textDocument/inlayHint (registered in `features`)."""
    uri = params.text_document.uri
    document = ls.parsed(uri)
    if document is None or not ls.session.enabled:
        return None
    columns = Columns(document.lines, ls.encoding)
    wanted = columns.span(params.range)
    namespace = ls.session.namespace  # known from the login; never a request from here
    hints, seen = [], set()
    for site in repo_sites(document):
        end = site.call_span
        if site.kind != "derived" or end in seen or not wanted.start_line <= end.end_line <= wanted.end_line:
            continue
        seen.add(end)
        repo = f"{namespace or '<your login>'}/{site.repo_id}"
        hints.append(types.InlayHint(
            position=types.Position(end.end_line, columns.to_client(end.end_line, end.end_col)),
            label=f"→ {repo}",
            padding_left=True,
            tooltip=f"No hub_model_id: the Trainer pushes to {repo} (<your login>/<output_dir name>)",
        ))
    return hints
