"""The Python API (`from hubsave import check_text, check_job`): plain data, the CLI's records."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from hubsave import check_job, check_text

from .conftest import EXAMPLES

LOSES_RESULTS = 'from trl import SFTConfig, SFTTrainer\nargs = SFTConfig(output_dir="out")\nSFTTrainer(model="m", args=args).train()\n'


@pytest.mark.parametrize("name", ["train_sft.py", "submit_jobs.py", "course_trainer.ipynb"])
def test_check_text_agrees_with_the_cli_json(hubsave_process, name):
    cli = hubsave_process("check", "--format", "json", name, cwd=EXAMPLES)
    api = subprocess.run(  # in the examples folder too: settings and relative paths are the same
        [sys.executable, "-c", f"import json, hubsave; print(json.dumps(hubsave.check_text(open({name!r}).read(), {name!r})))"],
        cwd=EXAMPLES, capture_output=True, text=True, timeout=120, check=True,
    )
    result = json.loads(api.stdout)
    assert result["findings"] == json.loads(cli.stdout) != []
    assert result["not_checked"] is None and result["path"] == name


def test_check_text_fix_and_not_checked():
    text = 'from trl import SFTConfig\nc = SFTConfig(output_dir="o", push_to_hub=True, hub_model_id="a/b", max_seq_length=8)\n'
    fixed = check_text(text, "t.py", fix=True)
    assert fixed["fixed_text"] == text.replace("max_seq_length", "max_length")
    assert fixed["findings"] == []  # what is left
    broken = check_text('from trl import SFTConfig\nc = SFTConfig(output_dir="o"\n', "t.py")
    assert broken["findings"] == [] and "does not parse" in broken["not_checked"]
    assert json.loads(json.dumps(broken)) == broken  # plain data


def test_importing_hubsave_loads_no_analysis():
    code = "import sys, hubsave; print(sorted(m for m in sys.modules if m.startswith('hubsave')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60).stdout
    assert out.strip() == "['hubsave']"


def test_check_job_reads_the_supplied_script(tmp_path):
    args = {"script": "train.py", "timeout": "2h", "flavor": "a10g-large"}
    report = check_job(function="run_uv_job", args=args, script=LOSES_RESULTS, workspace=str(tmp_path))
    codes = [(f["code"], f["where"]["path"]) for f in report["findings"]]
    # The submission: no token (HS301), a script that loses the model (HS308, pointing into it);
    # the script itself: HS101 at its line 2.
    assert codes == [("HS301", "args"), ("HS308", "args.script"), ("HS101", "script")]
    hs308 = report["findings"][1]
    assert hs308["related"][0]["where"] == {"path": "script", "line": 2, "column": 8, "end_line": 2, "end_column": 17}
    hs101_fix = report["findings"][2]["fix"]
    # Display-only: the repo id is a placeholder for the agent to fill in.
    assert hs101_fix["applicability"] == "display-only"
    assert hs101_fix["script"] == LOSES_RESULTS.replace(
        'output_dir="out"', 'output_dir="out", push_to_hub=True, hub_model_id="your-namespace/out"'
    )
    assert "arguments" not in hs101_fix  # the submission itself is unchanged
    assert report["findings"][0]["fix"]["python"].startswith("from huggingface_hub import get_token\n")


def test_check_job_without_the_script_text_says_it_is_missing(tmp_path):
    report = check_job(function="run_uv_job", args={"script": "train.py", "timeout": "2h",
                       "secrets": {"HF_TOKEN": "hf_" + "Zq8" * 12}}, workspace=str(tmp_path))  # fmt: skip
    assert [f["code"] for f in report["findings"]] == ["HS310", "HS302"]
    assert "Zq8Zq8" not in json.dumps(report)


def test_check_job_rejects_what_it_cannot_read():
    with pytest.raises(ValueError, match="give exactly one of"):
        check_job(args={})
    with pytest.raises(ValueError, match="files must be"):
        check_job(operation="uv", args={}, files={"a.py": 3})
    with pytest.raises(ValueError, match="nested too deeply"):
        deep: dict = {}
        for _ in range(100):
            deep = {"x": deep}
        check_job(operation="uv", args=deep)


def test_hubsave_check_never_loads_the_mcp_sdk():
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "hubsave", "check", "train_sft.py"],
        cwd=EXAMPLES, capture_output=True, text=True, timeout=120, check=False,
    )
    imported = {line.split("|")[-1].strip().split(".")[0] for line in run.stderr.splitlines() if "|" in line}
    assert "hubsave" in imported and run.returncode == 1
    assert not imported & {"mcp", "pydantic", "starlette", "uvicorn"}


def test_check_job_reads_no_file_outside_the_workspace(tmp_path):
    outside = tmp_path / "outside.py"
    outside.write_text(LOSES_RESULTS)
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "inside.py").write_text(LOSES_RESULTS)
    base = {"timeout": "2h", "secrets": {"HF_TOKEN": "$HF_TOKEN"}}
    report = check_job(function="run_uv_job", args={"script": str(outside), **base}, workspace=str(tmp_path / "ws"))
    assert [f["code"] for f in report["findings"]] == ["HS310", "HS306"]  # not read, so "missing"
    report = check_job(function="run_uv_job", args={"script": "inside.py", **base}, workspace=str(tmp_path / "ws"))
    assert [f["code"] for f in report["findings"]] == ["HS308", "HS306"]
    assert report["findings"][0]["related"][0]["where"]["file"] == str(tmp_path / "ws" / "inside.py")


def test_hubsave_mcp_without_the_sdk_says_what_to_install(tmp_path):
    # The SDK made unimportable, as in an install without the `mcp` extra.
    code = "import sys; sys.modules['mcp'] = None; from hubsave.cli import main; sys.exit(main(['mcp']))"
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 2 and "pip install 'hubsave[mcp]'" in run.stderr and run.stdout == ""


def test_an_inline_script_gets_what_hubsave_check_finds_in_it(tmp_path):
    script = 'from trl import SFTConfig\nc = SFTConfig(output_dir="o", push_to_hub=True, hub_model_id="a/b", max_seq_length=1024)\n'
    args = {"script": script, "timeout": "2h", "secrets": {"HF_TOKEN": "$HF_TOKEN"}}
    report = check_job(operation="uv", args=args, workspace=str(tmp_path))
    as_file = check_text(script, "train.py")["findings"]
    assert [f["code"] for f in as_file] == ["HS109"]  # max_seq_length: a TypeError today
    assert [(f["code"], f["where"]["line"], f["where"]["column"]) for f in report["findings"]] == [
        (r["code"], r["line"], r["column"]) for r in as_file
    ]
    assert report["fixed"]["arguments"]["script"] == script.replace("max_seq_length", "max_length")


def test_check_job_reads_the_text_of_a_url_script(tmp_path):
    # The agent fetched the script it is about to run by URL: its text is checked as the job's script.
    args = {"script": "https://example.com/train.py", "timeout": "2h", "secrets": {"HF_TOKEN": "$HF_TOKEN"}}
    report = check_job(operation="uv", args=args, script=LOSES_RESULTS, workspace=str(tmp_path))
    (finding,) = report["findings"]
    assert finding["code"] == "HS101" and finding["severity"] == "error"  # a job script: losing the model is an error
    assert finding["where"] == {"path": "script", "line": 2, "column": 8, "end_line": 2, "end_column": 17}
    assert report["fixed"] is None or report["fixed"].keys() == {"script"}


def test_the_example_in_docs_agents_md_is_what_check_job_answers(tmp_path):
    import re

    doc = (EXAMPLES.parent / "docs" / "agents.md").read_text(encoding="utf-8")
    example = doc[doc.index("## Example"):]
    first, answer, submitted = (json.loads(b) for b in re.findall(r"```json\n(.*?)```", example, re.S)[:3])
    report = check_job(**first, workspace=str(tmp_path))
    for finding in report["findings"]:  # shortened in the example
        finding["fix"] = {key: finding["fix"][key] for key in ("title", "applicability")}
    assert report == answer
    assert check_job(**submitted, workspace=str(tmp_path)) == {"ok": True, "findings": [], "fixed": None}
