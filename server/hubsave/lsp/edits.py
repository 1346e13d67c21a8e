"""Text edits to WorkspaceEdits, in the client's position encoding."""

from __future__ import annotations

from lsprotocol import types

from ..analysis.findings import SNIPPET_NAME, SNIPPET_NAMESPACE
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


def snippet_workspace_edit(uri: str, version: int | None, edit: TextEdit, columns: Columns) -> types.WorkspaceEdit:
    """A display-only fix as a snippet: the namespace (and a name hubsave could not
    derive) become placeholders the editor selects for typing."""
    text = edit.new_text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")
    text = text.replace(f"{SNIPPET_NAMESPACE}/", f"${{1:{SNIPPET_NAMESPACE}}}/", 1)
    text = text.replace(f"/{SNIPPET_NAME}", f"/${{2:{SNIPPET_NAME}}}", 1)
    snippet = types.SnippetTextEdit(range=columns.range(edit.span), snippet=types.StringValue(value=text))
    return types.WorkspaceEdit(
        document_changes=[
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version), edits=[snippet]
            )
        ]
    )
