"""Every rule family registers itself on import; RULES is the complete catalog."""

from . import config_arguments, jobs, repo_ids, trainer_config, trainer_saving  # noqa: F401  (registration)
from .registry import RULES, Rule, lookup, rule

__all__ = ["RULES", "Rule", "lookup", "rule"]
