"""`hubsave mcp` as an agent's MCP host sees it: start-up, first and warm `check_job` calls.

    python benchmarks/mcp_check_job.py [CALLS]

Drives the server over stdio with the `mcp` SDK's client (needs `hubsave[mcp]`).
Prints milliseconds: spawn + initialize, the first call (analysis imports), and the
median of CALLS warm calls on a TRL-script submission with two fixes.
"""

from __future__ import annotations

import statistics
import sys
import time

import anyio
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

ARGS = {
    "script": "https://raw.githubusercontent.com/huggingface/trl/v1.16.0/trl/scripts/sft.py",
    "script_args": ["--model_name_or_path", "Qwen/Qwen2.5-0.5B", "--output_dir", "out"],
    "flavor": "a10g-large",
    "timeout": "3h",
}


async def measure(calls: int) -> None:
    params = StdioServerParameters(command=sys.executable, args=["-m", "hubsave", "mcp"], env={"HF_HUB_OFFLINE": "1"})
    start = time.perf_counter()
    async with stdio_client(params) as (read, write), ClientSession(read, write) as client:
        await client.initialize()
        ready = time.perf_counter()
        await client.call_tool("check_job", {"operation": "uv", "args": ARGS})
        first = time.perf_counter()
        warm = []
        for _ in range(calls):
            before = time.perf_counter()
            await client.call_tool("check_job", {"operation": "uv", "args": ARGS})
            warm.append(time.perf_counter() - before)
    print(f"spawn + initialize: {1000 * (ready - start):.0f} ms")
    print(f"first check_job:    {1000 * (first - ready):.0f} ms")
    print(f"warm check_job:     {1000 * statistics.median(warm):.1f} ms (median of {calls})")


if __name__ == "__main__":
    anyio.run(measure, int(sys.argv[1]) if len(sys.argv) > 1 else 20)
