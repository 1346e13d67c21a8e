"""Protocol abuse: the server answers with LSP errors and keeps serving."""

from __future__ import annotations

import pytest

from tests.hardening.rawclient import RawServer

URI = "file:///abuse/train.py"
TEXT = 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="x")\n'
# A pull client as VS Code is: pull is offered only to clients that accept a refresh.
CAPS = {
    "textDocument": {"diagnostic": {}},
    "workspace": {"diagnostics": {"refreshSupport": True}},
    "general": {"positionEncodings": ["utf-16"]},
}


@pytest.fixture
def server():
    raw = RawServer()
    assert "result" in raw.request(1, "initialize", {"capabilities": CAPS, "processId": None})
    raw.notify("initialized", {})
    yield raw
    assert raw.close() == 0, b"".join(raw.stderr).decode()[-2000:]


def _open(server, text=TEXT, version=1):
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": URI, "languageId": "python", "version": version, "text": text}},
    )


def _pull(server, id_):
    return server.request(id_, "textDocument/diagnostic", {"textDocument": {"uri": URI}})


def test_malformed_json_and_unknown_methods(server):
    server.send_bytes(b'{"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover", "params": {')
    server.send_bytes(b"not json at all")
    unknown = server.request(6, "hubsave/doesNotExist", {})
    assert unknown["error"]["code"] == -32601  # method not found
    _open(server)
    assert [d["code"] for d in _pull(server, 7)["result"]["items"]] == ["HS101"]


def test_requests_for_unopened_documents_and_positions_past_the_end(server):
    hover = server.request(10, "textDocument/hover", {"textDocument": {"uri": "file:///nowhere.py"}, "position": {"line": 3, "character": 4}})
    assert "error" in hover or hover["result"] is None
    _open(server)
    far = server.request(11, "textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 999, "character": 999}})
    assert far.get("result") is None
    action = server.request(
        12,
        "textDocument/codeAction",
        {
            "textDocument": {"uri": URI},
            "range": {"start": {"line": 500, "character": 0}, "end": {"line": 900, "character": 3}},
            "context": {"diagnostics": []},
        },
    )
    assert "result" in action
    assert [d["code"] for d in _pull(server, 13)["result"]["items"]] == ["HS101"]


def test_bad_changes_do_not_kill_the_server(server):
    _open(server)
    # An old version, then a range past the end, then overlapping ranges in one change.
    server.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 0}, "contentChanges": [{"text": TEXT}]})
    server.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": URI, "version": 3},
            "contentChanges": [
                {"range": {"start": {"line": 40, "character": 0}, "end": {"line": 50, "character": 9}}, "text": "x"},
                {"range": {"start": {"line": 1, "character": 3}, "end": {"line": 0, "character": 1}}, "text": "y"},
            ],
        },
    )
    server.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 4}, "contentChanges": [{"text": TEXT}]})
    assert [d["code"] for d in _pull(server, 20)["result"]["items"]] == ["HS101"]


def test_cancelled_requests(server):
    _open(server)
    server.send({"jsonrpc": "2.0", "id": 30, "method": "textDocument/codeAction", "params": {
        "textDocument": {"uri": URI},
        "range": {"start": {"line": 1, "character": 9}, "end": {"line": 1, "character": 9}},
        "context": {"diagnostics": []},
    }})
    server.notify("$/cancelRequest", {"id": 30})
    answer = server.response(30)
    assert "result" in answer or answer["error"]["code"] == -32800  # done, or cancelled
    assert [d["code"] for d in _pull(server, 31)["result"]["items"]] == ["HS101"]
