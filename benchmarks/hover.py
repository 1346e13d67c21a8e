"""Hover over repo ids, uncached then cached, against the local stand-in Hub (tests/hubstub).

The stand-in runs as its own process on 127.0.0.1 and logs one stderr line per HTTP
request, so the report can show that uncached hovers reached it and cached ones did not.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from lspclient import LspClient
from servers import HUBSAVE_OPTIONS, Server
from stats import summarize

ROOT = Path(__file__).resolve().parent.parent
HUBSTUB = ROOT / "tests" / "hubstub"
HUB_OPTIONS = {**HUBSAVE_OPTIONS, "hub": {"enabled": True, "liveDiagnostics": False, "timeout": 3.0}}
# Repo ids the stand-in knows (several outcomes) and some it does not (404s, also uncached).
KNOWN = ["Qwen/Qwen2.5-0.5B", "meta-llama/Llama-3.1-8B", "google/gemma-gated", "bob/llama-dpo", "acme/shared-model"]
MISSING = [f"alice/missing-model-{i}" for i in range(15)]


def hover_document() -> tuple[str, list[tuple[str, int, int]]]:
    """A script loading and pushing repo ids; returns it and (repo id, line, character) per literal."""
    lines = ["from transformers import AutoModelForCausalLM", "from trl import SFTConfig", ""]
    where = []
    for i, repo in enumerate(KNOWN + MISSING):
        prefix = f'model_{i} = AutoModelForCausalLM.from_pretrained("'
        where.append((repo, len(lines), len(prefix) + len(repo) // 2))
        lines.append(f'{prefix}{repo}")')
    prefix = '    hub_model_id="'
    lines += ["", "args = SFTConfig(", '    output_dir="out",', "    push_to_hub=True,"]
    where.append(("alice/qwen-sft", len(lines), len(prefix) + 5))
    lines += [f'{prefix}alice/qwen-sft",', ")", ""]
    return "\n".join(lines), where


async def _start_stub(python: str, log_path: Path) -> tuple[asyncio.subprocess.Process, str]:
    stub = await asyncio.create_subprocess_exec(
        python, "-m", "tests.hubstub", "--port", "0", cwd=str(ROOT),
        stdout=asyncio.subprocess.PIPE, stderr=open(log_path, "wb"),
    )
    line = (await asyncio.wait_for(stub.stdout.readline(), 30)).decode().strip()
    if not line.startswith("HF_ENDPOINT="):
        stub.kill()
        raise RuntimeError(f"stand-in Hub did not start: {line!r}")
    return stub, line.split("=", 1)[1]


def _requests(log_path: Path) -> int:
    return len(log_path.read_text(errors="replace").splitlines())


async def _hover(client: LspClient, uri: str, line: int, character: int) -> tuple[float, str]:
    start = time.perf_counter()
    result = await client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                         "position": {"line": line, "character": character}})
    elapsed = time.perf_counter() - start
    contents = (result or {}).get("contents") or ""
    return elapsed, contents.get("value", "") if isinstance(contents, dict) else str(contents)


async def measure_hover(server: Server, runs: int, workspace: Path, env: dict, logs: Path) -> dict:
    if not HUBSTUB.is_dir():
        return {"skipped": "no local stand-in Hub in this checkout (tests/hubstub/)"}
    sys.path.insert(0, str(ROOT))
    from tests.hubstub.scenario import ALICE_WRITE  # a made-up stand-in token, never a real one

    stub_log = logs / "hubstub.stderr.log"
    stub, endpoint = await _start_stub(server.argv[0], stub_log)
    hub_env = dict(env, HF_ENDPOINT=endpoint, HF_TOKEN=ALICE_WRITE)
    client = LspClient(server.argv, env=hub_env, cwd=str(workspace), settings={"hubsave": HUB_OPTIONS},
                       stderr_path=logs / f"{server.name}.stderr.log")
    await client.start()
    try:
        await client.initialize(workspace, HUB_OPTIONS)
        text, where = hover_document()
        path = workspace / "bench_hover.py"
        path.write_text(text)
        uri = path.as_uri()
        opened = client.expect_publication(uri, 1)
        await client.did_open(uri, text)
        await asyncio.wait_for(opened, 30)
        before = _requests(stub_log)
        uncached, shown = [], 0
        for repo, line, character in where:
            elapsed, markdown = await _hover(client, uri, line, character)
            uncached.append(elapsed)
            shown += repo in markdown
        if not shown:
            return {"skipped": "hubsave's hover shows no Hub facts for repo ids (yet): "
                               f"{len(where)} hovers, none mentioned its repo"}
        middle = _requests(stub_log)
        cached = []
        for _ in range(runs):
            for _, line, character in where:
                cached.append((await _hover(client, uri, line, character))[0])
        after = _requests(stub_log)
        return {"uncached": summarize(uncached), "cached": summarize(cached), "hovers_with_repo": shown,
                "hub_requests_uncached": middle - before, "hub_requests_cached": after - middle}
    finally:
        await client.stop()
        stub.terminate()
        await stub.wait()
