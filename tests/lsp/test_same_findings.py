"""The CLI, VS Code and Neovim give the same findings for the same file with default settings.

The editors' settings are not written here: VS Code's are what the extension's own
settings code (client/src/settingsPayload.ts, compiled) makes of package.json's defaults
with nothing set by the user; Neovim's are what real Neovim makes of the documented
configuration (the README's `vim.lsp.config` block). The server gets them as
initialization options and as the answer to `workspace/configuration`, as each editor
sends them, with each editor's recorded capabilities (VS Code pulls, Neovim is pushed to).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_lsp import ClientServerConfig

from tests.e2e.neovim.test_neovim import doc_blocks, find_nvim
from tests.lsp.harness import diagnostics, init_params, make_client, open_document

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "seed" / "push_model.py"

VSCODE_DEFAULTS = """
const { userSettings } = require(process.argv[1] + '/out/src/settingsPayload.js');
const props = require(process.argv[1] + '/package.json').contributes.configuration.properties;
// A fresh profile: inspect() knows each setting's default and no user value.
const settings = userSettings((key) => ({ defaultValue: (props['hubsave.' + key] || {}).default }));
process.stdout.write(JSON.stringify(settings));
"""


@pytest.fixture(scope="module")
def vscode_options() -> dict:
    """What the extension sends with nothing set (initializationOptions and the section)."""
    if not (ROOT / "node_modules" / ".package-lock.json").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True, capture_output=True, timeout=600)
    subprocess.run(["npx", "tsc", "-p", "tsconfig.test.json"], cwd=ROOT, check=True, capture_output=True, timeout=300)
    out = subprocess.run(["node", "-e", VSCODE_DEFAULTS, str(ROOT)], check=True, capture_output=True, text=True,
                         timeout=60).stdout
    return json.loads(out)


@pytest.fixture(scope="module")
def neovim_options(tmp_path_factory) -> tuple[object, object]:
    """(init_options, settings.hubsave) of the README's Neovim configuration, as Neovim resolves it."""
    nvim, found = find_nvim()
    assert nvim is not None, f"needs Neovim 0.11+ (pip install -e '.[test]' installs it): {found}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = doc_blocks("tested")["inline-config"]
    assert snippet in readme  # the README's snippet is this one
    script = tmp_path_factory.mktemp("nvim") / "print_config.lua"
    script.write_text(snippet + (
        "local c = vim.lsp.config.hubsave\n"
        "local section = c.settings and c.settings.hubsave\n"
        "io.stdout:write(vim.json.encode({ init_options = c.init_options or vim.NIL, section = section or vim.NIL }))\n"
        "vim.cmd('qa!')\n"
    ))
    out = subprocess.run([nvim, "--headless", "--clean", "-c", f"luafile {script}"], capture_output=True, text=True,
                         timeout=60)
    data = json.loads(out.stdout or out.stderr)
    return data["init_options"], data["section"]


def cli_findings(path: Path, cwd: Path) -> list[tuple[str, int, int]]:
    run = subprocess.run([sys.executable, "-m", "hubsave", "check", "--format", "json", str(path)], cwd=cwd,
                         capture_output=True, text=True, timeout=120)
    return sorted((r["code"], r["line"], r["column"]) for r in json.loads(run.stdout))


async def editor_findings(path: Path, spec: str, options: object, section: object) -> list[tuple[str, int, int]]:
    config = ClientServerConfig(server_command=[sys.executable, "-m", "hubsave", "lsp"], client_factory=make_client,
                                server_env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})
    client = await config.start()
    client.set_configuration({"hubsave": section} if section is not None else {})
    await client.initialize_session(init_params(spec, path.parent, options))  # type: ignore[arg-type]
    try:
        open_document(client, path.as_uri(), path.read_text(encoding="utf-8"))
        found = await diagnostics(client, path.as_uri(), 1, timeout=60)
    finally:
        await client.shutdown_session()
        await client.stop()
    return sorted((str(d.code), d.range.start.line + 1, d.range.start.character + 1) for d in found)


@pytest.mark.parametrize("pyproject", [None, '[tool.hubsave]\nignore = ["HS402"]\n'], ids=["defaults", "project-ignore"])
async def test_cli_vscode_and_neovim_agree(tmp_path, vscode_options, neovim_options, pyproject):
    project = tmp_path / "project"
    project.mkdir()
    script = project / "push_model.py"
    shutil.copy(EXAMPLE, script)
    if pyproject:
        (project / "pyproject.toml").write_text(pyproject)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    cli = cli_findings(script, elsewhere)
    vscode = await editor_findings(script, "visual_studio_code@v1.65.2+pull", vscode_options, vscode_options)
    neovim = await editor_findings(script, "neovim@v0.11.0", *neovim_options)

    assert vscode == cli and neovim == cli
    codes = [code for code, _, _ in cli]
    if pyproject is None:  # the built-in placeholder list is in force everywhere
        assert codes == ["HS204", "HS204", "HS402", "HS402"]
    else:  # and the project's ignore
        assert codes == ["HS204", "HS204"]
