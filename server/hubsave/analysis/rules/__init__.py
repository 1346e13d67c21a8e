"""Every rule family registers itself on import; RULES is the complete catalog."""

from . import (  # noqa: F401  (registration)
    command_line_jobs,
    config_arguments,
    inline_deps,
    job_options,
    job_script_args,
    job_scripts,
    jobs,
    live_hub,
    repo_ids,
    tokens,
    trainer_config,
    trainer_saving,
)
from .registry import RULES, Rule, lookup, rule

__all__ = ["RULES", "Rule", "lookup", "rule"]
