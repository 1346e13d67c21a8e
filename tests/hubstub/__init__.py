"""A local stand-in for the Hugging Face Hub API, for tests and editor e2e runs."""

from .scenario import Fault, Repo, Scenario, Scope, User, default_scenario
from .server import Request, StubHub

__all__ = ["Fault", "Repo", "Request", "Scenario", "Scope", "StubHub", "User", "default_scenario"]
