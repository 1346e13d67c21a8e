"""Argument vectors to job facts: the one place an argv is read, whatever wrote it.

An argv is a list of `Word`s: shell words (`shell_words.commands`), the elements of
a Python list literal (`script_args=[...]`, `command=[...]`), or an MCP dict's
`script_args` / `command`. From it come:

- `parse_hf_jobs`: an `hf jobs [scheduled] uv run|run ...` command line, parsed as
  huggingface_hub 2.4's click command parses it (`cli/jobs.py`): options may come
  anywhere before `--` (click parses interspersed options, so an option written
  after the script is still a Jobs option), an unknown option is taken as a
  positional (`ignore_unknown_options`), the first positional is the script or image.
- `program_of`: what a job's command runs (a TRL script or CLI command, a local
  script) and the arguments it hands that program.
- `ScriptArgs`: those arguments as `HfArgumentParser` reads them.

Unknown words (`$VAR`, `"$@"`, a starred element) make what they could change unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .findings import Span
from .shell_words import UNKNOWN_PART, Word

# huggingface_hub 2.4.0 `hf jobs uv run` / `run` / `scheduled ...` options: name -> takes a value.
_COMMON_OPTIONS = {
    "--env": True, "--secrets": True, "--name": True, "--label": True, "--volume": True,
    "--env-file": True, "--secrets-file": True, "--flavor": True, "--timeout": True, "--attempts": True,
    "--dry-run": False, "--expose": True, "--expose-public": True, "--resource-group-id": True,
    "--namespace": True, "--token": True, "--format": True, "--json": False, "--quiet": False, "--help": False,
}  # fmt: skip
_SHORT = {"-e": "--env", "-s": "--secrets", "-l": "--label", "-v": "--volume", "-d": "--detach",
          "-q": "--quiet", "-p": "--python"}  # fmt: skip
_NOT_SCHEDULED = {"--detach": False, "--ssh": False, "--network-group": True, "--network-alias": True}
_UV_ONLY = {"--image": True, "--with": True, "--python": True}
_SCHEDULED_ONLY = {"--suspend": False, "--no-suspend": False, "--concurrency": False, "--no-concurrency": False}


def jobs_options(kind: str, scheduled: bool) -> dict[str, bool]:
    """The options of `hf jobs [scheduled] uv run` (kind "uv") or `... run` (kind "run")."""
    options = dict(_COMMON_OPTIONS)
    if kind == "uv":
        options.update(_UV_ONLY)
    options.update(_SCHEDULED_ONLY if scheduled else _NOT_SCHEDULED)
    return options


def short_options(kind: str, scheduled: bool) -> dict[str, str]:
    options = jobs_options(kind, scheduled)
    return {short: long for short, long in _SHORT.items() if long in options}


@dataclass
class OptionUse:
    """One Jobs option as written: `--flavor a10g-large`, `--flavor=x`, `-sHF_TOKEN`."""

    name: str  # the long name: "--secrets"
    words: list[Word]  # the word(s) it occupies
    value: str | None  # None: a flag, or a value that is missing
    value_span: Span | None = None

    @property
    def span(self) -> Span:
        first, last = self.words[0].span, self.words[-1].span
        return Span(first.start_line, first.start_col, last.end_line, last.end_col)

    @property
    def known(self) -> bool:
        return self.value is None or UNKNOWN_PART not in self.value


@dataclass
class CliJob:
    """An `hf jobs` command line that starts or schedules a job."""

    words: list[Word]  # from `hf` (or `huggingface-cli`) to the end of the command
    kind: str  # "uv" | "run"
    scheduled: bool
    options: list[OptionUse] = field(default_factory=list)
    unknown_options: list[Word] = field(default_factory=list)  # taken as positionals by click
    target: Word | None = None  # the script (uv) or image (run)
    rest: list[Word] = field(default_factory=list)  # script arguments or the command
    # A word before `--` that may expand to several arguments: which word is the
    # script and which Jobs options are given is unknown.
    open: bool = False
    dashdash: Word | None = None

    @property
    def program(self) -> str:
        return "hf jobs " + ("scheduled " if self.scheduled else "") + ("uv run" if self.kind == "uv" else "run")

    def given(self, name: str) -> list[OptionUse]:
        return [o for o in self.options if o.name == name]


_HF = ("hf", "huggingface-cli")


def find_jobs(words: list[Word]) -> tuple[Word, CliJob] | None:
    """The `hf jobs ... run` in one simple command (after `$ `, env assignments,
    `sudo`, `uvx`, `time`...), with the word naming the program."""
    for index, word in enumerate(words):
        name = word.value.lstrip("@-+")  # a Makefile recipe's `@hf ...`, `-hf ...`
        if name not in _HF and not name.endswith(("/hf", "/huggingface-cli")):
            continue
        tail = words[index + 1 :]
        values = [w.value for w in tail[:4]]
        if values[:1] != ["jobs"]:
            continue
        scheduled = values[1:2] == ["scheduled"]
        rest = values[2:] if scheduled else values[1:]
        if rest[:2] == ["uv", "run"]:
            kind, skip = "uv", 3 + scheduled
        elif rest[:1] == ["run"]:
            kind, skip = "run", 2 + scheduled
        else:
            return None  # `hf jobs ps`, `logs`, ...: starts nothing
        job = parse_hf_jobs(words[index:], kind, scheduled, skip + 1)
        return word, job
    return None


def parse_hf_jobs(words: list[Word], kind: str, scheduled: bool, start: int) -> CliJob:
    """Parse `words[start:]` as click does for the command (see the module doc)."""
    job = CliJob(words, kind, scheduled)
    options = jobs_options(kind, scheduled)
    shorts = short_options(kind, scheduled)
    positionals: list[Word] = []
    i = start
    while i < len(words):
        word = words[i]
        value = word.value
        if word.splat:
            # Before `--`, click takes options anywhere: it may hold Jobs options (or be the script).
            job.open = True
            positionals.append(word)
            i += 1
            continue
        if value == "--" and job.dashdash is None:
            job.dashdash = word
            positionals.extend(words[i + 1 :])
            break
        used = _option(words, i, options, shorts)
        if used is not None:
            job.options.append(used)
            i += len(used.words)
            continue
        if value.startswith("-") and len(value) > 1 and UNKNOWN_PART not in value.split("=", 1)[0]:
            job.unknown_options.append(word)
        positionals.append(word)
        i += 1
    if scheduled and positionals:
        positionals = positionals[1:]  # the schedule
    if positionals:
        job.target, job.rest = positionals[0], positionals[1:]
    return job


def _option(words: list[Word], i: int, options: dict[str, bool], shorts: dict[str, str]) -> OptionUse | None:
    word = words[i]
    value = word.value
    if value.startswith("--"):
        name, eq, attached = value.partition("=")
        if name not in options:
            return None
        if not options[name]:
            return OptionUse(name, [word], None)
        if eq:
            return OptionUse(name, [word], attached, word.span)
        if i + 1 < len(words):
            following = words[i + 1]
            return OptionUse(name, [word, following], following.value, following.span)
        return OptionUse(name, [word], None)
    if value.startswith("-") and len(value) >= 2 and value[:2] in shorts:
        name = shorts[value[:2]]
        if not options[name]:
            # `-dq`: flags cluster; a cluster with an unknown letter is not ours.
            if all(f"-{c}" in shorts and not options[shorts[f"-{c}"]] for c in value[1:]):
                return OptionUse(name, [word], None)
            return None
        if len(value) > 2:
            return OptionUse(name, [word], value[2:], word.span)
        if i + 1 < len(words):
            following = words[i + 1]
            return OptionUse(name, [word, following], following.value, following.span)
        return OptionUse(name, [word], None)
    return None


# -- what a job's command runs -------------------------------------------

TRL_COMMANDS = ("sft", "dpo", "grpo", "kto", "reward", "rloo", "distillation")
# The script in TRL's repository (or a fork) at any ref: `.../trl/main/trl/scripts/sft.py`,
# `.../trl/refs/heads/main/...`, `github.com/.../trl/raw/v1.16.0/...`.
_TRL_URL = re.compile(r"^https?://\S*/trl/\S*?/?trl/scripts/(\w+)\.py(?:\?\S*)?$")
_TRL_MODULE = re.compile(r"^trl\.scripts\.(\w+)$")
_TRL_CHECKOUT = re.compile(r"^(?:\./)?(?:[^\s:]*/)?trl/scripts/(\w+)\.py$")  # a local clone of trl


@dataclass
class Program:
    """The program a job runs and the arguments it gets."""

    trl: str | None  # "sft", "dpo", ...: a TRL script or `trl` CLI command
    local: str | None  # a local script path (relative to where it is run)
    word: Word | None  # the word naming it
    args: list[Word]
    open: bool  # an unknown word may add arguments

    @property
    def name(self) -> str:
        if self.trl:
            return f"TRL's {self.trl} script"
        return self.local or "the script"


def trl_script_of(value: str) -> str | None:
    """`sft` for a TRL script URL or module name."""
    for pattern in (_TRL_URL, _TRL_MODULE, _TRL_CHECKOUT):
        match = pattern.match(value.strip())
        if match and match.group(1) in TRL_COMMANDS:
            return match.group(1)
    return None


def program_of_script(script: Word | None, args: list[Word]) -> Program | None:
    """A uv job's script (a URL or a local file) with its arguments."""
    if script is None or not script.known:
        return None
    open_ = any(w.splat for w in args)
    trl = trl_script_of(script.value)
    if trl is not None:
        return Program(trl, None, script, args, open_)
    value = script.value.strip()
    if value.endswith(".py") and "://" not in value and "\n" not in value:
        return Program(None, value, script, args, open_)
    return None


def program_of_command(command: list[Word]) -> Program | None:
    """What a container command runs: `trl sft ...`, `python -m trl.scripts.sft ...`,
    `accelerate launch [opts] -m trl.scripts.sft ...`, `python train.py ...`, `uv run x.py ...`."""
    words = list(command)
    if not words or not words[0].known:
        return None
    head = words[0].value.rsplit("/", 1)[-1]
    if head == "trl" and len(words) > 1 and words[1].value in TRL_COMMANDS:
        return Program(words[1].value, None, words[1], words[2:], any(w.splat for w in words[2:]))
    if head in ("python", "python3") or re.match(r"^python3\.\d+$", head):
        return _python_program(words[1:], python_options=("-u", "-B", "-O", "-OO"))
    if head == "uv" and len(words) > 1 and words[1].value == "run":
        rest = words[2:]
        while rest and rest[0].value.startswith("-") and rest[0].value != "-m":
            skip = 2 if rest[0].value in ("--with", "--python", "-p", "--project", "--directory") else 1
            rest = rest[skip:]
        return _python_program(rest, python_options=())
    if head == "accelerate" and len(words) > 1 and words[1].value == "launch":
        rest = words[2:]
        while rest and rest[0].value.startswith("-") and rest[0].value not in ("-m", "--module"):
            if "=" in rest[0].value or rest[0].value in _ACCELERATE_FLAGS:
                rest = rest[1:]
            else:
                rest = rest[2:]
        if rest and rest[0].value in ("-m", "--module"):
            return _python_program([Word("-m", rest[0].span), *rest[1:]], python_options=())
        return _python_program(rest, python_options=())
    if head in ("torchrun",):
        rest = words[1:]
        while rest and rest[0].value.startswith("-") and rest[0].value != "-m":
            rest = rest[1:] if "=" in rest[0].value else rest[2:]
        return _python_program(rest, python_options=())
    return None


_ACCELERATE_FLAGS = frozenset({"--multi_gpu", "--cpu", "--use_deepspeed", "--use_fsdp", "-q", "--quiet", "--debug", "--no_python"})


def _python_program(words: list[Word], python_options: tuple[str, ...]) -> Program | None:
    while words and words[0].value in python_options:
        words = words[1:]
    if not words or not words[0].known:
        return None
    first = words[0]
    if first.value == "-m" and len(words) > 1:
        trl = trl_script_of(words[1].value)
        if trl is None:
            return None
        return Program(trl, None, words[1], words[2:], any(w.splat for w in words[2:]))
    if first.value.startswith("-"):
        return None
    return program_of_script(first, words[1:])


# -- volumes: what outlives the job -------------------------------------


@dataclass(frozen=True)
class Volume:
    mount: str  # the path in the container
    writable: bool


def volume_of_spec(spec: str) -> Volume | None:
    """`hf://buckets/org/b[/path]:/mnt[:ro|:rw]` or `./dir:/mnt[:rw]`, as the CLI reads it:
    buckets are writable unless `:ro`, repos always read-only, a local folder read-only
    unless `:rw` (it is synced to a bucket)."""
    spec = spec.strip()
    read_only: bool | None = None
    if spec.endswith(":ro"):
        read_only, spec = True, spec[:-3]
    elif spec.endswith(":rw"):
        read_only, spec = False, spec[:-3]
    cut = spec.rfind(":/")
    if cut < 0:
        return None
    source, mount = spec[:cut], spec[cut + 1 :]
    if source.startswith("hf://"):
        writable = source.startswith("hf://buckets/") and read_only is not True
    else:
        writable = read_only is False
    return Volume(mount.rstrip("/") or "/", writable)


def survives(output_dir: str | None, volumes: list[Volume]) -> bool:
    """Whether what the script writes to `output_dir` outlives the container."""
    writable = [v for v in volumes if v.writable]
    if not writable:
        return False
    if output_dir is None or UNKNOWN_PART in output_dir:
        return True  # unknown: it may be under the mount
    path = output_dir.rstrip("/")
    return any(path == v.mount or path.startswith(v.mount.rstrip("/") + "/") for v in writable)



# -- script arguments as HfArgumentParser reads them ---------------------

_TRUE = frozenset({"yes", "true", "t", "y", "1"})
_FALSE = frozenset({"no", "false", "f", "n", "0"})


@dataclass
class ScriptArg:
    name: str  # the field name: `--push-to-hub` reads `push_to_hub`
    flag: Word
    value: Word | None  # None: `--push_to_hub` alone
    value_text: str | None
    value_span: Span | None

    @property
    def span(self) -> Span:
        end = self.value_span or self.flag.span
        return Span(self.flag.span.start_line, self.flag.span.start_col, end.end_line, end.end_col)


@dataclass
class ScriptArgs:
    args: list[ScriptArg]
    open: bool  # a word that may add or hide arguments

    @classmethod
    def parse(cls, words: list[Word], open_: bool = False) -> ScriptArgs:
        args: list[ScriptArg] = []
        i = 0
        while i < len(words):
            word = words[i]
            if word.splat:
                open_ = True
                i += 1
                continue
            value = word.value
            if not value.startswith("--") or len(value) == 2:
                i += 1
                continue
            name, eq, attached = value[2:].partition("=")
            if UNKNOWN_PART in name:
                open_ = True
                i += 1
                continue
            name = name.replace("-", "_")
            if eq:
                args.append(ScriptArg(name, word, word, attached, word.span))
                i += 1
                continue
            following = words[i + 1] if i + 1 < len(words) else None
            if following is not None and not (following.value.startswith("--") and following.known):
                if following.splat:
                    args.append(ScriptArg(name, word, following, UNKNOWN_PART, following.span))
                else:
                    args.append(ScriptArg(name, word, following, following.value, following.span))
                i += 2
                continue
            args.append(ScriptArg(name, word, None, None, None))
            i += 1
        return cls(args, open_)

    def last(self, name: str) -> ScriptArg | None:
        found = [a for a in self.args if a.name == name]
        return found[-1] if found else None

    def flag(self, name: str) -> bool | None:
        """A bool argument's value: True/False when written, None when absent or unknown."""
        arg = self.last(name)
        if arg is None:
            return None
        if arg.value_text is None:
            return True
        text = arg.value_text.strip().lower()
        return True if text in _TRUE else False if text in _FALSE else None
