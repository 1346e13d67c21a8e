"""`hubsave mcp`: hubsave as an MCP server over stdio, for coding agents.

An agent that submits Hugging Face jobs never sees an editor's squiggles: it calls
`check_job` with exactly what it is about to submit and gets the findings and the
corrected arguments back. Built on the official `mcp` SDK (`pip install
'hubsave[mcp]'`), imported only here: `hubsave check` and `hubsave lsp` never load it.
The tools read only the workspace and what they are given; they reach no network.
"""

from __future__ import annotations

import os
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field, ValidationError

from .. import __version__
from ..analysis.rules.tokens import tokens_in

INSTRUCTIONS = """\
hubsave knows how Hugging Face training jobs lose their results (no HF_TOKEN secret, \
no push to the Hub, the 30-minute default timeout, a script the job cannot find...). \
Call check_job before EVERY job submission (the hf_jobs tool, run_uv_job/run_job, or an \
`hf jobs` command), with exactly what you are about to submit. If it returns findings, \
resubmit the corrected arguments it gives (`fixed`), or fix the rest yourself and check \
again. check_file checks a training script or notebook; explain_rule explains a code."""

CHECK_JOB = """\
Check a Hugging Face job submission BEFORE you submit it. Call this before every \
hf_jobs "uv"/"run"/"scheduled ..." call, every run_uv_job/run_job/create_scheduled_*job \
call and every `hf jobs ...` command.

Pass exactly what you are about to submit, in ONE of three forms:
- hf_jobs tool: `operation` (e.g. "uv") and `args` (its arguments object, unchanged);
- Python Jobs API: `function` (e.g. "run_uv_job") and `args` (its arguments by name, \
the script too: {"script": "train.py", "flavor": "a10g-large", ...});
- command: `command_line` (e.g. "hf jobs uv run --flavor a10g-large train.py").
Optionally `script`: the text of the script the job runs when it is a local file or a \
URL (inline code in args.script is read from there), and `files`: {name: text} of other \
local files it uses. Files not given are read from the workspace.

Returns JSON: `ok` (true: no findings, submit as is), `findings` (each: code, severity, \
message, `where` = {path: a JSON path into your input such as "args.secrets", \
"args.script", "script" or "command_line", and line/column inside that text when it is \
code}, and `fix` when there is one: the submission with that fix applied, and its \
`applicability`: "safe", or "unsafe" (it changes behaviour, e.g. hands the job your \
token: take it if that is what you mean) or "display-only" (holds a placeholder to fill \
in)), and `fixed`: the submission with every safe fix applied (unsafe ones too with \
unsafe_fixes=true): `arguments` to resubmit as is (null when a value must be Python \
code such as get_token(); then `python` has the corrected call), `command_line`, or \
`script` (the corrected script text). Never returns a token: use "$HF_TOKEN" as the \
hf_jobs tool expects. Findings without a fix need your change; explain_rule(code) says why."""

CHECK_FILE = """\
Check a training script, notebook or other file hubsave reads for problems that lose \
a training run's results (no push to the Hub, invalid config arguments, job submissions \
without a token...). Give `path` (a file or folder in the workspace) or `text` with a \
`filename` (its name decides how it is read, e.g. "train.py", "nb.ipynb"). Returns the \
same records as `hubsave check --format json`: `findings` (path, code, severity, message, \
line, column, end_line, end_column, fixable; notebooks add `cell`) and `not_checked` \
(files that could not be read or parsed, and why)."""

EXPLAIN_RULE = """\
Explain a hubsave finding code (e.g. "HS301"): what goes wrong, a bad and a good \
example, and what the fix does. Returns the rule's documentation as Markdown."""


class _Server(MCPServer):
    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        """Tool errors say what is wrong, never quoting the input: it may hold a token."""
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(cause, ValidationError):
                fields = (f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in cause.errors(include_input=False))
                raise ToolError(f"{name}: " + "; ".join(fields)) from None
            message = str(exc)
            for token in tokens_in(message):
                message = message.replace(token, "hf_***")
            raise ToolError(message) from None


def create_server(workspace: str | None = None) -> MCPServer:
    root = os.path.abspath(workspace or os.getcwd())
    server = _Server("hubsave", version=__version__, instructions=INSTRUCTIONS)

    @server.tool(description=CHECK_JOB)
    def check_job(
        operation: Annotated[str | None, Field(description='hf_jobs operation, e.g. "uv", "run", "scheduled uv"')] = None,
        function: Annotated[str | None, Field(description='Jobs API function, e.g. "run_uv_job", "run_job"')] = None,
        args: Annotated[dict[str, Any] | None, Field(description="the arguments object, exactly as submitted")] = None,
        command_line: Annotated[str | None, Field(description='an "hf jobs ..." command line')] = None,
        script: Annotated[str | None, Field(description="text of the script the job runs (local file or URL)")] = None,
        files: Annotated[dict[str, str] | None, Field(description="other files the job uses: {name: text}")] = None,
        unsafe_fixes: Annotated[bool, Field(description="`fixed` applies the unsafe fixes too")] = False,
    ) -> dict[str, Any]:
        from ..api import check_job as run

        try:
            return run(operation=operation, function=function, args=args, command_line=command_line,
                       script=script, files=files, workspace=root, unsafe_fixes=unsafe_fixes)  # fmt: skip
        except ValueError as exc:
            raise ToolError(f"check_job: {exc}") from None

    @server.tool(description=CHECK_FILE)
    def check_file(
        path: Annotated[str | None, Field(description="a file or folder in the workspace")] = None,
        text: Annotated[str | None, Field(description="a file's text, checked as `filename`")] = None,
        filename: Annotated[str | None, Field(description='the name `text` is checked as, e.g. "train.py"')] = None,
    ) -> dict[str, Any]:
        if (path is None) == (text is None):
            raise ToolError("check_file: give either path, or text with filename")
        if text is not None:
            if not filename:
                raise ToolError("check_file: text needs a filename (e.g. \"train.py\"): it decides how the text is read")
            from ..api import check_text

            result = check_text(text, filename)
            problems = [{"path": filename, "why": result["not_checked"]}] if result["not_checked"] else []
            return {"findings": result["findings"], "not_checked": problems}
        return _check_path(path, root)

    @server.tool(description=EXPLAIN_RULE)
    def explain_rule(code: Annotated[str, Field(description='a finding code, e.g. "HS301"')]) -> str:
        from ..docs import rule_page

        page = rule_page(code.strip())
        if page is None:
            raise ToolError(f"explain_rule: no rule {code!r}; codes look like HS101 (the findings name them)")
        return page

    return server


def _check_path(path: str, root: str) -> dict[str, Any]:
    """`hubsave check --format json PATH`, for a path inside the workspace."""
    from ..check import run_check
    from ..cli_settings import CheckSettings
    from ..output import not_checked

    full = os.path.realpath(os.path.join(root, path))  # a link that leaves the workspace counts as outside
    if os.path.commonpath([full, os.path.realpath(root)]) != os.path.realpath(root):
        raise ToolError(f"check_file: {path} is outside the workspace ({root})")
    if not os.path.exists(full):
        raise ToolError(f"check_file: {path}: no such file or folder in the workspace")
    # Relative to the workspace (the working directory, see main), as the CLI run there names it.
    results = run_check([os.path.relpath(full, os.path.realpath(root))], False, CheckSettings(), [])
    problems = [{"path": r.path, "why": problem[1]} for r in results if (problem := not_checked(r))]
    return {"findings": [f for r in results for f in r.findings], "not_checked": problems}


def main(workspace: str | None = None) -> int:
    """Serve on stdio from the workspace folder: relative paths and pyproject.toml are its."""
    root = os.path.abspath(workspace or os.getcwd())
    os.chdir(root)
    create_server(root).run("stdio")
    return 0
