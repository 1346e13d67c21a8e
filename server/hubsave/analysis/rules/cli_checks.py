"""HS3xx on `hf jobs` command lines (read by `job_argv`); fixes are `replace` steps in
the command line's own syntax, so any file kind can apply or map them."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from ..catalog import DEFAULT_JOB_TIMEOUT, TOKEN_NAMES
from ..findings import SAFE, UNSAFE, Applicability, Finding, FixRequest, Related, Span, step
from ..hf_jobs_table import HfJobsTable, read_table
from ..job_argv import (
    CliJob,
    OptionUse,
    Program,
    find_jobs,
    jobs_options,
    program_of_command,
    program_of_script,
    volume_of_spec,
)
from ..job_purpose import clearly_does_not_train
from ..settings import Settings
from ..shell_words import UNKNOWN_PART, Word
from ..workspace import script_paths
from .job_options import PYTHON_FLAVORS, TIMEOUT, closest_flavor, closest_timeout, flavor_grade, suggest_key, timeout_hint
from .job_scripts import lost_results
from .registry import make_finding
from .script_arguments import check_program
from .tokens import holds_real_token, is_placeholder

# Images known not to hold the user's files: a local script named in their command is
# not in the job. A custom image may have it, so only these count.
_BASE_IMAGES = ("python", "pytorch/pytorch", "huggingface/trl", "ghcr.io/astral-sh/uv", "nvidia/cuda", "ubuntu",
                "debian", "alpine", "vllm/vllm-openai", "astral/uv")  # fmt: skip
_CLI_MIXUPS = {"--gpu": "--flavor", "--gpus": "--flavor", "--hardware": "--flavor", "--secret": "--secrets",
               "--deps": "--with", "--dependencies": "--with", "--requirements": "--with",
               "--volumes": "--volume", "--envs": "--env", "--labels": "--label"}  # fmt: skip


def _insert_before(word: Word, text: str, title: str, grade: Applicability) -> FixRequest:
    at = Span(word.span.start_line, word.span.start_col, word.span.start_line, word.span.start_col)
    return FixRequest(title, (step("replace", span=at, text=text),), grade)


def check_command(words: list[Word], settings: Settings, path: str | None) -> Iterator[Finding]:
    """Every finding of one simple command, when it is an `hf jobs` submission."""
    found = find_jobs(words)
    if found is None:
        return
    program_word, job = found
    if program_word.value.endswith("huggingface-cli"):
        yield make_finding(
            "HS314",
            program_word.span,
            "huggingface-cli is gone since huggingface_hub 1.0: the command is not found and no job starts; use hf",
            FixRequest(
                "Use hf",
                (step("replace", span=program_word.span, text=program_word.raw[: -len("huggingface-cli")] + "hf"),),
                SAFE,  # the same command under its current name
            ),
        )
    yield from _token_assignment(words[: words.index(program_word)])
    text, script_path, table_known = _script(job, settings, path)
    table = read_table(text) if text is not None else None
    yield from _unknown_options(job)
    yield from _secrets(job, table, table_known)
    yield from _timeout(job, table, table_known)
    yield from _values(job)
    yield from _local_file(job)
    yield from _script_option_taken(job, text)
    volumes = _volumes(job, table, table_known)
    yield from _lost_results(job, text, script_path, settings, volumes)
    run = program(job)
    if run is not None:
        yield from check_program(run, settings, path, volumes, _appender(job))


def _volumes(job: CliJob, table: HfJobsTable | None, table_known: bool):
    """The job's mounts; None when one is unknown (a `$VAR` spec, a table not read)."""
    specs = [o.value for o in job.given("--volume")]
    if job.kind == "uv":
        if not table_known:
            return None
        specs += table.volumes if table is not None else []
    if any(s is None or UNKNOWN_PART in s for s in specs):
        return None
    volumes = [volume_of_spec(s) for s in specs if s is not None]
    return [v for v in volumes if v is not None]


def _appender(job: CliJob):
    """Arguments added after the command's last word: the script's (click passes them on)."""
    last = job.words[-1]
    end = Span(last.span.end_line, last.span.end_col, last.span.end_line, last.span.end_col)
    return lambda extra: step("replace", span=end, text="".join(" " + _shell_quote(w) for w in extra))


def _shell_quote(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9_./:=@%+-]+", text) else "'" + text.replace("'", "'\\''") + "'"


def _token_assignment(before: list[Word]) -> Iterator[Finding]:
    """HS302 for `HF_TOKEN=hf_... hf jobs ...`: the token is in the command line too;
    HS402 when it is a placeholder (hf then sends it, and fails with 401)."""
    for index, word in enumerate(before):
        name, eq, value = word.value.partition("=")
        if name not in TOKEN_NAMES or not eq or not word.known:
            continue
        following = before[index + 1].span if index + 1 < len(before) else None
        end = following if following is not None and following.start_line == word.span.start_line else None
        # Drop the assignment: `--secrets HF_TOKEN` then reads the login.
        cut = Span(word.span.start_line, word.span.start_col, word.span.end_line,
                   end.start_col if end else word.span.end_col)  # fmt: skip
        # The job then gets the login's token, not the one written: unsafe.
        fix = FixRequest("Remove the HF_TOKEN assignment", (step("replace", span=cut, text=""),), UNSAFE)
        if holds_real_token(value):
            yield make_finding(
                "HS302",
                word.span,
                "a token is written into the command line (HF_TOKEN=...): it stays in shell history, CI logs "
                "and every copy of this file; hf reads your login without it",
                fix,
            )
        elif is_placeholder(value):
            yield _placeholder_finding(word.span, fix)


def _placeholder_finding(span: Span, fix: FixRequest) -> Finding:
    return make_finding(
        "HS402",
        span,
        "a placeholder is given as the Hugging Face token: every Hub request fails with 401 Unauthorized; "
        "drop it and let hf read your login",
        fix,
    )


def _script(job: CliJob, settings: Settings, path: str | None) -> tuple[str | None, str | None, bool]:
    """(text, path) of the local script a uv job uploads, and whether its `[tool.hf-jobs]`
    table is known: a URL or an unread file may have one, so settings it can hold are
    unknown; TRL's scripts carry none (trl 1.16); `hf jobs run` reads no table."""
    if job.kind != "uv" or job.target is None or not job.target.known:
        return None, None, job.kind != "uv"
    program = program_of_script(job.target, [])
    if program is not None and program.trl:
        return None, None, True
    if program is None or program.local is None or settings.sources is None:
        return None, None, False
    for candidate in script_paths(settings.sources, program.local, path):
        text = settings.sources.read(candidate)
        if text is not None:
            return text, candidate, True
    return None, None, False


def _script_option_taken(job: CliJob, text: str | None) -> Iterator[Finding]:
    """HS311: after the script, an option the script declares that is also a Jobs
    option: click parses interspersed options, so hf jobs takes it (the Job's name,
    env, timeout...) and the script never gets it."""
    if text is None or job.target is None:
        return
    target_at = _position(job.target)
    after = [o for o in job.options if _position(o.words[0]) > target_at]  # type: ignore[operator]
    if not after:
        return
    declared = _declared_options(text)
    taken = [o for o in after if o.words[0].value.split("=", 1)[0] in declared]
    # `--` before the script hands everything after it to the script: certain only
    # when every Jobs option after the script is one the script declares.
    # Safe: the arguments go where they were written for, the script.
    fix = (
        _insert_before(job.target, "-- ", "Put -- before the script", SAFE)
        if len(taken) == len(after) and job.dashdash is None
        else None
    )
    name = job.target.value.rsplit("/", 1)[-1]
    for option in taken:
        written = option.words[0].value.split("=", 1)[0]
        yield make_finding(
            "HS311",
            option.span,
            f"{written} after the script is taken by {job.program} as its own option (the job's "
            f"{option.name.lstrip('-')}), so {name} never gets it; put -- before the script",
            fix,
        )


@lru_cache(maxsize=8)
def _declared_options(text: str) -> frozenset[str]:
    """Option strings a script declares with argparse's `add_argument("-n", "--name", ...)`.
    Kept for the last few scripts: a launcher is re-analysed at each keystroke while
    the script it submits does not change."""
    import ast

    from ..nodes import walk

    if "add_argument" not in text:
        return frozenset()
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return frozenset()
    found = set()
    for node in walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_argument":
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.startswith("-"):
                    found.add(arg.value)
    return frozenset(found)


def _lost_results(job: CliJob, text: str | None, script_path: str | None, settings: Settings, volumes) -> Iterator[Finding]:
    """HS308: the uploaded script's own code loses the model."""
    if text is None or volumes is None or job.target is None:
        return
    lost = lost_results(text, script_path, settings, volumes)
    if not lost:
        return
    first = lost[0]
    more = f" (and {len(lost) - 1} more)" if len(lost) > 1 else ""
    name = job.target.value.rsplit("/", 1)[-1]
    yield make_finding(
        "HS308",
        job.target.span,
        f"the job runs {name}, which loses the trained model: line {first.span.start_line + 1}: {first.message}{more}",
        related=tuple(Related(script_path, f.span, f"{f.code}: {f.message}") for f in lost),
    )


def _unknown_options(job: CliJob) -> Iterator[Finding]:
    target_at = _position(job.target)
    for word in job.unknown_options:
        if target_at is not None and _position(word) > target_at:
            continue  # after the script: a script argument
        if word is job.target and not job.rest:
            continue  # the last word of a line being typed
        name = word.value.split("=", 1)[0]
        accepted = frozenset(o.lstrip("-") for o in _accepted(job))
        mixup = _CLI_MIXUPS.get(name)
        suggestion = mixup if mixup else ("--" + s if (s := suggest_key(name.lstrip("-"), accepted)) else None)
        taken = "the script" if job.kind == "uv" else "the image"
        hint = f"; it is {suggestion}" if suggestion else ""
        fix = None
        if suggestion and word.raw.startswith(name):
            end = Span(word.span.start_line, word.span.start_col, word.span.start_line, word.span.start_col + len(name))
            grade = SAFE if mixup else UNSAFE  # a name carried over from another tool, or a close spelling
            fix = FixRequest(f"Rename {name} to {suggestion}", (step("replace", span=end, text=suggestion),), grade)
        yield make_finding(
            "HS309",
            word.span,
            f"{name} is not an option of {job.program}: it is taken as {taken} and the job fails{hint}",
            fix,
        )


def _accepted(job: CliJob) -> list[str]:
    return list(jobs_options(job.kind, job.scheduled))


def _position(word: Word | None) -> tuple[int, int] | None:
    return None if word is None else (word.span.start_line, word.span.start_col)


def _secret_name(option: OptionUse) -> str | None:
    return None if option.value is None else option.value.split("=", 1)[0].strip()


def _secrets(job: CliJob, table: HfJobsTable | None, table_known: bool) -> Iterator[Finding]:
    secrets = job.given("--secrets")
    env = job.given("--env")
    for option in secrets + env:
        name, eq, value = (option.value or "").partition("=")
        if name.strip() not in TOKEN_NAMES or not eq:
            continue
        where = "--secrets" if option.name == "--secrets" else "--env"
        if UNKNOWN_PART in value:
            continue
        # The job then gets the login's token, not the one written.
        fix = FixRequest("Use --secrets HF_TOKEN", (step("replace", span=option.span, text="--secrets HF_TOKEN"),), UNSAFE)
        if holds_real_token(value):
            yield make_finding(
                "HS302",
                option.value_span or option.span,
                f"a token is written into the command line ({where}): it stays in shell history, CI logs "
                "and every copy of this file; use --secrets HF_TOKEN, which reads your login",
                fix,
            )
        elif is_placeholder(value):
            yield _placeholder_finding(option.value_span or option.span, fix)
    for option in env:
        if (_secret_name(option) or "") in TOKEN_NAMES:
            yield make_finding(
                "HS303",
                option.span,
                "HF_TOKEN is passed with --env: anyone who can see the job's details can read it; use --secrets",
                FixRequest(
                    "Use --secrets HF_TOKEN",
                    (step("replace", span=option.span, text="--secrets HF_TOKEN"),),
                    _env_token_grade(option),
                ),
            )
    if job.open or job.given("--secrets-file") or not table_known:
        return
    if job.kind == "run" and _clearly_not_training(job):
        return  # `python -c "import torch; print(...)"`: nothing to push
    if any(not o.known or _secret_name(o) in TOKEN_NAMES for o in secrets):
        return
    if any((_secret_name(o) or "") in TOKEN_NAMES for o in env):
        return  # HS303 tells it to move
    if table is not None and TOKEN_NAMES & set(table.secrets):
        return
    # Unsafe: it hands your token to the job.
    fix = _insert_before(job.target, "--secrets HF_TOKEN ", "Add --secrets HF_TOKEN", UNSAFE) if job.target else None
    yield make_finding(
        "HS301",
        job.words[0].span if job.target is None else _command_span(job),
        "job submitted without --secrets HF_TOKEN: it cannot push to the Hub, and its results are "
        "deleted with the container",
        fix,
    )


def _command_span(job: CliJob) -> Span:
    """`hf jobs uv run`: the words naming the command, where command-wide findings go."""
    first = job.words[0].span
    count = 4 if job.kind == "uv" else 3
    last = job.words[min(count + job.scheduled, len(job.words)) - 1].span
    return Span(first.start_line, first.start_col, last.end_line, last.end_col)


def _timeout(job: CliJob, table: HfJobsTable | None, table_known: bool) -> Iterator[Finding]:
    if job.open or job.given("--timeout") or not table_known or job.target is None:
        return
    if table is not None and table.get("timeout") is not None:
        return
    if job.kind == "run" and _clearly_not_training(job):
        return
    yield make_finding(
        "HS304",
        _command_span(job),
        "job without --timeout: it is killed after the default 30 minutes and its results deleted",
        _insert_before(job.target, f"--timeout {DEFAULT_JOB_TIMEOUT} ", f"Add --timeout {DEFAULT_JOB_TIMEOUT}", UNSAFE),
    )


def _clearly_not_training(job: CliJob) -> bool:
    """The image and command, all known, neither train nor push."""
    words = [job.target, *job.rest] if job.target else job.rest
    if any(not w.known or w.splat for w in words):
        return False
    return clearly_does_not_train([w.value for w in words])


def _values(job: CliJob) -> Iterator[Finding]:
    checks = (
        ("--flavor", lambda v: v in PYTHON_FLAVORS, lambda v: closest_flavor(v, PYTHON_FLAVORS),
         lambda s: f"; did you mean {s!r}?" if s else "", "a Jobs hardware name: the Hub rejects the job"),
        ("--timeout", lambda v: bool(TIMEOUT.match(v)), closest_timeout,
         timeout_hint, "a duration the Jobs API reads: the job is refused"),
    )  # fmt: skip
    for name, valid, closest, hint, why in checks:
        for option in job.given(name):
            value = option.value
            if value is None or not option.known or valid(value) or option.value_span is None:
                continue
            suggestion = closest(value)
            what = name.lstrip("-")
            yield make_finding(
                "HS305",
                option.value_span,
                f"{what} {value!r} is not {why}{hint(suggestion)}",
                _replace_value(option, suggestion, what) if suggestion else None,
            )


def _replace_value(option: OptionUse, new: str, what: str) -> FixRequest:
    # A timeout rewritten is the same duration; a flavor is certain only when it is another spelling.
    grade = flavor_grade(option.value or "", new) if what == "flavor" else SAFE
    if len(option.words) == 2:
        return FixRequest(f"Use {what} {new}", (step("replace", span=option.words[1].span, text=new),), grade)
    word = option.words[0]
    prefix = word.raw[: len(word.raw) - len(option.value or "")] if word.raw.endswith(option.value or "") else None
    text = prefix + new if prefix is not None else f"{option.name}={new}"
    return FixRequest(f"Use {what} {new}", (step("replace", span=word.span, text=text),), grade)


def _env_token_grade(option: OptionUse) -> Applicability:
    """`--env HF_TOKEN` or `--env HF_TOKEN=$HF_TOKEN` to `--secrets HF_TOKEN`: the same token,
    hidden (safe); any other value is replaced by your login's token (unsafe)."""
    _, eq, value = (option.value or "").partition("=")
    return SAFE if not eq or value.strip() in ("$HF_TOKEN", "${HF_TOKEN}") else UNSAFE


def _local_file(job: CliJob) -> Iterator[Finding]:
    if job.kind != "run" or job.target is None or not job.target.known:
        return
    if job.target.value == "uv" and job.rest[:1] and job.rest[0].value == "run":
        yield make_finding(
            "HS312",
            job.target.span,
            "uv is taken as the job's Docker image (hf jobs run IMAGE COMMAND...): the job fails; "
            "use hf jobs uv run to run a script with uv",
        )
        return
    if job.given("--volume") or job.open:
        return
    found = base_image_local_script(job.target.value, job.rest)
    if found is None:
        return
    word, path = found
    yield make_finding(
        "HS312",
        word.span,
        f"{path!r} is a file on your machine: hf jobs run uploads nothing and the {job.target.value} image "
        "does not have it, so the job fails with file not found; use hf jobs uv run, or mount its folder "
        "with -v ./dir:/code",
    )


def base_image_local_script(image: str, command: list[Word]) -> tuple[Word, str] | None:
    """The word naming a relative local script that a well-known public image's command runs."""
    if not any(image == base or image.startswith((base + ":", base + "@")) for base in _BASE_IMAGES):
        return None
    program = program_of_command(command)
    if program is None or program.local is None or program.word is None or program.local.startswith("/"):
        return None
    return program.word, program.local


def program(job: CliJob) -> Program | None:
    """What the job runs, with its arguments."""
    if job.kind == "uv":
        return program_of_script(job.target, job.rest)
    return program_of_command(job.rest)

