"""Opening a cloned repository in the language server runs none of its programs (issue 13).

The server starts inside the repository (`cd repo && python -m hubsave lsp`), as
editors start it, so the repository is even on its sys.path.
"""

from __future__ import annotations

import os
import shutil
import sys
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

import pytest
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.hostile_repo import TRAIN, make_hostile_repo
from tests.hubstub.fixture import stub_env
from tests.hubstub.scenario import ALICE_WRITE, default_scenario
from tests.hubstub.server import StubHub
from tests.lsp.harness import init_params, make_client, open_document, wait_until
from tests.lsp.hub_harness import hub_login
from tests.user_env import make_user_env

PUSH_CLIENT = "neovim@v0.9.1"  # diagnostics are pushed: every publication is recorded
IGNORED = "`interpreter` is ignored: it names a program hubsave would run"
OFFLINE = {**os.environ, "HF_HUB_OFFLINE": "1"}


@asynccontextmanager
async def server_in(folder: Path, options: dict | None = None, env: dict[str, str] = OFFLINE) -> AsyncIterator[LanguageClient]:
    command = ["sh", "-c", 'cd "$0" && exec "$1" -m hubsave lsp', str(folder), sys.executable]
    client = await ClientServerConfig(server_command=command, client_factory=make_client, server_env=env).start()
    client.set_configuration({"hubsave": (options or {}).get("settings", {})})
    await client.initialize_session(init_params(PUSH_CLIENT, folder, options))
    try:
        yield client
    finally:
        await client.shutdown_session()
        await client.stop()


def hs109(client: LanguageClient, uri: str) -> list[str] | None:
    """HS109 messages of the last publication for `uri`; None before the first."""
    published = [p for p in client.published if p.uri == uri]  # type: ignore[attr-defined]
    return [d.message for d in published[-1].diagnostics if d.code == "HS109"] if published else None


def shown(client: LanguageClient, text: str) -> int:
    """How many window/showMessage notifications contained `text`."""
    return sum(text in m.message for m in client.messages)


@pytest.fixture(scope="module")
def old_trl(tmp_path_factory):
    """A real venv whose (stand-in) trl still accepts max_seq_length."""
    return make_user_env(tmp_path_factory.mktemp("user") / "venv")


async def test_opening_the_repository_runs_nothing_and_warns_once(tmp_path):
    repo = make_hostile_repo(tmp_path / "repo")
    other = repo.root / "other.py"
    other.write_text(TRAIN)
    async with server_in(repo.root) as client:
        for path in (repo.train, other):
            open_document(client, path.as_uri(), path.read_text())
        # HS109 from the bundled schema, once the (in-process) environment lookup is done.
        for path in (repo.train, other):
            messages = await wait_until(lambda: hs109(client, path.as_uri()), timeout=60)
            assert "(trl 1.16.0)" in messages[0]
        await wait_until(lambda: shown(client, IGNORED))
    assert not repo.marker.exists()
    assert shown(client, IGNORED) == 1


async def test_the_users_interpreter_setting_is_read(tmp_path, old_trl):
    repo = make_hostile_repo(tmp_path / "repo")
    typo = repo.root / "typo.py"
    typo.write_text("from trl import SFTConfig\nSFTConfig(output_dir='o', num_train_epoch=3)\n")
    async with server_in(repo.root, {"settings": {"interpreter": [old_trl]}}) as client:
        open_document(client, typo.as_uri(), typo.read_text())
        open_document(client, repo.train.as_uri(), repo.train.read_text())
        found = await wait_until(lambda: hs109(client, typo.as_uri()), timeout=60)
        assert "the installed trl" in found[0]
        await wait_until(lambda: hs109(client, repo.train.as_uri()) == [], timeout=60)  # that trl takes max_seq_length
    assert not repo.marker.exists()


async def test_an_interpreter_that_is_not_python_is_reported_once(tmp_path):
    (tmp_path / "a.py").write_text(TRAIN)
    (tmp_path / "b.py").write_text(TRAIN)
    async with server_in(tmp_path, {"settings": {"interpreter": [shutil.which("true")]}}) as client:
        for name in ("a.py", "b.py"):
            open_document(client, (tmp_path / name).as_uri(), TRAIN)
        for name in ("a.py", "b.py"):
            found = await wait_until(lambda: hs109(client, (tmp_path / name).as_uri()), timeout=60)
            assert "(trl 1.16.0)" in found[0]
        await wait_until(lambda: shown(client, "is not a Python interpreter"), timeout=30)
    assert shown(client, "is not a Python interpreter") == 1
    assert shown(client, "HS109 uses the bundled schema") == 1


async def test_an_untrusted_workspace_does_no_environment_lookups(tmp_path, old_trl):
    """VS Code's restricted mode (initializationOptions.workspaceTrusted = false): even the
    user's interpreter is not read; HS109 answers at once from the bundled schema."""
    repo = make_hostile_repo(tmp_path / "repo")
    options = {"workspaceTrusted": False, "settings": {"interpreter": [old_trl]}}
    async with server_in(repo.root, options) as client:
        open_document(client, repo.train.as_uri(), TRAIN)
        first = await wait_until(lambda: [p for p in client.published if p.uri == repo.train.as_uri()])
    # Read from old_trl, max_seq_length would be accepted: never reported (see the test above).
    assert ["(trl 1.16.0)" in d.message for d in first[0].diagnostics if d.code == "HS109"] == [True]
    assert not repo.marker.exists()


async def test_untrusted_workspace_settings_cannot_send_the_token_elsewhere(tmp_path):
    """A workspace's settings.json naming another Hub endpoint: the login (and its token)
    still goes only to the user's endpoint (HF_ENDPOINT) while the workspace is untrusted."""
    with StubHub(default_scenario()) as users_hub, StubHub(default_scenario()) as planted:
        settings = {"hub": {"enabled": True, "endpoint": planted.endpoint}}
        env = stub_env(users_hub, ALICE_WRITE)
        async with server_in(tmp_path, {"workspaceTrusted": False, "settings": settings}, env) as client:
            login = await hub_login(client, {"refresh": True})
        assert login["endpoint"] == users_hub.endpoint and login["name"] == "alice"
        assert planted.count("/api/whoami-v2") == 0
        async with server_in(tmp_path, {"settings": settings}, env) as client:  # trusted: the setting counts
            assert (await hub_login(client, {"refresh": True}))["endpoint"] == planted.endpoint
