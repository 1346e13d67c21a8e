"""Which keywords a trainer config class accepts (HS109), from two sources.

1. The user's environment: `hubsave.envsig` asks jedi for the signature of the
   class as installed for `Settings.python`. The analysis never waits for jedi and
   never starts it: it reads only answers already cached, and returns PENDING for
   the others, listing them as SignatureRequests so the caller can look them up
   off the keystroke path and analyze again (the language server republishes,
   the CLI waits a few seconds).
2. The schema bundled with hubsave (`config_schema`), when the environment has no
   answer (the class is not installed there, or environment signatures are off).

Importing this module imports neither jedi nor the schema data.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, NamedTuple

from .. import envsig
from . import config_schema
from .settings import Settings


class SignatureRequest(NamedTuple):
    qualname: str  # "trl.SFTConfig", as the script imports it
    python: str | None  # interpreter (None: the one running hubsave)


@dataclass(frozen=True)
class Accepted:
    keywords: frozenset[str]
    where: str  # for messages: "the installed trl", "trl 1.16.0"
    schema: config_schema.ClassSchema | None  # the bundled entry, for known renames
    bundled: bool  # from the bundled schema, not the user's environment


class _Pending:
    def __repr__(self) -> str:
        return "PENDING"


PENDING = _Pending()


def wait_for(requests: Iterable[SignatureRequest], settings: Settings, timeout: float) -> Settings:
    """For callers that can wait (the CLI): look the requests up, at most `timeout`
    seconds each, and return the settings to analyze again with (environment
    signatures off when jedi is still busy: the bundled schema answers)."""
    pending = False
    for request in requests:
        envsig.accepted_keywords(request.qualname, request.python, timeout=timeout)
        pending = pending or not envsig.peek(request.qualname, request.python)[0]
    return replace(settings, environment_signatures=False) if pending else settings


def bundled_class(qualname: str, short: str) -> config_schema.ClassSchema | None:
    return config_schema.resolve_class(qualname) or config_schema.resolve_class(short)


def accepted(qualname: str, short: str, settings: Settings) -> Accepted | _Pending | None:
    """The keywords `qualname`'s __init__ accepts, PENDING while the environment's answer
    is not cached, None when neither source knows (or the class takes **kwargs)."""
    schema = bundled_class(qualname, short)
    if settings.environment_signatures:
        done, keywords = envsig.peek(qualname, settings.python)
        if not done:
            return PENDING
        if keywords is not None:
            return Accepted(keywords, f"the installed {qualname.split('.')[0]}", schema, bundled=False)
    if schema is None or schema.keywords is None:
        return None
    return Accepted(schema.keywords, f"{schema.package} {schema.version}", schema, bundled=True)
