"""pytest fixtures for the stand-in Hub.

Use from a conftest: ``pytest_plugins = ["tests.hubstub.fixture"]`` (root conftest) or
``from tests.hubstub.fixture import hub_stub, hub_env`` (any conftest).

- ``hub_stub``: a running ``StubHub`` with the default scenario on 127.0.0.1:<free port>.
- ``hub_env``: this process's environment pointed at it (``HF_ENDPOINT``), with no token
  unless a test calls ``hub_env.login(token)``.
- ``stub_env(hub, token)``: an environment dict for a subprocess (language server, editor).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from .scenario import default_scenario
from .server import StubHub

TOKEN_VARS = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_OIDC_RESOURCE")

# huggingface_hub reads HF_HOME/HF_TOKEN_PATH/telemetry at import: make sure a developer's
# real token file is never read and no telemetry request leaves, if we import it first.
if "huggingface_hub" not in sys.modules:
    os.environ["HF_HOME"] = tempfile.mkdtemp(prefix="hubsave-test-hf-home-")
    os.environ.pop("HF_TOKEN_PATH", None)
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"


def stub_env(hub: StubHub, token: str | None = None, base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for a subprocess that must reach only the stand-in, with ``token`` as its login."""
    env = {k: v for k, v in (os.environ if base is None else base).items() if k not in TOKEN_VARS}
    env.pop("HF_HUB_OFFLINE", None)
    env.update(
        HF_ENDPOINT=hub.endpoint,
        HF_HOME=tempfile.mkdtemp(prefix="hubsave-test-hf-home-"),
        HF_HUB_DISABLE_TELEMETRY="1",
    )
    if token is not None:
        env["HF_TOKEN"] = token
    return env


@pytest.fixture
def hub_stub() -> Iterator[StubHub]:
    with StubHub(default_scenario()) as hub:
        yield hub


@dataclass
class HubEnv:
    hub: StubHub
    monkeypatch: pytest.MonkeyPatch

    @property
    def endpoint(self) -> str:
        return self.hub.endpoint

    def login(self, token: str | None) -> None:
        """Become the stand-in user owning ``token`` (None: logged out)."""
        if token is None:
            self.monkeypatch.delenv("HF_TOKEN", raising=False)
        else:
            self.monkeypatch.setenv("HF_TOKEN", token)


@pytest.fixture
def hub_env(hub_stub: StubHub, monkeypatch: pytest.MonkeyPatch) -> HubEnv:
    from huggingface_hub import constants

    if os.path.exists(constants.HF_TOKEN_PATH):
        pytest.fail(f"a token file exists at {constants.HF_TOKEN_PATH}: refusing to run Hub tests with it")
    for name in (*TOKEN_VARS, "HF_HUB_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_ENDPOINT", hub_stub.endpoint)
    return HubEnv(hub_stub, monkeypatch)
