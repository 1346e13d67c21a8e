"""Command lines: shell words with spans, `hf jobs` parsed as the real CLI parses it,
and analyze_shell's contract (spans, suppression, settings, never raising)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from hubsave.analysis.command_lines import analyze_shell
from hubsave.analysis.findings import Severity
from hubsave.analysis.rules import cli_checks
from hubsave.analysis.job_argv import ScriptArgs, find_jobs, program_of_command
from hubsave.analysis.settings import Settings
from hubsave.analysis.shell_words import UNKNOWN_PART, commands
from hubsave.fixes.apply import apply_fix

SFT = "https://raw.githubusercontent.com/huggingface/trl/main/trl/scripts/sft.py"


def _values(text):
    return [[w.value for w in command] for command in commands(text)]


def test_words_quotes_continuations_and_separators():
    text = "HF_TOKEN=x hf jobs uv run \\\n  --flavor 'a10g-large' \"$SCRIPT\" --out \"my dir\" && echo done; ls | wc -l # c"
    assert _values(text) == [
        ["HF_TOKEN=x", "hf", "jobs", "uv", "run", "--flavor", "a10g-large", UNKNOWN_PART, "--out", "my dir"],
        ["echo", "done"],
        ["ls"],
        ["wc", "-l"],
    ]


def test_word_spans_are_in_the_texts_coordinates():
    text = "hf jobs uv run \\\n    --flavor   a10g-large x.py"
    words = commands(text)[0]
    flavor = next(w for w in words if w.value == "a10g-large")
    assert (flavor.span.start_line, flavor.span.start_col, flavor.span.end_col) == (1, 15, 25)
    lines = text.splitlines()
    for word in words:
        assert lines[word.span.start_line][word.span.start_col : word.span.end_col] == word.raw


def test_expansions_are_unknown_and_splats_are_marked():
    words = commands('run "$@" $ARGS "${OUT}/x" $(date) `id` "a$B"')[0]
    assert [(w.known, w.splat) for w in words[1:]] == [
        (False, True), (False, True), (False, False), (False, True), (False, True), (False, False),
    ]  # fmt: skip


def test_redirections_drop_their_target():
    assert _values("hf jobs ps > out.txt 2>&1 < in") == [["hf", "jobs", "ps"]]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="hf jobsuvrn-=\"'\\$@{}()|&;#\n\t x.py", max_size=80))
def test_half_typed_text_never_raises(text):
    # The checks themselves, not analyze_shell (which would hide an exception).
    for source in (text, "hf jobs uv run " + text, "hf jobs run " + text):
        for words in commands(source):
            list(cli_checks.check_command(words, Settings(), None))


# -- parsed as huggingface_hub 2.4's click command parses it -----------------

CASES = [
    ["uv", "run", "train.py", "--flavor", "a10g-large", "--lr", "1"],
    ["uv", "run", "--flavor", "a10g-large", "train.py", "--push_to_hub", "--timeout", "2h"],
    ["uv", "run", "--gpu", "a100", "train.py"],
    ["uv", "run", "train.py", "--", "--flavor", "x"],
    ["uv", "run", "--flavor=a10g-large", "-s", "HF_TOKEN", "-sWANDB", "train.py"],
    ["uv", "run", "-dq", "train.py"],
    ["run", "--", "uv", "run", "x.py"],
    ["run", "python:3.12", "python", "x.py", "--timeout", "2h"],
    ["run", "--flavor", "a10g-large", "img", "--", "python", "x.py", "--timeout", "1h"],
    ["run", "-e", "A=1", "-v", "hf://buckets/a/b:/mnt", "img", "cmd"],
    ["scheduled", "uv", "run", "@daily", "--timeout", "1h", "train.py", "--epochs", "3"],
    ["scheduled", "run", "0 0 * * *", "--suspend", "img", "cmd"],
]


def _click_parse(argv):
    """The real `hf jobs` command's parse (huggingface_hub 2.4, click), without running it."""
    from huggingface_hub.cli import jobs

    group = jobs.jobs_cli
    while argv[0] in group.commands and hasattr(group.commands[argv[0]], "commands"):
        group, argv = group.commands[argv[0]], argv[1:]
    command = group.commands[argv[0]]
    ctx = command.make_context("hf", list(argv[1:]), resilient_parsing=True)
    return {k: v for k, v in ctx.params.items() if v not in (None, False, ())}


@pytest.mark.parametrize("argv", CASES, ids=[" ".join(c) for c in CASES])
def test_parse_agrees_with_the_real_cli(argv):
    expected = _click_parse(argv)
    text = " ".join(f"'{w}'" if " " in w else w for w in ["hf", "jobs", *argv])
    _, job = find_jobs(commands(text)[0])
    target_key = "script" if job.kind == "uv" else "image"
    rest_key = "script_args" if job.kind == "uv" else "command"
    assert job.target is not None and job.target.value == expected[target_key]
    assert tuple(w.value for w in job.rest) == tuple(expected.get(rest_key, ()))
    for option in ("flavor", "timeout", "secrets", "env", "volume"):
        given_ = [o.value for o in job.given(f"--{option}")]
        wanted = expected.get(option)
        wanted = [] if wanted is None else (list(wanted) if isinstance(wanted, (list, tuple)) else [wanted])
        assert given_ == wanted, option


# -- what a job's command runs, and its arguments ------------------------------


@pytest.mark.parametrize(
    "command, trl, local",
    [
        ("trl sft --output_dir x", "sft", None),
        ("python -m trl.scripts.dpo --output_dir x", "dpo", None),
        ("accelerate launch --config_file zero3.yaml --num_processes 8 -m trl.scripts.grpo --x 1", "grpo", None),
        (f"uv run --with trl {SFT} --x 1", "sft", None),
        ("uv run https://raw.githubusercontent.com/huggingface/trl/refs/heads/main/trl/scripts/dpo.py", "dpo", None),
        ("uv run https://github.com/huggingface/trl/raw/v1.16.0/trl/scripts/grpo.py", "grpo", None),
        ("uv run https://example.com/trl/scripts/sft.py", None, None),
        ("python3 -u train.py --lr 1", None, "train.py"),
        ("torchrun --nproc_per_node 2 scripts/train.py", None, "scripts/train.py"),
        ("bash -c 'python train.py'", None, None),
    ],
)
def test_program_of_command(command, trl, local):
    program = program_of_command(commands(command)[0])
    assert (program.trl if program else None, program.local if program else None) == (trl, local)


def test_script_args_read_as_hfargumentparser_reads_them():
    args = ScriptArgs.parse(commands("x --push-to-hub --output_dir=out --lr 1 --bf16 false --gradient_checkpointing")[0][1:])
    assert args.flag("push_to_hub") is True
    assert args.last("output_dir").value_text == "out"
    assert args.flag("bf16") is False
    assert args.flag("gradient_checkpointing") is True


# -- analyze_shell's contract --------------------------------------------------


def test_cheap_when_no_job_is_mentioned():
    assert analyze_shell("echo hello\n" * 1000) == []


def test_findings_sorted_with_spans_in_text_coordinates_and_replace_only_fixes():
    text = f"set -e\nhf jobs uv run --flavor A10G {SFT} --output_dir out\n"
    findings = analyze_shell(text)
    assert [f.code for f in findings] == ["HS301", "HS304", "HS305", "HS111"]
    assert findings == sorted(findings, key=lambda f: (f.span.start_line, f.span.start_col))
    flavor = next(f for f in findings if f.code == "HS305")
    assert text.splitlines()[1][flavor.span.start_col : flavor.span.end_col] == "A10G"
    for finding in findings:
        assert finding.fix is not None and all(s.kind == "replace" for s in finding.fix.steps)
    fixed = text
    for _ in range(5):
        found = [f for f in analyze_shell(fixed) if f.fix]
        if not found:
            break
        fixed = apply_fix(fixed, found[0].fix)
    assert fixed.splitlines()[1] == (
        f"hf jobs uv run --flavor a10g-small --secrets HF_TOKEN --timeout 2h {SFT} --output_dir out --push_to_hub"
    )


def test_suppression_and_settings():
    line = f"hf jobs uv run --secrets HF_TOKEN {SFT} --push_to_hub --hub_model_id alice/x"
    assert [f.code for f in analyze_shell(line)] == ["HS304"]
    assert analyze_shell(f"{line}  # hubsave: ignore[HS304]") == []
    assert analyze_shell(f"# hubsave: ignore\n{line}") == []
    assert analyze_shell(line, Settings(ignore=frozenset({"HS3"}))) == []
    found = analyze_shell(line, Settings(severity={"HS304": Severity.HINT}))
    assert [f.severity for f in found] == [Severity.HINT]


def test_a_token_is_never_echoed():
    token = "hf_FakeTokenForTests0123456789abcdef"
    for finding in analyze_shell(f"hf jobs uv run --secrets HF_TOKEN={token} -e HF_TOKEN={token} x.py"):
        assert token not in finding.message


def test_scripts_run_by_command_lines(tmp_path):
    from hubsave.analysis.command_lines import scripts_run_by_commands
    from hubsave.analysis.workspace import normalize_path

    launcher = tmp_path / "launch.sh"
    text = "hf jobs uv run --secrets HF_TOKEN scripts/train.py --lr 1\nhf jobs run python:3.12 python other.py\n"
    found = scripts_run_by_commands(text, str(launcher), str(tmp_path / "root"))
    assert found == {
        normalize_path(str(tmp_path / "scripts" / "train.py")),
        normalize_path(str(tmp_path / "root" / "scripts" / "train.py")),
    }


def test_makefile_recipe_and_workflow_step_values_are_unknown():
    recipe = (
        "train:\n"
        f"\t@hf jobs uv run --flavor $(FLAVOR) --secrets HF_TOKEN --timeout $(TIMEOUT) {SFT} \\\n"
        "\t\t--output_dir $(OUT) --push_to_hub --hub_model_id $$HUB_USER/sft\n"
        f"legacy:\n\t-huggingface-cli jobs uv run --secrets HF_TOKEN --timeout 2h {SFT} --push_to_hub --hub_model_id a/b\n"
    )
    found = analyze_shell(recipe)
    assert [(f.code, f.span.start_line) for f in found] == [("HS314", 4)]
    assert apply_fix(recipe, found[0].fix).splitlines()[4].startswith("\t-hf jobs uv run")
    step = f"hf jobs uv run -e HF_TOKEN=${{{{ secrets.HF_TOKEN }}}} --timeout 2h {SFT} --push_to_hub --hub_model_id a/b"
    assert [f.code for f in analyze_shell(step)] == ["HS303"]


@pytest.mark.parametrize("kind, scheduled", [("uv", False), ("run", False), ("uv", True), ("run", True)])
def test_option_tables_are_the_real_commands(kind, scheduled):
    """Every option (and whether it takes a value) as huggingface_hub 2.4's command declares it."""
    from huggingface_hub.cli import jobs

    from hubsave.analysis.job_argv import jobs_options, short_options

    group = jobs.jobs_cli.commands["scheduled"] if scheduled else jobs.jobs_cli
    command = (group.commands["uv"].commands["run"]) if kind == "uv" else group.commands["run"]
    real, real_short = {"--help": False}, {}  # click adds --help itself
    for param in command.params:
        if param.param_type_name != "option":
            continue
        for name in [*param.opts, *param.secondary_opts]:
            if name.startswith("--"):
                real[name] = not param.is_flag
        for short in (o for o in param.opts if not o.startswith("--")):
            real_short[short] = next(o for o in param.opts if o.startswith("--"))
    assert jobs_options(kind, scheduled) == real
    assert short_options(kind, scheduled) == real_short


def test_guide_placeholders_are_unknown_words_not_redirections():
    (words,) = commands("hf jobs uv run -v hf://buckets/<your-username>/ckpt:/mnt x.py && hf jobs logs <job_id>")[:1]
    assert [w.value for w in words][-2:] == [f"hf://buckets/{UNKNOWN_PART}/ckpt:/mnt", "x.py"]
    assert [w.value for w in commands("hf jobs logs <job_id> > out.txt")[0]] == ["hf", "jobs", "logs", UNKNOWN_PART]


def test_crlf_continuations():
    text = "hf jobs uv run \\\r\n  --flavor a10g-large \\\r\n  x.py\r\necho done\r\n"
    assert _values(text) == [["hf", "jobs", "uv", "run", "--flavor", "a10g-large", "x.py"], ["echo", "done"]]
    lines = f"hf jobs uv run --secrets HF_TOKEN \\\r\n  --timeout 2h \\\r\n  {SFT} \\\r\n  --output_dir out\r\n"
    assert [f.code for f in analyze_shell(lines)] == ["HS111"]  # the jobs line found from any of its lines
