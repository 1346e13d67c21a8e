"""The floor for a pygls server: what any pygls 2.1 server costs before doing real work.

It stores open documents (pygls' workspace applies full and incremental changes)
and publishes empty diagnostics for every version, so the benchmark can time
didChange -> publishDiagnostics for it exactly as for hubsave.
"""

from lsprotocol import types
from pygls.lsp.server import LanguageServer

server = LanguageServer("minimal-pygls", "0.1.0", text_document_sync_kind=types.TextDocumentSyncKind.Incremental)


def _publish(uri: str, version: int) -> None:
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=[])
    )


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(params: types.DidOpenTextDocumentParams) -> None:
    _publish(params.text_document.uri, params.text_document.version)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(params: types.DidChangeTextDocumentParams) -> None:
    # Touch the source so pygls really applies the change (it is lazy otherwise).
    server.workspace.get_text_document(params.text_document.uri).source
    _publish(params.text_document.uri, params.text_document.version)


if __name__ == "__main__":
    server.start_io()
