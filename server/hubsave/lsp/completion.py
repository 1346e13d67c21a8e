"""Completions inside strings: repo ids (the login's namespaces), job flavors, strategies;
and in command lines, flavors after `--flavor` and repo ids after a TRL script's options."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from lsprotocol import types

from ..analysis.catalog import HUB_STRATEGIES, SAVE_STRATEGIES
from ..analysis.hardware import hardware_for
from ..analysis.value_slots import Slot, slot_at
from ..hub.service import GRACE
from .convert import Columns

if TYPE_CHECKING:
    from .server import HubsaveServer

STRATEGY_DOCS = {
    "hub_strategy": {
        "end": "push the final model (and model card) when training ends",
        "every_save": "push on every save, in the background",
        "checkpoint": "like every_save, plus the latest checkpoint in last-checkpoint/ (resumable)",
        "all_checkpoints": "like every_save, with every checkpoint in its own folder",
    },
    "save_strategy": {
        "no": "never save during training",
        "epoch": "save at the end of each epoch",
        "steps": "save every save_steps steps",
        "best": "save when the metric (metric_for_best_model) improves",
    },
}
assert set(STRATEGY_DOCS["hub_strategy"]) == set(HUB_STRATEGIES)
assert set(STRATEGY_DOCS["save_strategy"]) == set(SAVE_STRATEGIES)


async def completions(ls: HubsaveServer, params: types.CompletionParams) -> types.CompletionList | None:
    """textDocument/completion (registered in `features`)."""
    uri = params.text_document.uri
    if not ls.session.enabled:
        return None
    line = params.position.line
    query = None if ls.notebooks.owns(uri) or ls.kind(uri) == "python" else ls.query(uri)
    if query is None:
        document = ls.parsed(uri)
        if document is None:
            return None
        columns = Columns(document.lines, ls.encoding)
        slot = slot_at(document, line, columns.from_client(line, params.position.character))
    else:  # a command line
        columns = query.columns()
        slot = query.command_line_slot(line, columns.from_client(line, params.position.character))
    if slot is None:
        return None
    where = columns.range(slot.content)
    if slot.kind == "repo":
        choices = await _namespaces(ls, slot)
    elif slot.kind == "flavor":
        choices = list(hardware_for(slot.job_form).items())
    else:
        choices = list(STRATEGY_DOCS[slot.kind].items())
    kind = types.CompletionItemKind.Module if slot.kind == "repo" else types.CompletionItemKind.EnumMember
    items = [
        types.CompletionItem(label=label, kind=kind, detail=detail, sort_text=f"{i:04d}",
                             filter_text=label, text_edit=types.TextEdit(range=where, new_text=label))
        for i, (label, detail) in enumerate(choices)
    ]
    return types.CompletionList(is_incomplete=False, items=items)


async def _namespaces(ls: HubsaveServer, slot: Slot) -> list[tuple[str, str]]:
    """`<namespace>/<name>` for each namespace of the login (only writable ones for a push)."""
    hub = ls.session.hub
    try:
        state = await asyncio.wait_for(hub.whoami(), hub.timeout + GRACE)
    except asyncio.TimeoutError:
        return []
    ls.note_login(state)
    login = state.login
    if login is None:
        return []
    push = slot.site is not None and slot.site.check == "push"
    name = slot.text.split("/")[-1]
    choices = []
    for namespace in login.writable_namespaces() if push else login.namespaces():
        role = login.org_role(namespace)
        detail = "your namespace" if namespace == login.name else f"org {namespace} (your role: {role or 'unknown'})"
        choices.append((f"{namespace}/{name}", detail))
    return choices
