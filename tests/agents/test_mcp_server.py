"""`hubsave mcp` driven over stdio by the `mcp` SDK's own client, as an agent's MCP host does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

pytest.importorskip("mcp")

from mcp import ClientSession, StdioServerParameters  # noqa: E402
from mcp.client.stdio import stdio_client  # noqa: E402

TRAIN = """\
from trl import SFTConfig, SFTTrainer

args = SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/out")
trainer = SFTTrainer(model="Qwen/Qwen2.5-0.5B", args=args, train_dataset=None)
trainer.train()
trainer.push_to_hub()
"""
LOSES_RESULTS = 'from trl import SFTConfig\nconfig = SFTConfig(output_dir="out", push_to_hub=False)\n'
MADE_UP_TOKEN = "hf_" + "Zq8" * 12  # token-shaped, not a token


@asynccontextmanager
async def session(workspace: Path):
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "hubsave", "mcp", "--workspace", str(workspace)],
        env={"HF_HUB_OFFLINE": "1", "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    with open(workspace / "server-stderr.log", "w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write):
            async with ClientSession(read, write) as client:
                await client.initialize()
                yield client


async def call(client: ClientSession, tool: str, **arguments) -> dict:
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, result.content
    # The same JSON as structured content and as the text a model reads.
    assert json.loads(result.content[0].text) == result.structured_content
    return result.structured_content


async def test_lists_the_tools_with_descriptions_for_a_model(tmp_path):
    async with session(tmp_path) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(tools) == {"check_job", "check_file", "explain_rule"}
    assert "before every" in tools["check_job"].description.lower()
    schema = tools["check_job"].input_schema["properties"]
    assert {"operation", "function", "args", "command_line", "script", "files"} <= set(schema)


async def test_mcp_payload_without_secrets_gets_the_token_secret(tmp_path):
    args = {"script": "https://example.com/train.py", "flavor": "a10g-large", "timeout": "2h"}
    corrected = {**args, "secrets": {"HF_TOKEN": "$HF_TOKEN"}}
    async with session(tmp_path) as client:
        report = await call(client, "check_job", operation="uv", args=args)
        taking_unsafe = await call(client, "check_job", operation="uv", args=args, unsafe_fixes=True)
    (finding,) = report["findings"]
    assert finding["code"] == "HS301" and finding["severity"] == "error"
    assert finding["where"] == {"path": "args"}
    # Handing the job the user's token changes what it does: offered, graded unsafe.
    assert finding["fix"]["arguments"] == corrected and finding["fix"]["applicability"] == "unsafe"
    assert report["ok"] is False and report["fixed"] is None
    assert taking_unsafe["fixed"] == {"arguments": corrected}


async def test_fixed_has_every_automatic_fix_applied(tmp_path):
    # HS303 (the token in env, where the job's details show it) has a certain fix.
    args = {"script": "https://example.com/train.py", "timeout": "2h", "env": {"HF_TOKEN": "$HF_TOKEN", "MODE": "x"}}
    async with session(tmp_path) as client:
        report = await call(client, "check_job", operation="uv", args=args)
        again = await call(client, "check_job", operation="uv", args=report["fixed"]["arguments"])
    assert [f["code"] for f in report["findings"]] == ["HS303"]
    assert report["fixed"]["arguments"] == {
        "script": "https://example.com/train.py", "timeout": "2h", "env": {"MODE": "x"},
        "secrets": {"HF_TOKEN": "$HF_TOKEN"},
    }  # fmt: skip
    assert again == {"ok": True, "findings": [], "fixed": None}


async def test_run_uv_job_with_the_mcp_placeholder(tmp_path):
    (tmp_path / "train.py").write_text(TRAIN)
    args = {"script": "train.py", "flavor": "a10g-large", "timeout": "2h", "secrets": {"HF_TOKEN": "$HF_TOKEN"}}
    async with session(tmp_path) as client:
        report = await call(client, "check_job", function="run_uv_job", args=args)
    (finding,) = report["findings"]
    assert finding["code"] == "HS306"
    assert finding["where"] == {"path": "args.secrets.HF_TOKEN"}
    # get_token() is code: no JSON arguments, the corrected call instead.
    assert finding["fix"]["arguments"] is None
    assert finding["fix"]["python"] == (
        "from huggingface_hub import get_token\n"
        "run_uv_job(script='train.py', flavor='a10g-large', timeout='2h', secrets={'HF_TOKEN': get_token()})\n"
    )


TRL_SFT = "https://raw.githubusercontent.com/huggingface/trl/v1.16.0/trl/scripts/sft.py"
SFT_ARGS = ["--model_name_or_path", "Qwen/Qwen2.5-0.5B", "--dataset_name", "trl-lib/Capybara", "--output_dir", "out"]


async def test_trl_script_url_without_push_to_hub(tmp_path):
    args = {"script": TRL_SFT, "script_args": SFT_ARGS, "flavor": "a10g-large", "timeout": "4h",
            "secrets": {"HF_TOKEN": "$HF_TOKEN"}}  # fmt: skip
    async with session(tmp_path) as client:
        report = await call(client, "check_job", operation="uv", args=args)
    (finding,) = report["findings"]
    assert finding["code"] == "HS111" and "--push_to_hub" in finding["message"]
    assert finding["where"]["path"].startswith("args.")
    assert finding["fix"]["arguments"] == {**args, "script_args": [*SFT_ARGS, "--push_to_hub"]}


async def test_command_line_gets_the_corrected_command(tmp_path):
    command = f"hf jobs uv run --flavor a10g-large --timeout 4h {TRL_SFT} {' '.join(SFT_ARGS)}"
    async with session(tmp_path) as client:
        report = await call(client, "check_job", command_line=command)
    codes = [f["code"] for f in report["findings"]]
    assert codes == ["HS301", "HS111"]
    hs301, hs111 = report["findings"]
    assert hs301["where"] == {"path": "command_line", "line": 1, "column": 1, "end_line": 1, "end_column": 15}
    assert hs301["fix"]["command_line"] == command.replace("--timeout 4h", "--timeout 4h --secrets HF_TOKEN")
    assert hs111["fix"]["command_line"] == command + " --push_to_hub"


async def test_clean_payload_has_no_findings(tmp_path):
    args = {"script": TRAIN, "flavor": "a10g-large", "timeout": "4h", "secrets": {"HF_TOKEN": "$HF_TOKEN"}}
    async with session(tmp_path) as client:
        report = await call(client, "check_job", operation="uv", args=args)
    assert report == {"ok": True, "findings": [], "fixed": None}


async def test_inline_script_findings_point_into_the_script(tmp_path):
    script = LOSES_RESULTS.replace(", push_to_hub=False", "")
    args = {"script": script, "timeout": "2h", "secrets": {"HF_TOKEN": "$HF_TOKEN"}}
    async with session(tmp_path) as client:
        report = await call(client, "check_job", operation="uv", args=args)
    by_code = {f["code"]: f for f in report["findings"]}
    assert by_code["HS308"]["where"] == {"path": "args.script"}
    assert by_code["HS101"]["where"] == {"path": "args.script", "line": 2, "column": 10, "end_line": 2, "end_column": 19}
    fix = by_code["HS101"]["fix"]
    assert fix["applicability"] == "display-only"  # its repo id is a placeholder to fill in
    assert fix["arguments"]["script"] == script.replace(
        'output_dir="out"', 'output_dir="out", push_to_hub=True, hub_model_id="your-namespace/out"'
    )
    assert report["fixed"] is None  # nothing is applied unattended


async def test_a_written_token_is_never_sent_back(tmp_path):
    args = {"script": "https://example.com/train.py", "timeout": "2h", "secrets": {"HF_TOKEN": MADE_UP_TOKEN}}
    async with session(tmp_path) as client:
        result = await client.call_tool("check_job", {"operation": "uv", "args": args})
    text = result.content[0].text
    assert "HS302" in text and MADE_UP_TOKEN not in text
    (hs302,) = result.structured_content["findings"]
    assert hs302["fix"]["arguments"]["secrets"] == {"HF_TOKEN": "$HF_TOKEN"}


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        ({"operation": "uv", "args": "script=train.py"}, "check_job: args: Input should be a valid dictionary"),
        ({"operation": "launch", "args": {}}, "operation must be one of"),
        ({"function": "run_uv_job", "args": {"not-a-name": 1}}, "cannot be a keyword argument"),
        ({"args": {"script": "train.py"}}, "give exactly one of"),
        ({"operation": "uv", "function": "run_uv_job", "args": {}}, "give exactly one of"),
    ],
)
async def test_malformed_arguments_are_a_clear_tool_error(tmp_path, arguments, says):
    async with session(tmp_path) as client:
        result = await client.call_tool("check_job", arguments)
        assert result.is_error and says in result.content[0].text
        # The server is still there.
        assert not (await client.call_tool("explain_rule", {"code": "HS301"})).is_error


async def test_tool_errors_never_quote_the_input(tmp_path):
    async with session(tmp_path) as client:
        wrong_type = await client.call_tool("check_job", {"operation": "uv", "args": f"HF_TOKEN={MADE_UP_TOKEN}"})
        bad_name = await client.call_tool("check_job", {"function": MADE_UP_TOKEN, "args": {}})
    for result in (wrong_type, bad_name):
        assert result.is_error and MADE_UP_TOKEN not in result.content[0].text
    assert "hf_***" in bad_name.content[0].text
    log = (tmp_path / "server-stderr.log").read_text()
    assert "check_job" in log and MADE_UP_TOKEN not in log  # nor in the server's log


async def test_check_file_matches_the_cli_json(tmp_path):
    (tmp_path / "train.py").write_text(LOSES_RESULTS)
    cli = subprocess.run(
        [sys.executable, "-m", "hubsave", "check", "--format", "json", "train.py"],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=120,
    )
    async with session(tmp_path) as client:
        by_path = await call(client, "check_file", path="train.py")
        by_text = await call(client, "check_file", text=(tmp_path / "train.py").read_text(), filename="train.py")
        outside = await client.call_tool("check_file", {"path": "../"})
        (tmp_path / "link").symlink_to(tmp_path.parent)
        through_a_link = await client.call_tool("check_file", {"path": "link"})
    assert by_path["findings"] == json.loads(cli.stdout) != []
    assert by_text == by_path
    for result in (outside, through_a_link):
        assert result.is_error and "outside the workspace" in result.content[0].text


async def test_explain_rule(tmp_path):
    async with session(tmp_path) as client:
        result = await client.call_tool("explain_rule", {"code": "HS306"})
        unknown = await client.call_tool("explain_rule", {"code": "HS999"})
    assert result.content[0].text.startswith("# HS306 unexpanded-token-placeholder")
    assert "get_token()" in result.content[0].text
    assert unknown.is_error and "no rule 'HS999'" in unknown.content[0].text
