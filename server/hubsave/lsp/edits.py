"""Text edits to WorkspaceEdits, in the client's position encoding."""

from __future__ import annotations

from lsprotocol import types

from ..fixes.text_edit import TextEdit
from .convert import Columns


def workspace_edit(
    uri: str, version: int | None, edits: list[TextEdit], columns: Columns, document_changes: bool
) -> types.WorkspaceEdit:
    lsp_edits = [types.TextEdit(range=columns.range(e.span), new_text=e.new_text) for e in edits]
    if document_changes:
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                    edits=lsp_edits,
                )
            ]
        )
    return types.WorkspaceEdit(changes={uri: lsp_edits})
