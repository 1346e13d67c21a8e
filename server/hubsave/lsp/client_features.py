"""What the client can do, read once from its `initialize` capabilities.

The server asks these questions in many places (how to send diagnostics, edits,
hint refreshes, settings); they are answered here, in one place, from the nested
optional `ClientCapabilities` every client fills in differently.
"""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types


@dataclass(frozen=True)
class ClientFeatures:
    # Serve diagnostics by pull (and never push, which the client would show twice).
    # Pulling alone is not enough: diagnostics that change without an edit of their
    # document (settings, background Hub lookups, a job's submission edited) reach a
    # pull client only if the server can ask it to pull again (workspace/diagnostic/
    # refresh). Neovim 0.10/0.11 pull but cannot be asked, so such clients get pushes
    # and are not offered pull diagnostics at all.
    pull_diagnostics: bool = False
    document_changes: bool = False  # versioned edits (WorkspaceEdit.document_changes)
    inlay_hint_refresh: bool = False  # workspace/inlayHint/refresh
    configuration: bool = False  # workspace/configuration (the `hubsave` section)
    resolve_edits: bool = False  # asks for a code action's edit only once the user picks it
    snippet_edits: bool = False  # applies a snippet (placeholders to type in) from a code action's edit
    watches_files: bool = False  # lets the server register file watchers (pyproject.toml)

    @classmethod
    def of(cls, caps: types.ClientCapabilities | None) -> ClientFeatures:
        text = caps.text_document if caps else None
        workspace = caps.workspace if caps else None
        action = text.code_action if text else None
        resolve = action.resolve_support if action else None
        resolve_edits = bool(resolve and "edit" in resolve.properties)
        if workspace is None:
            return cls(resolve_edits=resolve_edits)
        refresh = bool(workspace.diagnostics and workspace.diagnostics.refresh_support)
        edit = workspace.workspace_edit
        return cls(
            pull_diagnostics=bool(text and text.diagnostic) and refresh,
            document_changes=bool(edit and edit.document_changes),
            inlay_hint_refresh=bool(workspace.inlay_hint and workspace.inlay_hint.refresh_support),
            configuration=bool(workspace.configuration),
            resolve_edits=resolve_edits,
            snippet_edits=bool(edit and edit.snippet_edit_support and edit.document_changes),
            watches_files=bool(workspace.did_change_watched_files and workspace.did_change_watched_files.dynamic_registration),
        )
