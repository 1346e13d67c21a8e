"""The requests the server announces in its `initialize` answer, registered with handlers
that import their modules on first use.

A client learns every capability from that answer, so the options must be known before
it; the modules behind them (and the analysis they import) are not needed until a
document is open, and importing them up front was most of what hubsave's cold start
cost over a bare pygls server (docs/performance.md, "Cold start").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

if TYPE_CHECKING:
    from .server import HubsaveServer

FIX_ALL = "source.fixAll.hubsave"

# Any notebook type (Jupyter, Colab...), its Python cells. "*" rather than no notebook
# filter: lsprotocol-based clients cannot read a selector without one.
NOTEBOOK_SYNC = types.NotebookDocumentSyncOptions(
    notebook_selector=[
        types.NotebookDocumentFilterWithNotebook(notebook="*", cells=[types.NotebookCellLanguage(language="python")])
    ],
    save=True,
)


def register(server: HubsaveServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=True),
    )
    def code_action(ls: HubsaveServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        from .code_actions import code_actions

        return code_actions(ls, params)

    @server.feature(types.CODE_ACTION_RESOLVE)
    def resolve(ls: HubsaveServer, action: types.CodeAction) -> types.CodeAction:
        from .code_actions import resolve_fix_all

        return resolve_fix_all(ls, action) or action

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: HubsaveServer, params: types.HoverParams) -> types.Hover | None:
        from .hover import hover_at

        return await hover_at(ls, params)

    # "=": a flavor right after `--flavor=` on a command line (after `--flavor ` editors
    # ask on the first letter typed).
    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=['"', "'", "/", "="]))
    async def completion(ls: HubsaveServer, params: types.CompletionParams) -> types.CompletionList | None:
        from .completion import completions

        return await completions(ls, params)

    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    def inlay_hint(ls: HubsaveServer, params: types.InlayHintParams) -> list[types.InlayHint] | None:
        from .inlay_hints import inlay_hints

        return inlay_hints(ls, params)

    # Notebooks: `ls.notebooks` imports their module when first used.
    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_did_open(ls: HubsaveServer, params: types.DidOpenNotebookDocumentParams) -> None:
        ls.notebooks.schedule(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def notebook_did_change(ls: HubsaveServer, params: types.DidChangeNotebookDocumentParams) -> None:
        ls.notebooks.schedule(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    def notebook_did_save(ls: HubsaveServer, params: types.DidSaveNotebookDocumentParams) -> None:
        ls.notebooks.schedule(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_did_close(ls: HubsaveServer, params: types.DidCloseNotebookDocumentParams) -> None:
        ls.notebooks.close(params.notebook_document)
