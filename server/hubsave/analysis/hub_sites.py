"""Where a script names a Hub repo: push targets, and the models and datasets it loads.

Pure: the language server asks which repo id is under the cursor (hover, completion),
and which ids a document names (live diagnostics HS701/HS702, inlay hints). Built on
Facts (configs) plus one walk over the relevant calls; small on purpose: once
`Facts.repo_ids` (RepoIdSite, HS2xx) is in, `_call_sites` gives way to it and only the
derived-repo sites and the position lookup stay here.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Literal

from .document import Document
from .facts import Facts, relevance_words
from .findings import Span
from .rules.trainer_config import derived_repo_name
from .symbols import callee_name
from .nodes import walk

SiteKind = Literal["push", "model", "dataset", "space", "derived"]
Check = Literal["push", "read"]

# `name` or `namespace/name` (FACTS.md, validate_repo_id); "./out" and "/data/x" are paths.
_REPO_ID = re.compile(r"^(?![.-])[A-Za-z0-9_.-]{1,96}(?:/(?![.-])[A-Za-z0-9_.-]{1,96})?$")
# Calls that write to the repo their `repo_id` names; `repo_id=` of any other call counts too.
_WRITE_CALLS = frozenset({"create_repo", "upload_folder", "upload_file", "upload_large_folder", "create_commit",
                          "create_branch", "create_tag"})
# Calls that only read the repo they name, and the repo type each implies.
_READ_CALLS = {"hf_hub_download": "model", "snapshot_download": "model", "repo_info": "model",
               "model_info": "model", "dataset_info": "dataset", "space_info": "space",
               "list_repo_files": "model"}
_POSITIONAL_REPO = frozenset({"create_repo", "push_to_hub", *_READ_CALLS})


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
    config_calls = set()
    for config in facts.configs:
        config_calls.add(id(config.call))
        call_span = doc.span(config.call)
        target = config.args.get("hub_model_id")
        if target is not None:
            _add(sites, doc, target.value_node, "push", "model", "hub_model_id", call_span)
            continue
        name = derived_repo_name(config)
        if config.open or config.value("push_to_hub") is not True or name is None or not is_repo_id(name):
            continue
        anchors = [doc.span(config.call.func)]
        if "output_dir" in config.args:
            anchors.append(doc.span(config.args["output_dir"].value_node))
        for span in anchors:
            sites.append(RepoSite("derived", name, "model", span, config.config, call_span))
    # The statements that can name a repo (the live rules' triggers are among the words).
    for node in walk(doc.relevant_module(relevance_words())):
        if isinstance(node, ast.Call) and id(node) not in config_calls:
            _call_sites(sites, doc, node)
    sites.sort(key=lambda s: (s.span.start_line, s.span.start_col))
    doc.cache["repo_sites"] = sites
    return sites


def site_at(sites: list[RepoSite], line: int, col: int) -> RepoSite | None:
    for site in sites:
        span = site.span
        if (span.start_line, span.start_col) <= (line, col) <= (span.end_line, span.end_col):
            return site
    return None


def _call_sites(sites: list[RepoSite], doc: Document, call: ast.Call) -> None:
    name = callee_name(call)
    if name is None:
        return
    keywords = {kw.arg: kw.value for kw in call.keywords if kw.arg}
    positional = call.args[0] if call.args else None
    call_span = doc.span(call)

    def add(node: ast.expr | None, kind: SiteKind, repo_type: str) -> None:
        _add(sites, doc, node, kind, repo_type, name, call_span)

    if name == "from_pretrained":
        add(keywords.get("pretrained_model_name_or_path", positional), "model", "model")
    elif name == "load_dataset":
        add(keywords.get("path", positional), "dataset", "dataset")
    elif name == "pipeline" or name.endswith("Trainer"):
        add(keywords.get("model"), "model", "model")
    else:
        repo_type = _literal_str(keywords.get("repo_type")) or _READ_CALLS.get(name, "model")
        node = keywords.get("repo_id", positional if name in _POSITIONAL_REPO else None)
        if name == "push_to_hub":
            if not isinstance(call.func, ast.Attribute) or _looks_like_trainer(call.func.value):
                return  # Trainer.push_to_hub's first argument is the commit message
            repo_type = "dataset" if _looks_like_dataset(call.func.value) else "model"
        if name in _READ_CALLS:
            add(node, "space" if repo_type == "space" else ("dataset" if repo_type == "dataset" else "model"), repo_type)
        elif name in _WRITE_CALLS or name == "push_to_hub" or "repo_id" in keywords:
            add(node, "push", repo_type)


def _add(sites: list[RepoSite], doc: Document, node: ast.expr | None, kind: SiteKind, repo_type: str,
         call: str, call_span: Span) -> None:
    value = _literal_str(node)
    if value is not None and node is not None and repo_type in ("model", "dataset", "space"):
        sites.append(RepoSite(kind, value, repo_type, doc.span(node), call, call_span))


def _literal_str(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _receiver_name(receiver: ast.expr) -> str:
    if isinstance(receiver, ast.Name):
        return receiver.id.lower()
    return receiver.attr.lower() if isinstance(receiver, ast.Attribute) else ""


def _looks_like_dataset(receiver: ast.expr) -> bool:
    name = _receiver_name(receiver)
    return "dataset" in name or name in ("ds", "dset")


def _looks_like_trainer(receiver: ast.expr) -> bool:
    return "trainer" in _receiver_name(receiver)
