"""Notebooks over stdio: a real pytest-lsp client syncs a notebook the way VS Code does.

pytest-lsp's recorded VS Code capabilities (1.65) predate notebook sync and pull
diagnostics, so the client's capabilities here are VS Code's plus
`notebookDocument.synchronization`, pushing diagnostics or pulling them (with
`workspace/diagnostic/refresh`) as current VS Code does.
"""

from __future__ import annotations

import asyncio

import attrs
import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

from tests.lsp.harness import apply_text_edits, edits_of, server_config, wait_until

NOTEBOOK = "file:///workspace/course.ipynb"
IMPORT = "from trl import SFTConfig"
MAGIC = "%%capture\n!pip install trl datasets"
CONFIG_A = 'import os\n\nconfig = SFTConfig(\n    output_dir="qwen",\n)'
CONFIG_B = 'other = SFTConfig(output_dir="b")'
# (kind, language, text): the markdown cell is in the notebook but never analyzed.
CELLS = [("code", "python", IMPORT), ("markdown", "markdown", "# Train"), ("code", "python", MAGIC),
         ("code", "python", CONFIG_A), ("code", "python", CONFIG_B)]


def cell_uri(index: int) -> str:
    # VS Code's form: the notebook's path, a fragment naming the cell (percent-encoded).
    return f"vscode-notebook-cell:/workspace/course.ipynb#W{index}sZmlsZQ%3D%3D"


def capabilities(pull: bool) -> types.ClientCapabilities:
    caps = client_capabilities("visual-studio-code")
    text = attrs.evolve(
        caps.text_document,
        publish_diagnostics=attrs.evolve(caps.text_document.publish_diagnostics, version_support=True),
        diagnostic=types.DiagnosticClientCapabilities(related_document_support=False) if pull else None,
    )
    workspace = attrs.evolve(
        caps.workspace, diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True) if pull else None
    )
    notebook = types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities(dynamic_registration=True)
    )
    return attrs.evolve(caps, text_document=text, workspace=workspace, notebook_document=notebook)


@pytest_lsp.fixture(config=server_config(), params=["push", "pull"])
async def client(lsp_client: LanguageClient, request):
    lsp_client.refreshes = []  # type: ignore[attr-defined]
    features = lsp_client.protocol.fm.features
    answer = features[types.WORKSPACE_DIAGNOSTIC_REFRESH]

    def refresh(*args):  # pytest-lsp answers it; also count it
        lsp_client.refreshes.append(args[-1])  # type: ignore[attr-defined]
        return answer(*args)

    features[types.WORKSPACE_DIAGNOSTIC_REFRESH] = refresh

    # A known namespace (as the Hub login gives): HS101's fix is then safe and written into cells.
    params = types.InitializeParams(
        capabilities=capabilities(request.param == "pull"), initialization_options={"namespace": "alice"}
    )
    result = await lsp_client.initialize_session(params)
    lsp_client.server_capabilities = result.capabilities  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


def pulls(client: LanguageClient) -> bool:
    return bool(client.capabilities.text_document.diagnostic)


def open_notebook(client: LanguageClient, cells=CELLS) -> None:
    kinds = {"code": types.NotebookCellKind.Code, "markdown": types.NotebookCellKind.Markup}
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=NOTEBOOK,
                notebook_type="jupyter-notebook",
                version=1,
                cells=[types.NotebookCell(kind=kinds[k], document=cell_uri(i)) for i, (k, _, _) in enumerate(cells)],
            ),
            cell_text_documents=[
                types.TextDocumentItem(uri=cell_uri(i), language_id=lang, version=1, text=text)
                for i, (_, lang, text) in enumerate(cells)
            ],
        )
    )


def edit_cell(client: LanguageClient, notebook_version: int, index: int, version: int, text: str) -> None:
    client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(version=notebook_version, uri=NOTEBOOK),
            change=types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(
                    text_content=[
                        types.NotebookDocumentCellContentChanges(
                            document=types.VersionedTextDocumentIdentifier(uri=cell_uri(index), version=version),
                            changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
                        )
                    ]
                )
            ),
        )
    )


async def pull(client: LanguageClient, index: int, previous: str | None = None):
    return await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=cell_uri(index)), previous_result_id=previous
        )
    )


async def pushed_after(client: LanguageClient, start: int, expected: set[str]) -> dict[str, list[types.Diagnostic]]:
    """Publishes since message `start`, once every expected URI has one; then a pause for strays."""
    await wait_until(lambda: expected <= {p.uri for p in client.published[start:]})  # type: ignore[attr-defined]
    await asyncio.sleep(0.3)
    return {p.uri: list(p.diagnostics) for p in client.published[start:]}  # type: ignore[attr-defined]


async def all_diagnostics(client: LanguageClient) -> dict[int, list[types.Diagnostic]]:
    """Each code cell's diagnostics as the client sees them now (pulled, or last pushed)."""
    found = {}
    for index, (kind, _, _) in enumerate(CELLS):
        if kind != "code":
            continue
        if pulls(client):
            found[index] = list((await pull(client, index)).items)
        else:
            last = [p for p in client.published if p.uri == cell_uri(index)]  # type: ignore[attr-defined]
            found[index] = list(last[-1].diagnostics) if last else []
    return found


def summary(diagnostics: dict[int, list[types.Diagnostic]]):
    return {index: [(d.code, d.range.start.line, d.range.start.character, d.range.end.character) for d in diags]
            for index, diags in diagnostics.items() if diags}


async def test_diagnostics_land_in_the_config_cell_resolved_by_another_cells_import(client: LanguageClient):
    sync = client.server_capabilities.notebook_document_sync  # type: ignore[attr-defined]
    assert [(s.notebook, [c.language for c in s.cells]) for s in sync.notebook_selector] == [("*", ["python"])]
    open_notebook(client)
    if not pulls(client):
        await pushed_after(client, 0, {cell_uri(3), cell_uri(4)})
    # SFTConfig imported in cell 0, used in cells 3 and 4, a magic cell between: ranges inside the cells.
    assert summary(await all_diagnostics(client)) == {3: [("HS101", 2, 9, 18)], 4: [("HS101", 0, 8, 17)]}
    if not pulls(client):  # only cells with findings were sent anything, each at its own version
        assert {(p.uri, p.version) for p in client.published} == {(cell_uri(3), 1), (cell_uri(4), 1)}  # type: ignore[attr-defined]


async def test_quick_fix_edits_the_cell(client: LanguageClient):
    open_notebook(client)
    if not pulls(client):
        await pushed_after(client, 0, {cell_uri(3)})
    diags = (await all_diagnostics(client))[3]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=cell_uri(3)),
            range=diags[0].range,
            context=types.CodeActionContext(diagnostics=diags, only=[types.CodeActionKind.QuickFix]),
        )
    )
    [fix] = [a for a in actions if a.is_preferred]
    assert fix.title == 'Add push_to_hub=True, add hub_model_id="alice/qwen" (HS101)'
    changed = {change.text_document.uri for change in fix.edit.document_changes}
    assert changed == {cell_uri(3)}
    assert fix.edit.document_changes[0].text_document.version == 1
    new = apply_text_edits(CONFIG_A, edits_of(fix.edit, cell_uri(3)), "utf-16")
    assert new == 'import os\n\nconfig = SFTConfig(\n    output_dir="qwen",\n    push_to_hub=True,\n    hub_model_id="alice/qwen",\n)'
    [ignore] = [a for a in actions if a.title == "Ignore HS101 on this line"]
    assert apply_text_edits(CONFIG_A, edits_of(ignore.edit, cell_uri(3)), "utf-16").splitlines()[2] == (
        "config = SFTConfig(  # hubsave: ignore[HS101]"
    )


async def test_fix_all_edits_every_cell_it_fixes(client: LanguageClient):
    open_notebook(client)
    if not pulls(client):
        await pushed_after(client, 0, {cell_uri(3)})
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=cell_uri(4)),
            range=types.Range(types.Position(0, 0), types.Position(0, 0)),
            context=types.CodeActionContext(diagnostics=[], only=["source.fixAll.hubsave"]),
        )
    )
    [fix_all] = actions
    # VS Code resolves code actions: the edit is computed only when fix-all is chosen.
    assert fix_all.edit is None
    fix_all = await client.code_action_resolve_async(fix_all)
    uris = [change.text_document.uri for change in fix_all.edit.document_changes]
    assert uris and set(uris) <= {cell_uri(3), cell_uri(4)}
    assert cell_uri(0) not in uris and cell_uri(2) not in uris


async def test_hover_on_a_cell_shows_the_rule(client: LanguageClient):
    open_notebook(client)
    if not pulls(client):
        await pushed_after(client, 0, {cell_uri(4)})
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri=cell_uri(4)), types.Position(0, 10))
    )
    assert hover.contents.value.startswith("**HS101 push-to-hub-missing**")
    assert hover.range == types.Range(types.Position(0, 8), types.Position(0, 17))


async def test_editing_a_cell_updates_only_what_changed(client: LanguageClient):
    open_notebook(client)
    if pulls(client):
        ids = {i: (await pull(client, i)).result_id for i in (0, 2, 3, 4)}
    else:
        await pushed_after(client, 0, {cell_uri(3), cell_uri(4)})

    # 1. Two lines above cell 4's config: only cell 4's diagnostics move.
    start = len(client.published)  # type: ignore[attr-defined]
    edit_cell(client, 2, 4, 2, "# the second run\n\n" + CONFIG_B)
    if pulls(client):
        assert (await pull(client, 3, ids[3])).kind == "unchanged"
        report = await pull(client, 4, ids[4])
        assert [(d.code, d.range.start.line) for d in report.items] == [("HS101", 2)]
        ids[4] = report.result_id
    else:
        pushed = await pushed_after(client, start, {cell_uri(4)})
        assert {uri: [(d.code, d.range.start.line) for d in diags] for uri, diags in pushed.items()} == {
            cell_uri(4): [("HS101", 2)]
        }

    # 2. Cell 0 now uploads the output folder itself: cells 3 and 4 (not the edited one) are cleared.
    start = len(client.published)  # type: ignore[attr-defined]
    upload = 'from huggingface_hub import upload_folder\nupload_folder(repo_id="alice/qwen", folder_path="qwen")'
    edit_cell(client, 3, 0, 2, IMPORT + "\n" + upload)
    if pulls(client):
        await wait_until(lambda: client.refreshes)  # type: ignore[attr-defined]
        assert (await pull(client, 0, ids[0])).kind == "unchanged"
        assert list((await pull(client, 3, ids[3])).items) == []
        assert list((await pull(client, 4, ids[4])).items) == []
    else:
        pushed = await pushed_after(client, start, {cell_uri(3), cell_uri(4)})
        assert pushed == {cell_uri(3): [], cell_uri(4): []}
        versions = {p.uri: p.version for p in client.published[start:]}  # type: ignore[attr-defined]
        assert versions == {cell_uri(3): 1, cell_uri(4): 2}


async def test_a_half_typed_cell_hides_nothing_else(client: LanguageClient):
    open_notebook(client)
    if not pulls(client):
        await pushed_after(client, 0, {cell_uri(3), cell_uri(4)})
    start = len(client.published)  # type: ignore[attr-defined]
    edit_cell(client, 2, 4, 2, "other = SFTConfig(output_dir=")
    if pulls(client):
        assert list((await pull(client, 4)).items) == []
    else:
        pushed = await pushed_after(client, start, {cell_uri(4)})
        assert pushed == {cell_uri(4): []}
    assert summary(await all_diagnostics(client)) == {3: [("HS101", 2, 9, 18)]}


async def test_closing_the_notebook_clears_its_cells(client: LanguageClient):
    if pulls(client):
        pytest.skip("a pulling client drops a closed document's diagnostics itself")
    open_notebook(client)
    await pushed_after(client, 0, {cell_uri(3), cell_uri(4)})
    start = len(client.published)  # type: ignore[attr-defined]
    client.notebook_document_did_close(
        types.DidCloseNotebookDocumentParams(
            notebook_document=types.NotebookDocumentIdentifier(uri=NOTEBOOK),
            cell_text_documents=[types.TextDocumentIdentifier(uri=cell_uri(i)) for i in range(len(CELLS))],
        )
    )
    assert await pushed_after(client, start, {cell_uri(3), cell_uri(4)}) == {cell_uri(3): [], cell_uri(4): []}


async def test_changed_settings_reanalyze_the_open_notebook(client: LanguageClient):
    open_notebook(client)
    if not pulls(client):
        await pushed_after(client, 0, {cell_uri(3), cell_uri(4)})
    start = len(client.published)  # type: ignore[attr-defined]
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"hubsave": {"ignore": ["HS101"]}})
    )
    if pulls(client):
        await wait_until(lambda: client.refreshes)  # type: ignore[attr-defined]
        assert summary(await all_diagnostics(client)) == {}
    else:
        assert await pushed_after(client, start, {cell_uri(3), cell_uri(4)}) == {cell_uri(3): [], cell_uri(4): []}


async def test_deleting_a_cell_clears_it_and_a_stray_change_is_ignored(client: LanguageClient):
    # A change for a notebook that was never opened: logged by pygls, the server carries on.
    client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(version=9, uri="file:///workspace/other.ipynb"),
            change=types.NotebookDocumentChangeEvent(),
        )
    )
    open_notebook(client)
    if not pulls(client):
        await pushed_after(client, 0, {cell_uri(3), cell_uri(4)})
    start = len(client.published)  # type: ignore[attr-defined]
    client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(version=2, uri=NOTEBOOK),
            change=types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(
                    structure=types.NotebookDocumentCellChangeStructure(
                        array=types.NotebookCellArrayChange(start=4, delete_count=1),
                        did_close=[types.TextDocumentIdentifier(uri=cell_uri(4))],
                    )
                )
            ),
        )
    )
    if pulls(client):
        report = await pull(client, 3)
        assert [(d.code, d.range.start.line) for d in report.items] == [("HS101", 2)]
    else:
        assert await pushed_after(client, start, {cell_uri(4)}) == {cell_uri(4): []}
