"""`check_job`: a job submission, exactly as an agent is about to send it, checked.

The submission (an `hf_jobs` operation and its arguments, a Jobs API call's
arguments, or an `hf jobs ...` command line) is written as the Python call the
analysis already reads (see payload.py); the rules are the ones every file gets.
Findings say where they are as a JSON path into the input (`args.secrets`), plus
a position when it is inside a string (an inline script, the command line). Each
finding's fix comes back applied on its own, and every fix `hubsave check --fix`
would apply comes back applied together: the corrected arguments, ready to resubmit
as they are. Nothing here reaches the network, and no literal
token is ever sent back (findings never hold one; corrected arguments get
`"$HF_TOKEN"` or are withheld).
"""

from __future__ import annotations

import dataclasses
import json
import os
from typing import Any, Iterable, Mapping

from ..analysis import Settings, analyze
from ..analysis.catalog import MCP_UV_OPERATIONS, MCP_TOKEN_PLACEHOLDERS, UV_JOB_FUNCTIONS
from ..analysis.findings import Finding, Span
from ..analysis.rules.tokens import tokens_in
from ..analysis.signatures import wait_for
from ..analysis.workspace import local_script, normalize_path
from ..sources import read_disk
from .payload import MAX_PAYLOAD_CHARS, PayloadError, RenderedCall, json_path, read_back, render_mcp, render_python

# The submission's own (never written) file: settings come from the workspace's pyproject.toml.
SUBMISSION_NAME = "hubsave-job-submission.py"
COMMAND_LINE_NAME = "hubsave-job-submission.sh"
# How long HS109 waits for a config class's signature from the environment, as `hubsave check`.
SIGNATURE_TIMEOUT = 5.0
_FORMS = ("operation", "function", "command_line")


def check_job(
    *,
    operation: str | None = None,
    function: str | None = None,
    args: Mapping[str, Any] | None = None,
    command_line: str | None = None,
    script: str | None = None,
    files: Mapping[str, str] | None = None,
    workspace: str | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    unsafe_fixes: bool = False,
) -> dict:
    """Check a job submission exactly as it is about to be sent. Give one of:

    - `operation` + `args`: an `hf_jobs` MCP tool call (`"uv"`, `{"script": ..., ...}`);
    - `function` + `args`: a Jobs API call's arguments by name (`"run_uv_job"`,
      `{"script": "train.py", "flavor": ..., ...}`; also run_job and the scheduled ones);
    - `command_line`: an `hf jobs ...` command.

    `script`: the text of the script the job runs (when it is a local file or a URL);
    `files`: other files it reads, by name relative to `workspace` (default: the
    working directory), whose other files are read from disk.

    Returns `{"ok", "findings", "fixed"}`. Each finding: `code`, `severity`, `message`,
    `where` (`path`: a JSON path into this input such as `args.secrets`, `script` or
    `command_line`, plus `line`/`column`/`end_line`/`end_column` inside that text when
    it is a script or a command line), `related` (other places that explain it) and,
    when the finding has a fix, `fix`: its `title`, `applicability` (safe, unsafe or
    display-only, as `hubsave check` grades it) and the submission with it applied
    (offered as a quick fix is: the caller chooses). `fixed`: the submission with every
    fix `hubsave check --fix` applies on its own (the safe ones; the unsafe ones too with
    `unsafe_fixes`, as `--unsafe-fixes`), or None when there is none. A corrected submission holds
    `arguments` (the args object to resubmit as is; None when a value must be code,
    such as `get_token()`), `python` (Jobs API: the call as Python code),
    `command_line`, or `script` (the fixed script text), or `withheld` instead when
    it would contain a literal token. `ok` is true when there are no findings.

    ValueError (hubsave.agents.payload.PayloadError) when the input cannot be read:
    the message says what is wrong.
    """
    given = [name for name, value in zip(_FORMS, (operation, function, command_line)) if value is not None]
    if len(given) != 1:
        raise PayloadError(
            "give exactly one of: operation + args (an hf_jobs call), function + args (a Jobs API call such as "
            f"run_uv_job), or command_line (an `hf jobs ...` command); got {', '.join(given) or 'none'}"
        )
    files = _texts(files)
    if script is not None and not isinstance(script, str):
        raise PayloadError("script must be the script's text")
    root = os.path.abspath(workspace or os.getcwd())
    if command_line is not None:
        if args is not None:
            raise PayloadError("args goes with operation or function, not with command_line")
        if not isinstance(command_line, str) or len(command_line) > MAX_PAYLOAD_CHARS:
            raise PayloadError("command_line must be the command's text (at most 2 MB)")
        return _Submission(command_line, None, {}, root, files, script, (select, ignore, unsafe_fixes)).check()
    rendered = render_mcp(operation, args) if operation is not None else render_python(function, args)
    return _Submission(rendered.text, rendered, dict(args), root, files, script, (select, ignore, unsafe_fixes)).check()


@dataclasses.dataclass(frozen=True)
class _SuppliedSources:
    """The texts the agent gave, then the workspace's own files; nothing outside it."""

    roots: tuple[str, ...]
    supplied: Mapping[str, tuple[str, str]]  # normalized path -> (where in the input, text)

    def read(self, path: str) -> str | None:
        full = normalize_path(path)
        if full in self.supplied:
            return self.supplied[full][1]
        real = os.path.realpath(full)  # a link that leaves the workspace counts as outside
        inside = any(os.path.commonpath([real, os.path.realpath(root)]) == os.path.realpath(root) for root in self.roots)
        return read_disk(full) if inside else None

    def project_root(self, path: str) -> str | None:
        """The workspace: the agent's relative script paths are relative to it."""
        return self.roots[0]


def _texts(files: Any) -> dict[str, str]:
    if files is None:
        return {}
    if not isinstance(files, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise PayloadError('files must be a JSON object of file names and their texts: {"train.py": "..."}')
    if sum(len(v) for v in files.values()) > MAX_PAYLOAD_CHARS:
        raise PayloadError(f"files hold more than {MAX_PAYLOAD_CHARS // 1_000_000} MB of text")
    return dict(files)


def _settings(path: str, flags: tuple, job_scripts: frozenset[str], sources: _SuppliedSources) -> Settings:
    """As `hubsave check --select ... --ignore ... [--unsafe-fixes]` would check `path`."""
    from ..cli_settings import CheckSettings
    from ..config import ConfigError

    select, ignore, unsafe_fixes = flags
    try:
        options = CheckSettings.from_flags(select, ignore, None, True if unsafe_fixes else None)
    except (ConfigError, ValueError) as exc:
        raise PayloadError(str(exc)) from exc
    return dataclasses.replace(options.for_path(path, job_scripts, []), sources=sources)


def _offer(finding: Finding) -> dict:
    """A finding's fix as a quick fix offers it: its title and how sure it is (safe: `fixed`
    has it; unsafe: only with unsafe_fixes; display-only: holds a placeholder to fill in)."""
    assert finding.fix is not None
    return {"title": finding.fix.title, "applicability": finding.fix.applicability.value}


def _position(span: Span) -> dict:
    return {"line": span.start_line + 1, "column": span.start_col + 1,
            "end_line": span.end_line + 1, "end_column": span.end_col + 1}  # fmt: skip


def _record(finding: Finding, where: dict) -> dict:
    return {"code": finding.code, "severity": finding.severity.label, "message": finding.message, "where": where}


class _Submission:
    """One submission, a call (rendered) or a command line, with the files it may read."""

    def __init__(self, text: str, rendered: RenderedCall | None, args: dict, root: str, files: dict[str, str],
                 script: str | None, flags: tuple) -> None:  # fmt: skip
        self.text, self.rendered, self.args, self.root = text, rendered, args, root
        self.path = os.path.join(root, SUBMISSION_NAME if rendered else COMMAND_LINE_NAME)
        # Where each supplied text is read from: `files` by name, `script` as the job's script.
        self.supplied = {normalize_path(os.path.join(root, name)): (json_path("files", name), text)
                         for name, text in files.items()}  # fmt: skip
        self.script = self._script(script)
        if self.script is not None and self.script[0] is not None:
            self.supplied[self.script[0]] = ("script", self.script[2])
        sources = _SuppliedSources((root,), self.supplied)
        job_scripts = frozenset({self.script[0]}) if self.script and self.script[0] else frozenset()
        self.settings = _settings(self.path, flags, job_scripts, sources)
        self._script_settings_cache: Settings | None = None

    def _script(self, text: str | None) -> tuple[str | None, str, str] | None:
        """(absolute path or None, where it is in the input, text) of the script the job runs."""
        if self.rendered is None:
            local = _command_line_script(self.text)
        else:
            named = self.args.get("script")
            if self.rendered.form == "mcp" and isinstance(named, str) and "\n" in named:
                return None, "args.script", named  # inline code
            runs_a_file = self.rendered.operation in MCP_UV_OPERATIONS or self.rendered.function in UV_JOB_FUNCTIONS
            local = local_script(named) if runs_a_file else None
        path = normalize_path(os.path.join(self.root, local)) if local else None
        if text is not None:
            return path, "script", text
        if path is not None and path in self.supplied:
            return path, *self.supplied[path]
        return None

    def _findings(self, text: str) -> list[Finding]:
        if self.rendered is None:
            from ..analysis.command_lines import analyze_shell

            return analyze_shell(text, self.settings, self.path)
        return analyze(text, self.path, self.settings).findings

    def _at(self, span: Span) -> dict:
        if self.rendered is None:
            return {"path": "command_line", **_position(span)}
        return {"path": self.rendered.path_at(span)}

    def check(self) -> dict:
        from ..fixes.apply import apply_fix, fix_all
        from ..fixes.registry import FixNotApplicable

        findings = []
        for finding in self._findings(self.text):
            record = _record(finding, self._at(finding.span))
            if finding.related:
                record["related"] = [{"message": r.message, "where": self._where(r.path, r.span)} for r in finding.related]
            if finding.fix is not None:
                try:
                    fixed_text = apply_fix(self.text, finding.fix)
                    record["fix"] = {**_offer(finding), **self._corrected(fixed_text, None)}
                except FixNotApplicable:
                    pass
            findings.append(record)
        findings += self._script_findings()
        fixed = None
        if any("fix" in f for f in findings):
            fixed_text, _ = fix_all(self.text, self.path, self.settings, findings_of=self._findings)
            fixed_script = self._fixed_script()
            if fixed_text != self.text or fixed_script is not None:
                fixed = self._corrected(fixed_text, fixed_script)
        return {"ok": not findings, "findings": findings, "fixed": fixed}

    def _where(self, path: str | None, span: Span) -> dict:
        if path is None or normalize_path(path) == normalize_path(self.path):
            return self._at(span)
        where, _ = self.supplied.get(normalize_path(path), (None, None))
        return {"path": where, **_position(span)} if where else {"file": path, **_position(span)}

    def _script_settings(self) -> Settings:
        """Inline code or a supplied script is the job's script: losing results is an error
        there. HS109 first reads the config classes' signatures from the environment, as
        `hubsave check` does (the bundled schema answers when that takes too long)."""
        if self._script_settings_cache is None:
            assert self.script is not None
            settings = dataclasses.replace(self.settings, ephemeral=True)
            requests = analyze(self.script[2], self.script[0], settings).signature_requests
            self._script_settings_cache = wait_for(requests, settings, SIGNATURE_TIMEOUT) if requests else settings
        return self._script_settings_cache

    def _script_findings(self) -> list[dict]:
        if self.script is None:
            return []
        from ..fixes.apply import apply_fix
        from ..fixes.registry import FixNotApplicable

        path, where, text = self.script
        analysis = analyze(text, path, self._script_settings())
        if analysis.syntax_error:
            return [{"code": "syntax-error", "severity": "error", "message": f"the script does not parse: "
                     f"{analysis.syntax_error}", "where": {"path": where}}]  # fmt: skip
        records = []
        for finding in analysis.findings:
            record = _record(finding, {"path": where, **_position(finding.span)})
            if finding.fix is not None:
                try:
                    fixed_script = apply_fix(text, finding.fix)
                    record["fix"] = {**_offer(finding), **self._corrected(self.text, fixed_script)}
                except FixNotApplicable:
                    pass
            records.append(record)
        return records

    def _fixed_script(self) -> str | None:
        if self.script is None:
            return None
        from ..fixes.apply import fix_all

        path, _, text = self.script
        fixed, _ = fix_all(text, path, self._script_settings())
        return fixed if fixed != text else None

    def _corrected(self, text: str, script_text: str | None) -> dict:
        """What the agent resubmits: the arguments (for the Jobs API also the Python code),
        or the command line, and the script when it is a file of its own."""
        out: dict[str, Any] = {}
        inline = self.script is not None and self.script[1] == "args.script"
        if script_text is not None and not inline:
            out["script"] = script_text  # a file of its own
            if text == self.text:
                return _withhold_tokens(out)  # the submission itself is unchanged
        if self.rendered is None:
            return _withhold_tokens({**out, "command_line": text})
        arguments = read_back(text, self.rendered)
        if inline and script_text is not None and arguments is not None:
            arguments["script"] = script_text
        if self.rendered.form == "mcp":
            arguments = _token_placeholders(arguments)
        out["arguments"] = arguments
        if self.rendered.form == "python":
            out["python"] = text
        return _withhold_tokens(out)


def _command_line_script(text: str) -> str | None:
    """The local script an `hf jobs uv run` command line names, if any."""
    from ..analysis.job_argv import find_jobs
    from ..analysis.shell_words import commands

    for words in commands(text):
        found = find_jobs(words)
        if found is not None and found[1].kind == "uv" and found[1].target is not None and found[1].target.known:
            return local_script(found[1].target.value)
    return None


def _token_placeholders(value: Any) -> Any:
    """A token written as a secret or env value becomes `"$HF_TOKEN"`, which the MCP tool expands."""
    if not isinstance(value, dict):
        return value
    for option in ("secrets", "env"):
        mapping = value.get(option)
        if isinstance(mapping, dict):
            for key, item in mapping.items():
                if isinstance(item, str) and item.strip() not in MCP_TOKEN_PLACEHOLDERS and tokens_in(item) == [item.strip()]:
                    mapping[key] = "$HF_TOKEN"
    return value


def _withhold_tokens(corrected: dict) -> dict:
    """Never send a token back: a corrected submission that would still hold one is withheld."""
    if tokens_in(json.dumps(corrected)):
        return {"withheld": "the corrected submission would still hold a literal token: remove it and check again"}
    return corrected


