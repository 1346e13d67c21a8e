"""The one place hubsave talks to the Hugging Face Hub (through huggingface_hub).

Plain data out, no LSP types, never a token. Importing this package does not import
huggingface_hub; the first Hub call does.
"""

from .facts import HubProblem, Login, LoginState, OrgRole, RepoFacts, TokenScope
from .service import HubService
from .verdict import (
    PushVerdict,
    ReferenceVerdict,
    derived_repo_id,
    derived_repo_name,
    describe,
    push_verdict,
    reference_verdict,
    resolve_repo_id,
)

__all__ = [
    "HubProblem", "HubService", "Login", "LoginState", "OrgRole", "PushVerdict", "ReferenceVerdict",
    "RepoFacts", "TokenScope", "derived_repo_id", "derived_repo_name", "describe", "push_verdict",
    "reference_verdict", "resolve_repo_id",
]
