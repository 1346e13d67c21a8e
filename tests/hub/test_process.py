"""What only a fresh process shows: lazy import, env read at import, the stand-in's CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.hubstub import Scenario, StubHub, default_scenario
from tests.hubstub.fixture import stub_env
from tests.hubstub.scenario import ALICE_WRITE

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import asyncio, json, sys
from hubsave.hub import HubService
svc = HubService(timeout=2)
async def main():
    state = await svc.whoami()
    verdict = await svc.push_check("alice/qwen-sft")
    print(json.dumps({"login": state.to_json(), "outcome": verdict.outcome, "message": verdict.message}))
asyncio.run(main())
svc.close()
"""


def run_probe(env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_importing_the_hub_package_does_not_import_huggingface_hub() -> None:
    code = "import sys, hubsave.hub; print(sorted(m for m in ('huggingface_hub', 'httpx2') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


def test_hf_endpoint_from_the_process_environment(hub_stub: StubHub) -> None:
    result = run_probe(stub_env(hub_stub, ALICE_WRITE))
    assert result["login"]["name"] == "alice" and result["login"]["endpoint"] == hub_stub.endpoint
    assert result["outcome"] == "push"
    assert [r.path for r in hub_stub.requests] == ["/api/whoami-v2", "/api/models/alice/qwen-sft"]


def test_hf_hub_offline_at_start_sends_nothing(hub_stub: StubHub) -> None:
    env = stub_env(hub_stub, ALICE_WRITE)
    env["HF_HUB_OFFLINE"] = "1"
    result = run_probe(env)
    assert result["login"]["error"] == "HF_HUB_OFFLINE is set: hubsave does not contact the Hub"
    assert result["outcome"] == "unknown"
    assert hub_stub.count() == 0


def test_stand_in_cli_serves_a_scenario_file(tmp_path: Path) -> None:
    dumped = subprocess.run([sys.executable, "-m", "tests.hubstub", "--dump-scenario"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=True)
    data = json.loads(dumped.stdout)
    assert Scenario.from_dict(data) == default_scenario()
    data["repos"] = [{"id": "zed/only-repo", "likes": 3}]
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps(data))

    proc = subprocess.Popen([sys.executable, "-m", "tests.hubstub", "--port", "0", "--scenario", str(scenario)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.startswith("HF_ENDPOINT=http://127.0.0.1:")
        env = {**os.environ, "HF_ENDPOINT": line.split("=", 1)[1], "HF_TOKEN": ALICE_WRITE}
        code = ("from huggingface_hub import HfApi; api = HfApi();"
                "print(api.whoami()['name'], api.model_info('zed/only-repo').likes)")
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
        assert out.stdout.split() == ["alice", "3"], out.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "GET /api/models/zed/only-repo (authenticated: True)" in err
    assert ALICE_WRITE not in err


def test_warm_up_imports_without_sending(hub_stub: StubHub) -> None:
    code = ("import asyncio, sys; from hubsave.hub import HubService; svc = HubService();"
            "asyncio.run(svc.warm_up()); print('huggingface_hub' in sys.modules); svc.close();"
            "off = HubService(enabled=False); asyncio.run(off.warm_up())")
    out = subprocess.run([sys.executable, "-c", code], env=stub_env(hub_stub, ALICE_WRITE), cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "True", out.stderr
    assert hub_stub.count() == 0
