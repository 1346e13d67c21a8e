"""One version: pyproject.toml (read from hubsave.__version__), package.json (the VS Code
extension), `hubsave --version` and the language server's serverInfo agree."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.harness import init_params, server_config

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[2]
VERSION = json.loads((ROOT / "package.json").read_text())["version"]


def test_pyproject_takes_the_server_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "hubsave.__version__"}


def test_cli_reports_the_package_json_version():
    out = subprocess.run([sys.executable, "-m", "hubsave", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"hubsave {VERSION}"


def test_installed_distribution_has_the_package_json_version():
    from importlib.metadata import version

    assert version("hubsave") == VERSION


@pytest_lsp.fixture(config=server_config())
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


async def test_language_server_reports_the_package_json_version(client: LanguageClient):
    result: types.InitializeResult = await client.initialize_session(init_params("visual_studio_code"))
    assert result.server_info is not None
    assert (result.server_info.name, result.server_info.version) == ("hubsave", VERSION)
