"""Where a script names a Hub repo: push targets, and the models and datasets it loads.

Pure: the language server asks which repo id is under the cursor (hover, completion),
and which ids a document names (live diagnostics HS701/HS702, inlay hints). The sites
are `Facts.repo_ids` (one call table, in repo_sites.py) with a Hub check and a repo type
each, plus the derived-repo sites of pushing configs without `hub_model_id`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Literal

from .document import Document
from .facts import Facts, derived_repo_name
from .findings import Span
from .repo_sites import PUSH_TARGET, RepoIdSite
from .symbols import callee_name

SiteKind = Literal["push", "model", "dataset", "space", "derived"]
Check = Literal["push", "read"]

# `name` or `namespace/name` (FACTS.md, validate_repo_id); "./out" and "/data/x" are paths.
_REPO_ID = re.compile(r"^(?![.-])[A-Za-z0-9_.-]{1,96}(?:/(?![.-])[A-Za-z0-9_.-]{1,96})?$")


@dataclass(frozen=True)
class RepoSite:
    kind: SiteKind  # "derived": a pushing config without hub_model_id; repo_id is the bare name
    repo_id: str  # as written (a bare name goes to the login's namespace)
    repo_type: str  # model | dataset | space
    span: Span  # the string literal; for "derived", the config's class name or output_dir
    call: str  # the callee or option, for the hover title: "hub_model_id", "from_pretrained"
    call_span: Span  # the whole call: an inlay hint goes after it

    @property
    def check(self) -> Check:
        """What the Hub is asked: may the login push there, or does the id resolve."""
        return "push" if self.kind in ("push", "derived") else "read"

    @property
    def key(self) -> tuple[Check, str, str]:
        """The key of this site's Hub verdict in ``Settings.hub_verdicts``."""
        return self.check, self.repo_type, self.repo_id


# A pasted token where an id belongs: never looked up, so it never leaves in a URL.
_TOKEN = re.compile(r"(^|/)hf_[A-Za-z0-9]{20,}$")


def is_repo_id(text: str) -> bool:
    """A well-formed id the Hub may be asked about (not a path, not a token)."""
    return (bool(_REPO_ID.match(text)) and ".." not in text and "--" not in text and not text.endswith(".git")
            and not _TOKEN.search(text))


def repo_sites(doc: Document, facts: Facts | None = None) -> list[RepoSite]:
    """Every repo id the document names as a literal, in source order (once per document)."""
    if doc.tree is None:
        return []
    cached = doc.cache.get("repo_sites")
    if cached is not None:
        return cached
    facts = facts or Facts.of(doc)
    sites: list[RepoSite] = []
    for config in facts.configs:
        if "hub_model_id" in config.args:
            continue  # its value is among facts.repo_ids
        name = derived_repo_name(config)
        if config.open or config.value("push_to_hub") is not True or name is None or not is_repo_id(name):
            continue
        anchors = [doc.span(config.call.func)]
        if "output_dir" in config.args:
            anchors.append(doc.span(config.args["output_dir"].value_node))
        call_span = doc.span(config.call)
        for span in anchors:
            sites.append(RepoSite("derived", name, "model", span, config.config, call_span))
    for found in facts.repo_ids:
        site = _site(doc, found)
        if site is not None:
            sites.append(site)
    sites.sort(key=lambda s: (s.span.start_line, s.span.start_col))
    doc.cache["repo_sites"] = sites
    return sites


def site_at(sites: list[RepoSite], line: int, col: int) -> RepoSite | None:
    return next((site for site in sites if site.span.contains(line, col)), None)


def _site(doc: Document, found: RepoIdSite) -> RepoSite | None:
    """The Hub question for one place an id is written; None when the id is not a plain literal."""
    if found.value is None or found.traced or not isinstance(found.node, ast.Constant):
        return None
    repo_type = found.repo_type
    if repo_type is None and found.origin == "push_to_hub":
        # `x.push_to_hub("org/name")`: a dataset when the receiver's name says so.
        func = found.call.func if found.call is not None else None
        repo_type = "dataset" if isinstance(func, ast.Attribute) and _looks_like_dataset(func.value) else "model"
    if repo_type not in ("model", "dataset", "space"):
        return None
    kind: SiteKind = "push" if found.kind == PUSH_TARGET else repo_type  # type: ignore[assignment]
    # The hover title: the option for a config's hub_model_id, else the callee.
    call = found.origin if found.call is None or found.origin == "hub_model_id" else callee_name(found.call) or found.origin
    span = doc.span(found.node)
    return RepoSite(kind, found.value, repo_type, span, call, doc.span(found.call) if found.call is not None else span)


def _receiver_name(receiver: ast.expr) -> str:
    if isinstance(receiver, ast.Name):
        return receiver.id.lower()
    return receiver.attr.lower() if isinstance(receiver, ast.Attribute) else ""


def _looks_like_dataset(receiver: ast.expr) -> bool:
    name = _receiver_name(receiver)
    return "dataset" in name or name in ("ds", "dset")
