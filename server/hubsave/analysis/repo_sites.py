"""Where a script names a Hub repo: the facts behind HS2xx, Hub hover and HS702.

`Facts.repo_ids` is a list of `RepoIdSite`, one per place an id goes:

- push targets (the script creates or writes the repo): a trainer config's
  `hub_model_id`, the first argument (or `repo_id=`) of `x.push_to_hub(...)` on
  anything but a trainer, `create_repo(...)`, `upload_folder(repo_id=...)`,
  `create_commit(...)`, ... (module functions and `HfApi` methods);
- load references (the script reads it): `X.from_pretrained("org/name")`,
  `load_dataset("org/name")`, a trainer's `model="org/name"` (also `ref_model`,
  `teacher_model`, `reward_model`), `pipeline(model=...)`, `hf_hub_download(...)`,
  `snapshot_download(...)`, `model_info(...)`, ...

An argument counts when it is a string literal, an f-string, or a variable bound to
one of those earlier in the same scope (one step: `repo = "alice/x"` then
`push_to_hub(repo)`). Anything else is unknown and gives no site.

Loaders also take local paths (`from_pretrained("./out")`): their sites have
`may_be_path=True`; `repo_id.clearly_an_id(site.value)` tells which are ids.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable

from .repo_id import has_space
from .symbols import Symbols

PUSH_TARGET = "push_target"
LOAD_REFERENCE = "load_reference"


@dataclass(frozen=True)
class RepoIdSite:
    """One place the script names a Hub repo.

    node: the expression that spells the id (a string literal or an f-string). For
        a variable bound to a literal in the same scope this is that literal, where
        a fix edits it; `use` is then the variable at the call.
    value: the id, or None when only partly literal (an f-string).
    prefix: the literal text before the first placeholder (the whole value for a
        plain string): `"your-username/"` for `f"your-username/{name}"`.
    kind: PUSH_TARGET or LOAD_REFERENCE.
    origin: where it goes: `hub_model_id`, `push_to_hub`, `create_repo`,
        `upload_folder`, ..., `from_pretrained`, `load_dataset`, `model` (a
        trainer's), `pipeline`, `hf_hub_download`, ...
    repo_type: "model", "dataset" or "space"; None when the script does not say
        (`push_to_hub` on an unknown object, a `repo_type=` that is not a literal).
    use: the expression written at the call or keyword (`node` unless traced).
    call: the call the id is passed to; None for a config value set by attribute
        (`args.hub_model_id = ...`) or through `**{...}`.
    may_be_path: the argument also accepts a local path (loaders).
    """

    node: ast.expr
    value: str | None
    prefix: str
    kind: str
    origin: str
    repo_type: str | None
    use: ast.expr
    call: ast.Call | None = None
    may_be_path: bool = False

    @property
    def namespace(self) -> str | None:
        """The literal namespace (`alice` of `alice/x`, also of `f"alice/{name}"`), or None."""
        text = self.value if self.value is not None else self.prefix
        if "/" not in text:
            return None
        return text.split("/", 1)[0]

    @property
    def traced(self) -> bool:
        return self.node is not self.use


# huggingface_hub function -> (kind, index of a positional repo id or None, keyword naming it).
# Their repo type is "model" unless `repo_type=` says otherwise.
_HUB_CALLS: dict[str, tuple[str, int | None, str]] = {
    "create_repo": (PUSH_TARGET, 0, "repo_id"),
    "create_commit": (PUSH_TARGET, 0, "repo_id"),
    "create_branch": (PUSH_TARGET, 0, "repo_id"),
    "create_tag": (PUSH_TARGET, 0, "repo_id"),
    "upload_folder": (PUSH_TARGET, None, "repo_id"),
    "upload_file": (PUSH_TARGET, None, "repo_id"),
    "upload_large_folder": (PUSH_TARGET, None, "repo_id"),
    "delete_file": (PUSH_TARGET, None, "repo_id"),
    "delete_folder": (PUSH_TARGET, None, "repo_id"),
    "update_repo_settings": (PUSH_TARGET, 0, "repo_id"),
    "hf_hub_download": (LOAD_REFERENCE, 0, "repo_id"),
    "snapshot_download": (LOAD_REFERENCE, 0, "repo_id"),
    "repo_info": (LOAD_REFERENCE, 0, "repo_id"),
    "model_info": (LOAD_REFERENCE, 0, "repo_id"),
    "dataset_info": (LOAD_REFERENCE, 0, "repo_id"),
    "space_info": (LOAD_REFERENCE, 0, "repo_id"),
    "repo_exists": (LOAD_REFERENCE, 0, "repo_id"),
    "file_exists": (LOAD_REFERENCE, 0, "repo_id"),
    "list_repo_files": (LOAD_REFERENCE, 0, "repo_id"),
}
# Substrings without which a file names no repo (the rules' trigger pre-filter).
PUSH_TRIGGERS = ("hub_model_id", "push_to_hub", "repo_id", *(n for n, spec in _HUB_CALLS.items() if spec[0] == PUSH_TARGET))
ALL_TRIGGERS = (*PUSH_TRIGGERS, "from_pretrained", "load_dataset", "Trainer", "pipeline", *_HUB_CALLS)
_TYPED_INFO = {"model_info": "model", "dataset_info": "dataset", "space_info": "space"}
# A trainer's arguments that name a model to load.
_TRAINER_MODEL_KEYWORDS = ("model", "ref_model", "teacher_model", "reward_model")

Resolve = Callable[[ast.expr], "tuple[ast.expr, str | None, str] | None"]


def sites_of_call(
    call: ast.Call, name: str, symbols: Symbols, resolve: Resolve, is_trainer: Callable[[ast.expr], bool]
) -> list[RepoIdSite]:
    """The repo ids one call names. `resolve` turns an argument into (literal node,
    value, prefix), following a variable one step, or None when not literal."""
    found: list[RepoIdSite] = []

    def add(
        expr: ast.expr | None,
        kind: str,
        origin: str,
        repo_type: str | None,
        may_be_path: bool = False,
        sentence_is_message: bool = False,
    ) -> None:
        if expr is None:
            return
        resolved = resolve(expr)
        if resolved is None:
            return
        node, value, prefix = resolved
        if sentence_is_message and has_space(prefix.strip()):
            return  # `runner.push_to_hub("End of training")`: a trainer we did not recognise
        found.append(RepoIdSite(node, value, prefix, kind, origin, repo_type, expr, call, may_be_path))

    method = isinstance(call.func, ast.Attribute)
    if name == "push_to_hub" and method:
        # `trainer.push_to_hub("End of training")`: a trainer's first argument is a commit message.
        receiver = call.func.value  # type: ignore[attr-defined]
        keyword = _keyword(call, "repo_id")
        if keyword is not None:
            add(keyword, PUSH_TARGET, "push_to_hub", None)
        elif not is_trainer(receiver):
            add(_positional(call, 0), PUSH_TARGET, "push_to_hub", None, sentence_is_message=True)
    elif name == "from_pretrained" and method:
        add(_keyword(call, "pretrained_model_name_or_path") or _positional(call, 0), LOAD_REFERENCE, name, "model", True)
    elif name == "load_dataset" and _from_package(call, symbols, "datasets"):
        add(_keyword(call, "path") or _positional(call, 0), LOAD_REFERENCE, name, "dataset", True)
    elif name == "pipeline" and _from_package(call, symbols, "transformers"):
        add(_keyword(call, "model"), LOAD_REFERENCE, name, "model", True)
    elif name.endswith("Trainer") and name[:1].isupper():
        for keyword in _TRAINER_MODEL_KEYWORDS:
            add(_keyword(call, keyword), LOAD_REFERENCE, keyword, "model", True)
    elif name in _HUB_CALLS and (method or _from_package(call, symbols, "huggingface_hub")):
        kind, index, keyword = _HUB_CALLS[name]
        expr = _keyword(call, keyword) or (_positional(call, index) if index is not None else None)
        add(expr, kind, name, _TYPED_INFO.get(name) or _repo_type(call))
    return found


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def _positional(call: ast.Call, index: int) -> ast.expr | None:
    args = call.args[: index + 1]
    if len(args) <= index or any(isinstance(a, ast.Starred) for a in args):
        return None
    return call.args[index]


def _repo_type(call: ast.Call) -> str | None:
    given = _keyword(call, "repo_type")
    if given is None:
        return "model"  # huggingface_hub's default
    if isinstance(given, ast.Constant) and given.value is None:
        return "model"
    if isinstance(given, ast.Constant) and given.value in ("model", "dataset", "space"):
        return given.value
    return None


def _from_package(call: ast.Call, symbols: Symbols, package: str) -> bool:
    """`load_dataset(...)` imported from `datasets` (or an unimported name in a snippet or notebook)."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return symbols.imported_from(func.value, package)
    if not isinstance(func, ast.Name):
        return False
    if func.id in symbols.aliases:
        return symbols.aliases[func.id].split(".")[0] == package
    return func.id not in symbols.defined
