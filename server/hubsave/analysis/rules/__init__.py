"""Every rule family registers itself on import; RULES is the complete catalog."""

from . import inline_deps, job_options, job_scripts, jobs, tokens, trainer_config  # noqa: F401  (registration)
from .registry import RULES, Rule, lookup, rule

__all__ = ["RULES", "Rule", "lookup", "rule"]
