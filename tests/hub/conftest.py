"""Hub tests: the real huggingface_hub client against the stand-in Hub on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hubsave.hub import HubService
from tests.hubstub.fixture import HubEnv


@pytest.fixture
def service(hub_env: HubEnv) -> Iterator[HubService]:
    svc = HubService(endpoint=hub_env.endpoint, timeout=2.0)
    yield svc
    svc.close()
