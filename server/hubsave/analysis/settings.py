"""Analysis settings: which rules run, at what severity, and what the rules may assume.

Pure data. Reading `pyproject.toml` and editor settings into it is `hubsave.config`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping, Protocol

from .findings import Severity

if TYPE_CHECKING:
    from .workspace import SourceReader

# Namespaces people copy from docs and never replace (HS204).
DEFAULT_PLACEHOLDER_NAMESPACES = frozenset(
    {
        "username",
        "user",
        "myusername",
        "my-username",
        "my_username",
        "your-username",
        "your_username",
        "yourusername",
        "<username>",
        "<user>",
        "your-name",
        "your_name",
        "yourname",
        "your-org",
        "your_org",
        "your-organization",
        "my-org",
        "myorg",
        "<org>",
        "<your-username>",
        "hf-username",
        "hf_username",
        "your-hf-username",
        "your_hf_username",
        "namespace",
        "<namespace>",
        "your-namespace",
        "your-account",
        "your_account",
        "your-hf-account",
        "your_hf_account",
    }
)


class HubVerdict(Protocol):
    """What the Hub said about one repo id (hubsave.hub's PushVerdict / ReferenceVerdict)."""

    outcome: str  # push: create | push | forbidden | unknown; read: ok | gated | no_access | missing | unknown
    message: str


@dataclass(frozen=True)
class Settings:
    select: frozenset[str] = frozenset()  # codes or prefixes; empty selects every default rule
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    placeholder_namespaces: frozenset[str] = DEFAULT_PLACEHOLDER_NAMESPACES
    ephemeral: bool = False  # every script is a job script (HS101/HS102 are errors)
    namespace: str | None = None  # the Hub login's namespace, when known: fixes use it
    job_scripts: frozenset[str] = frozenset()  # paths that job submissions in the workspace run
    # HS109: the interpreter whose installed trl / transformers define the configs
    # (None: the one running hubsave), and whether signatures already read from it
    # (hubsave.envsig) may be used; off, only the bundled schema counts.
    python: str | None = None
    environment_signatures: bool = False
    namespaces: tuple[str, ...] = ()  # every namespace the login may push to, its own first
    live_hub: bool = False  # run the opt-in live Hub rules (HS7xx) on the verdicts below
    # Hub verdicts gathered by the language server, keyed by RepoSite.key: the live
    # rules read them and never ask the Hub themselves.
    hub_verdicts: Mapping[tuple[str, str, str], HubVerdict] = field(default_factory=dict)
    # Requirement specs installed from outside the file: a notebook's `%pip install`
    # lines (HS109 judges a pinned trl / transformers release; see analysis.pins).
    requirements: tuple[str, ...] = ()
    # fix-all, `--fix` and the pre-commit hook also apply unsafe fixes (`--unsafe-fixes`).
    unsafe_fixes: bool = False
    # Reads other files (a job's script, a module next to a script); None: rules that
    # need another file stay silent. Not part of equality: it is a channel, not a setting.
    sources: SourceReader | None = field(default=None, compare=False)

    def enabled(self, code: str, opt_in: bool = False, live: bool = False) -> bool:
        # As in ruff: the longest matching prefix decides (select HS104 + ignore HS1
        # runs HS104); on a tie, ignore wins. No select selects every default rule.
        if self.select:
            selected = max((len(p) for p in self.select if code.startswith(p)), default=-1)
        else:
            selected = -1 if opt_in else 0
        if live and self.live_hub:
            selected = max(selected, 0)  # live Hub diagnostics select the live rules
        ignored = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return selected > ignored

    def severity_for(self, code: str, default: Severity) -> Severity:
        return self.severity.get(code, default)
