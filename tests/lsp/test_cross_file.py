"""HS308 across documents: a submission reports on the job script it names, reading
the script's text from the editor when it is open (unsaved edits win over disk)."""

from __future__ import annotations

import asyncio

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.harness import (
    change_document,
    diagnostics,
    init_params,
    open_document,
    pulls,
    server_config,
)

CLIENTS = ["visual-studio-code", "neovim@v0.9.1"]  # pull, push

SUBMIT = 'from huggingface_hub import get_token, run_uv_job\n\nrun_uv_job("train.py", timeout="2h", secrets={"HF_TOKEN": get_token()})\n'
PUSHES = (
    "from trl import SFTConfig\n\n"
    'config = SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/out")\n'
)
LOSES = "from trl import SFTConfig\n\n# edited, not saved\nconfig = SFTConfig(output_dir=\"out\")\n"


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "submit.py").write_text(SUBMIT, encoding="utf-8")
    (tmp_path / "train.py").write_text(PUSHES, encoding="utf-8")  # on disk the script pushes
    return tmp_path


@pytest_lsp.fixture(config=server_config(), params=CLIENTS)
async def client(lsp_client: LanguageClient, request, workspace):
    await lsp_client.initialize_session(init_params(request.param, root=workspace))
    yield
    await lsp_client.shutdown_session()


async def _hs308(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    return [d for d in await diagnostics(client, uri, 1) if d.code == "HS308"]


async def _eventually(client: LanguageClient, uri: str, want: bool) -> list[types.Diagnostic]:
    """The submission's HS308 once it is (or is no longer) reported; pushed
    diagnostics arrive on their own, pulled ones are asked for again."""
    found: list[types.Diagnostic] = []

    async def poll() -> bool:
        nonlocal found
        if pulls(client):
            found = await _hs308(client, uri)
        else:
            latest = [p for p in client.published if p.uri == uri]  # type: ignore[attr-defined]
            found = [d for d in latest[-1].diagnostics if d.code == "HS308"] if latest else []
        return bool(found) == want

    for _ in range(200):  # 10 s
        if await poll():
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"HS308 {'never appeared' if want else 'never went away'}: {found}")


async def test_open_script_text_wins_over_disk(client: LanguageClient, workspace):
    submit_uri, script_uri = (workspace / "submit.py").as_uri(), (workspace / "train.py").as_uri()

    open_document(client, script_uri, LOSES)  # the editor's text drops the push
    open_document(client, submit_uri, SUBMIT)
    found = await _eventually(client, submit_uri, want=True)
    assert len(found) == 1
    diag = found[0]
    assert diag.range.start == types.Position(2, 11)  # the "train.py" argument
    assert "line 4" in diag.message and "train.py" in diag.message
    related = diag.related_information
    assert related and related[0].location.uri == script_uri
    assert related[0].location.range.start.line == 3  # the editor's line, not the disk's (2)

    # Typing the push back into the script clears the submission's diagnostic.
    change_document(client, script_uri, 2, PUSHES)
    await _eventually(client, submit_uri, want=False)

    # Dropping it again brings it back; closing the script falls back to the disk (pushes).
    change_document(client, script_uri, 3, LOSES)
    await _eventually(client, submit_uri, want=True)
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=script_uri)))
    await _eventually(client, submit_uri, want=False)


async def test_disk_script_when_not_open(client: LanguageClient, workspace):
    (workspace / "train.py").write_text(LOSES, encoding="utf-8")
    submit_uri = (workspace / "submit.py").as_uri()
    open_document(client, submit_uri, SUBMIT)
    found = await _eventually(client, submit_uri, want=True)
    assert found[0].related_information[0].location.uri == (workspace / "train.py").as_uri()


async def test_a_shell_script_follows_the_script_its_command_line_runs(client: LanguageClient, workspace):
    """A command line's findings are reused between keystrokes, but not once the script changes."""
    launch = "#!/bin/bash\nhf jobs uv run --secrets HF_TOKEN --timeout 2h train.py\n"
    (workspace / "launch.sh").write_text(launch, encoding="utf-8")
    launch_uri, script_uri = (workspace / "launch.sh").as_uri(), (workspace / "train.py").as_uri()
    open_document(client, script_uri, LOSES)
    open_document(client, launch_uri, launch, language_id="shellscript")
    found = await _eventually(client, launch_uri, want=True)
    assert found[0].range.start == types.Position(1, launch.splitlines()[1].index("train.py"))
    change_document(client, script_uri, 2, PUSHES)
    await _eventually(client, launch_uri, want=False)
    change_document(client, script_uri, 3, LOSES)
    await _eventually(client, launch_uri, want=True)
