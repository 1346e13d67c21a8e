#!/usr/bin/env python3
"""Regenerate hubsave's bundled data from the current trl / transformers releases.

Writes two files under server/hubsave/data/:

- config_schema.json: every trainer config class (transformers' TrainingArguments and
  Seq2SeqTrainingArguments, every TRL config that subclasses them) with the keywords its
  ``__init__`` accepts. HS109 falls back to it when jedi cannot see the user's install.
- requirements.json: what the main ML distributions bring transitively (Requires-Dist),
  so HS501 knows that ``trl`` provides ``transformers``, ``datasets``, ``accelerate``, ...

Neither trl nor transformers is imported (both need torch). The wheels are fetched with
``pip download --no-deps`` into a temporary directory and their sources are read with
``ast``; the dependency metadata comes from ``pip install --dry-run --report`` (metadata
only, nothing is installed).

Usage (from the repo root, with network access to PyPI):

    python scripts/gen_config_schema.py                      # newest releases
    python scripts/gen_config_schema.py --trl 1.16.0 --transformers 5.24.0
    python scripts/gen_config_schema.py --wheel-dir DIR      # wheels already downloaded
    python scripts/gen_config_schema.py --skip-requirements  # only config_schema.json
    python scripts/gen_config_schema.py --verify             # and cross-check with jedi

Arguments removed since the previous major line are found by diffing against
``--previous-trl`` / ``--previous-transformers`` (defaults below); curated renames
(``RENAMES``) turn a removed argument into a "did you mean".
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "server" / "hubsave" / "data"

PREVIOUS_TRL = "0.29.1"
PREVIOUS_TRANSFORMERS = "4.57.6"

# Roots of the trainer-config hierarchy, by canonical qualified name.
TRAINING_ARGUMENTS = "transformers.training_args.TrainingArguments"
TRANSFORMERS_FILES = {
    "transformers/training_args.py": "transformers.training_args",
    "transformers/training_args_seq2seq.py": "transformers.training_args_seq2seq",
}
TRANSFORMERS_PUBLIC = {
    "TrainingArguments": TRAINING_ARGUMENTS,
    "Seq2SeqTrainingArguments": "transformers.training_args_seq2seq.Seq2SeqTrainingArguments",
}

# Old argument -> the argument that replaced it, keyed by the short class name where the
# old one lived (inherited by subclasses). Only entries whose old name is really gone and
# whose new name really exists are written out; the rest are reported and dropped.
# From the deprecation messages of the previous releases (transformers 4.57's
# training_args.py: "`no_cuda` is deprecated ... Use `use_cpu`", "`--adafactor` is
# deprecated ... Use `--optim adafactor`", ...) and the current ones' docs
# (`warmup_steps`: "a float in [0, 1) is a ratio of the total steps").
# A value conversion, where the old value does not carry over as it is:
#   {"to": new, "values": [[old literal, new literal], ...]}: only these literals convert;
#   {"to": new, "range": [low, high]}: a number in [low, high) is kept as it is.
# A rename without a conversion for the value written (a variable, another literal) is
# no certain fix: HS109 then offers it as a guess only.
RENAMES: dict[str, dict[str, str | dict]] = {
    "TrainingArguments": {
        "push_to_hub_model_id": "hub_model_id",
        "push_to_hub_organization": "hub_model_id",
        "push_to_hub_token": "hub_token",
        "evaluation_strategy": "eval_strategy",
        "per_gpu_train_batch_size": "per_device_train_batch_size",
        "per_gpu_eval_batch_size": "per_device_eval_batch_size",
        "no_cuda": "use_cpu",
        "warmup_ratio": {"to": "warmup_steps", "range": [0, 1]},
        "group_by_length": {"to": "train_sampling_strategy", "values": [[True, "group_by_length"], [False, "random"]]},
        "include_inputs_for_metrics": {"to": "include_for_metrics", "values": [[True, ["inputs"]], [False, []]]},
        "adafactor": {"to": "optim", "values": [[True, "adafactor"]]},
    },
    "SFTConfig": {
        "max_seq_length": "max_length",
    },
    "ModelConfig": {
        "torch_dtype": "dtype",
    },
}

# Removed for sure (TypeError since transformers 5.0), even if the previous release used
# for the diff is changed to one that no longer has them.
REMOVED_TRANSFORMERS_5 = ("push_to_hub_model_id", "push_to_hub_organization", "push_to_hub_token")

# Older TRL config names (RULES.md): count as configs even when the current release has
# no schema for them, so HS109 stays silent on them.
OLDER_TRL_NAMES = ("PPOConfig", "BCOConfig", "XPOConfig", "NashMDConfig", "PRMConfig", "IterativeSFTConfig")

REQUIREMENT_ROOTS = ("trl[peft]", "transformers", "datasets", "accelerate", "peft", "huggingface_hub")


# ---------------------------------------------------------------- wheel sources


def download(specs: list[str], dest: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d", str(dest), *specs],
        check=True,
    )


def find_wheel(directory: Path, dist: str, version: str | None) -> Path:
    pattern = f"{dist}-{version}-*.whl" if version else f"{dist}-*.whl"
    wheels = sorted(directory.glob(pattern), key=lambda p: _version_key(p.name.split("-")[1]))
    if not wheels:
        raise SystemExit(f"no {pattern} in {directory}")
    return wheels[-1]


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[.+-]", version))


def wheel_version(wheel: Path) -> str:
    return wheel.name.split("-")[1]


def read_sources(wheel: Path, wanted) -> dict[str, str]:
    """Map module name -> source for the .py files of the wheel that `wanted(path)` keeps.
    Packages (``__init__.py``) are keyed with a trailing ``/`` removed and listed in
    ``out["__packages__"]`` so relative imports resolve from the right level."""
    out: dict = {"__packages__": set()}
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            if name.endswith(".py") and wanted(name):
                module = name[:-3].replace("/", ".")
                if module.endswith(".__init__"):
                    module = module[: -len(".__init__")]
                    out["__packages__"].add(module)
                out[module] = zf.read(name).decode("utf-8")
    return out


# ---------------------------------------------------------------- class model


@dataclass
class ClassInfo:
    qualname: str
    module: str
    name: str
    bases: list[str]  # qualified (best effort) names of the bases
    is_dataclass: bool
    fields: dict[str, dict]  # own init fields, in order
    excluded: list[str]  # own fields with init=False (they shadow an inherited init field)
    custom_init: list[str] | None = None  # explicit __init__ keywords, "**" when it takes **kwargs
    package: str = ""
    version: str = ""
    import_paths: list[str] = field(default_factory=list)


def _is_dataclass_decorator(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    return (isinstance(target, ast.Name) and target.id == "dataclass") or (
        isinstance(target, ast.Attribute) and target.attr == "dataclass"
    )


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _literal_repr(node: ast.expr) -> str | None:
    try:
        return repr(ast.literal_eval(node))
    except (ValueError, SyntaxError, TypeError):
        return None


def _field_from(stmt: ast.AnnAssign) -> tuple[dict, bool] | None:
    """(field description, init) for one annotated class attribute; None if not a field."""
    annotation = ast.unparse(stmt.annotation)
    if annotation.startswith(("ClassVar", "typing.ClassVar")):
        return None
    if annotation.startswith(("InitVar[", "dataclasses.InitVar[")):
        annotation = annotation.partition("[")[2][:-1]  # an __init__ keyword that is not a field
    info: dict = {"type": _short(annotation)}
    init = True
    value = stmt.value
    if value is None:
        info["required"] = True
    elif isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "field":
        keywords = {k.arg: k.value for k in value.keywords if k.arg}
        if "init" in keywords and _literal_repr(keywords["init"]) == "False":
            init = False
        if "default" in keywords:
            default = _literal_repr(keywords["default"])
            if default is not None:
                info["default"] = default
        elif "default_factory" in keywords:
            info["default"] = "<factory>"
        else:
            info["required"] = True
    else:
        default = _literal_repr(value)
        if default is not None:
            info["default"] = default
    return info, init


def _init_keywords(func: ast.FunctionDef) -> list[str]:
    args = func.args
    names = [a.arg for a in (args.posonlyargs[1:] if args.posonlyargs else args.args[1:])]
    names += [a.arg for a in args.kwonlyargs]
    if args.kwarg is not None:
        names.append("**")
    return names


class ModuleIndex:
    """Top-level classes and imported names of a set of module sources."""

    def __init__(self, sources: dict):
        self.packages = set(sources["__packages__"])
        self.trees = {m: ast.parse(src) for m, src in sources.items() if m != "__packages__"}
        self.imports: dict[str, dict[str, str]] = {m: self._imports(m, t) for m, t in self.trees.items()}

    def _package_of(self, module: str) -> str:
        return module if module in self.packages else module.rpartition(".")[0]

    def _absolute(self, module: str, level: int, target: str | None) -> str:
        if level == 0:
            return target or ""
        base = self._package_of(module)
        for _ in range(level - 1):
            base = base.rpartition(".")[0]
        return f"{base}.{target}" if target else base

    def _imports(self, module: str, tree: ast.Module) -> dict[str, str]:
        """Local name -> qualified target, from `from x import y` anywhere at module level
        (also inside `if TYPE_CHECKING:` / try blocks) and lazy `_import_structure` dicts."""
        names: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = self._absolute(module, node.level, node.module)
                for alias in node.names:
                    if alias.name != "*":
                        names[alias.asname or alias.name] = f"{source}.{alias.name}"
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == "_import_structure" for t in targets) and isinstance(
                    node.value, ast.Dict
                ):
                    package = self._package_of(module)
                    for key, value in zip(node.value.keys, node.value.values):
                        sub = _literal_repr(key) if key is not None else None
                        exported = _literal_repr(value) if value is not None else None
                        if sub and exported:
                            for name in ast.literal_eval(exported):
                                names.setdefault(name, f"{package}.{ast.literal_eval(sub)}.{name}")
        return names

    def resolve(self, qualname: str, depth: int = 0) -> str:
        """Follow re-exports (`trl.SFTConfig` -> `trl.trainer.sft_config.SFTConfig`)."""
        module, _, name = qualname.rpartition(".")
        if depth > 20 or module not in self.imports:
            return qualname
        if self.class_def(qualname) is not None:
            return qualname
        target = self.imports[module].get(name)
        return self.resolve(target, depth + 1) if target else qualname

    def class_def(self, qualname: str) -> ast.ClassDef | None:
        module, _, name = qualname.rpartition(".")
        tree = self.trees.get(module)
        if tree is None:
            return None
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                return node
        return None

    def classes(self):
        for module, tree in self.trees.items():
            for node in tree.body:
                if isinstance(node, ast.ClassDef):
                    yield module, node

    def base_name(self, module: str, base: ast.expr) -> str:
        text = ast.unparse(base)
        head, _, rest = text.partition(".")
        local = self.imports[module].get(head)
        if local:
            target = f"{local}.{rest}" if rest else local
        elif self.class_def(f"{module}.{head}") is not None and not rest:
            target = f"{module}.{head}"
        else:
            target = text
        # `from transformers import TrainingArguments` from inside trl.
        if target.startswith("transformers.") and target.count(".") == 1:
            target = TRANSFORMERS_PUBLIC.get(target.split(".")[1], target)
        return self.resolve(target)


def class_infos(index: ModuleIndex, package: str, version: str) -> dict[str, ClassInfo]:
    infos = {}
    for module, node in index.classes():
        own: dict[str, dict] = {}
        excluded = []
        custom_init = None
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                parsed = _field_from(stmt)
                if parsed is None:
                    continue
                info, init = parsed
                if init:
                    own[stmt.target.id] = info
                else:
                    excluded.append(stmt.target.id)
            elif isinstance(stmt, ast.FunctionDef) and stmt.name == "__init__":
                custom_init = _init_keywords(stmt)
        qualname = f"{module}.{node.name}"
        infos[qualname] = ClassInfo(
            qualname=qualname,
            module=module,
            name=node.name,
            bases=[index.base_name(module, b) for b in node.bases],
            is_dataclass=any(_is_dataclass_decorator(d) for d in node.decorator_list),
            fields=own,
            excluded=excluded,
            custom_init=custom_init,
            package=package,
            version=version,
        )
    return infos


def config_classes(infos: dict[str, ClassInfo]) -> dict[str, ClassInfo]:
    """Classes that are TrainingArguments or (transitively) subclass it."""

    def is_config(qualname: str, seen: frozenset = frozenset()) -> bool:
        if qualname == TRAINING_ARGUMENTS:
            return True
        info = infos.get(qualname)
        if info is None or qualname in seen:
            return False
        return any(is_config(b, seen | {qualname}) for b in info.bases)

    return {q: i for q, i in infos.items() if is_config(q)}


def public_paths(index: ModuleIndex, configs: dict[str, ClassInfo]) -> None:
    """Fill import_paths: the defining module plus every package that re-exports it,
    skipping private modules/names."""
    for module, names in index.imports.items():
        if module not in index.packages:
            continue
        for local, target in names.items():
            canonical = index.resolve(target)
            if canonical in configs and not local.startswith("_"):
                configs[canonical].import_paths.append(f"{module}.{local}")
    for qualname, info in configs.items():
        if not info.name.startswith("_"):
            info.import_paths.append(qualname)
        info.import_paths = sorted(set(info.import_paths), key=lambda p: (p.count("."), p))


def full_keywords(configs: dict[str, ClassInfo], qualname: str) -> set[str] | None:
    """All __init__ keywords (inherited included); None when an explicit **kwargs hides them."""
    info = configs[qualname]
    inherited: set[str] = set()
    for base in info.bases:
        if base in configs:
            got = full_keywords(configs, base)
            if got is None:
                return None
            inherited |= got
    if info.custom_init is not None:
        if "**" in info.custom_init:
            return None
        return set(info.custom_init)
    if not info.is_dataclass:
        return inherited
    return (inherited - set(info.excluded)) | set(info.fields)


# ---------------------------------------------------------------- schema assembly


def collect(trl_wheel: Path, transformers_wheel: Path) -> dict[str, ClassInfo]:
    return collect_all(trl_wheel, transformers_wheel)[0]


def collect_all(trl_wheel: Path, transformers_wheel: Path) -> tuple[dict[str, ClassInfo], dict[str, list[str]], dict[str, ClassInfo]]:
    """(trainer configs, TRL script name -> its parser's dataclasses, every class read)."""
    trl_version, tf_version = wheel_version(trl_wheel), wheel_version(transformers_wheel)
    tf_sources = read_sources(transformers_wheel, lambda n: n in TRANSFORMERS_FILES)
    trl_sources = read_sources(trl_wheel, lambda n: n.startswith("trl/"))
    tf_index = ModuleIndex(tf_sources)
    trl_index = ModuleIndex(trl_sources)
    infos = class_infos(tf_index, "transformers", tf_version) | class_infos(trl_index, "trl", trl_version)
    configs = config_classes(infos)
    public_paths(trl_index, configs)
    for short, qualname in TRANSFORMERS_PUBLIC.items():
        if qualname in configs:
            configs[qualname].import_paths = sorted({f"transformers.{short}", qualname, *configs[qualname].import_paths})
    return configs, script_parsers(trl_index), infos


# ---------------------------------------------------------------- TRL scripts


def script_parsers(index: ModuleIndex) -> dict[str, list[str]]:
    """TRL script name -> the dataclasses its `make_parser()` hands `TrlParser`, in order
    (`dataclass_types = (ScriptArguments, SFTConfig, ModelConfig, ...)` in trl/scripts/<name>.py)."""
    found = {}
    for module, tree in sorted(index.trees.items()):
        if not module.startswith("trl.scripts.") or module.count(".") != 2:
            continue
        for func in tree.body:
            if not (isinstance(func, ast.FunctionDef) and func.name == "make_parser"):
                continue
            local: dict[str, str] = {}
            for node in ast.walk(func):
                if isinstance(node, ast.ImportFrom) and node.module:
                    for alias in node.names:
                        local[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            for node in ast.walk(func):
                if (
                    isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "dataclass_types" for t in node.targets)
                    and isinstance(node.value, ast.Tuple)
                ):
                    names = [e.id for e in node.value.elts if isinstance(e, ast.Name)]
                    found[module.rsplit(".", 1)[1]] = [
                        index.resolve(local[n]) if n in local else f"{module}.{n}" for n in names
                    ]
    return found


def dataclass_fields(infos: dict[str, ClassInfo], qualname: str) -> set[str]:
    """Every init field of a dataclass, inherited ones included (what HfArgumentParser adds)."""
    info = infos.get(qualname)
    if info is None:
        return set()
    inherited: set[str] = set()
    for base in info.bases:
        inherited |= dataclass_fields(infos, base)
    return (inherited - set(info.excluded)) | set(info.fields)


def build_scripts(parsers, infos, previous_infos, previous_parsers) -> dict:
    """The `scripts` section: each TRL script's accepted arguments, and the arguments its
    namesake in the previous release accepted that are gone (with a rename when curated)."""
    scripts = {}
    for name, classes in sorted(parsers.items()):
        arguments: set[str] = set()
        for qualname in classes:
            arguments |= dataclass_fields(infos, qualname)
        before: set[str] = set()
        for qualname in previous_parsers.get(name, []):
            before |= dataclass_fields(previous_infos, qualname)
        renames = {}
        for qualname in classes:
            short = qualname.rsplit(".", 1)[1]
            for base in [short, *_ancestor_names(infos, qualname)]:
                for old, target in RENAMES.get(base, {}).items():
                    new = target if isinstance(target, str) else target["to"]
                    if old not in arguments and new in arguments:
                        renames[old] = new
        removed = sorted((before - arguments) | set(renames))
        scripts[name] = {
            "dataclasses": classes,
            "arguments": sorted(arguments),
            "removed": removed,
            "renames": dict(sorted(renames.items())),
        }
    return scripts


def _ancestor_names(infos, qualname, seen=frozenset()) -> list[str]:
    info = infos.get(qualname)
    if info is None or qualname in seen:
        return []
    out = []
    for base in info.bases:
        out.append(base.rsplit(".", 1)[1])
        out.extend(_ancestor_names(infos, base, seen | {qualname}))
    return out


def removed_arguments(current: dict[str, ClassInfo], previous: dict[str, ClassInfo]) -> dict[str, set[str]]:
    """qualname -> keywords its namesake in the previous release accepted and it no longer does.
    A removal is recorded on the highest class that lost it (subclasses inherit it)."""
    prev_by_name = {}
    for q, info in previous.items():
        prev_by_name.setdefault(info.name, q)
    removed: dict[str, set[str]] = {}
    for qualname, info in current.items():
        prev = prev_by_name.get(info.name)
        if prev is None:
            continue
        now, before = full_keywords(current, qualname), full_keywords(previous, prev)
        if now is None or before is None:
            continue
        removed[qualname] = before - now
    for qualname in list(removed):
        for base in current[qualname].bases:
            removed[qualname] -= _inherited_removed(current, removed, base)
    return {q: r for q, r in removed.items() if r}


def changes_since(current: dict[str, ClassInfo], previous: dict[str, ClassInfo]) -> dict[str, dict[str, list[str]]]:
    """qualname -> {"added": [...], "removed": [...]}: the exact keyword diff against its
    namesake in the previous release, each change recorded on the highest class that made
    it. HS109 rebuilds the previous release's keywords from it for scripts that pin it.
    Classes without a comparable namesake are left out (a pin to that release: unknown)."""
    prev_by_name = {}
    for q, info in previous.items():
        prev_by_name.setdefault(info.name, q)
    diffs: dict[str, dict[str, set[str]]] = {}
    for qualname, info in current.items():
        prev = prev_by_name.get(info.name)
        now = full_keywords(current, qualname)
        before = full_keywords(previous, prev) if prev else None
        if now is None or before is None:
            continue
        diffs[qualname] = {"added": now - before, "removed": before - now}
    for qualname, diff in diffs.items():
        for base in current[qualname].bases:
            for kind in ("added", "removed"):
                diff[kind] -= _inherited_removed(current, {q: d[kind] for q, d in diffs.items()}, base)
    return {q: {k: sorted(v) for k, v in d.items()} for q, d in diffs.items()}


def _inherited_removed(configs, removed, qualname) -> set[str]:
    if qualname not in configs:
        return set()
    out = set(removed.get(qualname, set()))
    for base in configs[qualname].bases:
        out |= _inherited_removed(configs, removed, base)
    return out


def build_schema(configs, previous, versions, previous_versions) -> dict:
    removed = removed_arguments(configs, previous) if previous else {}
    since = changes_since(configs, previous) if previous else {}
    by_short = {}
    for q, info in configs.items():
        by_short.setdefault(info.name, []).append(q)
    for old in REMOVED_TRANSFORMERS_5:
        removed.setdefault(TRAINING_ARGUMENTS, set()).add(old)
    renames: dict[str, dict[str, str]] = {}
    conversions: dict[str, dict[str, dict]] = {}
    for short, table in RENAMES.items():
        for qualname in by_short.get(short, []):
            keywords = full_keywords(configs, qualname) or set()
            for old, target in table.items():
                new = target if isinstance(target, str) else target["to"]
                if old in keywords or new not in keywords:
                    print(f"dropping rename {short}.{old} -> {new}: not a rename in this release", file=sys.stderr)
                    continue
                renames.setdefault(qualname, {})[old] = new
                if not isinstance(target, str):
                    conversions.setdefault(qualname, {})[old] = {k: v for k, v in target.items() if k != "to"}
                removed.setdefault(qualname, set()).add(old)
    classes = {}
    for qualname, info in sorted(configs.items()):
        entry = {
            "name": info.name,
            "package": info.package,
            "version": info.version,
            "bases": [b for b in info.bases if b in configs],
            "import_paths": info.import_paths,
            "fields": info.fields,
        }
        if not info.is_dataclass:
            entry["dataclass"] = False
        if info.excluded:
            entry["init_false"] = info.excluded
        if info.custom_init is not None:
            entry["init_keywords"] = info.custom_init
        if qualname in removed:
            entry["removed"] = sorted(removed[qualname])
        if qualname in renames:
            entry["renames"] = dict(sorted(renames[qualname].items()))
        if qualname in since:
            entry["since_previous"] = since[qualname]
        if qualname in conversions:
            entry["rename_values"] = dict(sorted(conversions[qualname].items()))
        classes[qualname] = entry
    present = {i.name for i in configs.values()}
    # Re-exported from a package (`trl.PPOConfig`, `trl.experimental.bco.BCOConfig`): a name
    # users wrote. Internal bases such as trl.trainer.base_config.BaseConfig are not.
    older_public = {i.name for q, i in previous.items() if set(i.import_paths) - {q}}
    without_schema = sorted((older_public | set(OLDER_TRL_NAMES)) - present)
    return {
        "format": 1,
        "generated_by": "scripts/gen_config_schema.py",
        "versions": versions,
        "compared_with": previous_versions,
        "classes": classes,
        "known_without_schema": without_schema,
    }


# ---------------------------------------------------------------- requirements table

_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?")
_EXTRA = re.compile(r"""extra\s*==\s*['"]([^'"]+)['"]""")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirement(text: str) -> tuple[str, list[str], str | None]:
    """(normalized name, extras, extra it belongs to or None) for one Requires-Dist line."""
    spec, _, marker = text.partition(";")
    match = _REQ.match(spec)
    if not match:
        raise ValueError(f"bad requirement {text!r}")
    extras = [normalize(e.strip()) for e in (match.group(2) or "[]")[1:-1].split(",") if e.strip()]
    in_extra = _EXTRA.search(marker)
    return normalize(match.group(1)), extras, normalize(in_extra.group(1)) if in_extra else None


def requirements_table(roots=REQUIREMENT_ROOTS) -> dict:
    """Requires-Dist of the whole dependency closure of `roots`, from pip's resolver report.
    Environment markers other than `extra` are taken as satisfied: a dependency that may
    be there is treated as there, so HS501 does not cry wolf."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "-q", "--report", str(report), *roots],
            check=True,
        )
        data = json.loads(report.read_text())
    dists = {}
    for item in data["install"]:
        meta = item["metadata"]
        requires: set[str] = set()
        extras: dict[str, set[str]] = {}
        for line in meta.get("requires_dist", []):
            name, sub_extras, extra = parse_requirement(line)
            entry = name + (f"[{','.join(sorted(sub_extras))}]" if sub_extras else "")
            (extras.setdefault(extra, set()) if extra else requires).add(entry)
        dists[normalize(meta["name"])] = {
            "version": meta["version"],
            "requires": sorted(requires),
            "extras": {k: sorted(v) for k, v in sorted(extras.items())},
        }
    return {
        "format": 1,
        "generated_by": "scripts/gen_config_schema.py",
        "roots": list(roots),
        "distributions": dict(sorted(dists.items())),
    }


# ---------------------------------------------------------------- cross-check


def verify_with_jedi(schema_file: Path, wheels: list[Path]) -> int:
    """Install the wheels (no deps, so no torch) into a scratch venv and check that jedi,
    reading them as hubsave.envsig does for users, finds the same keywords as the schema."""
    sys.path.insert(0, str(ROOT / "server"))
    from hubsave import envsig
    from hubsave.analysis.config_schema import _Schema

    schema = _Schema(json.loads(schema_file.read_text()))
    mismatches = 0
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        python = str(venv / "bin" / "python")
        pip = [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps"]
        subprocess.run([*pip, *map(str, wheels)], check=True)
        for qualname in schema.raw:
            built = schema.build(qualname)
            path = built.import_paths[0] if built.import_paths else qualname
            found = envsig.accepted_keywords(path, python, timeout=120)
            if found != built.keywords:
                mismatches += 1
                print(f"MISMATCH {path}: jedi-only {sorted((found or set()) - (built.keywords or set()))}, "
                      f"schema-only {sorted((built.keywords or set()) - (found or set()))}", file=sys.stderr)
    print(f"jedi cross-check: {len(schema.raw) - mismatches}/{len(schema.raw)} classes agree", file=sys.stderr)
    return 1 if mismatches else 0


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trl", help="trl version (default: newest on the index)")
    parser.add_argument("--transformers", help="transformers version (default: newest)")
    parser.add_argument("--previous-trl", default=PREVIOUS_TRL)
    parser.add_argument("--previous-transformers", default=PREVIOUS_TRANSFORMERS)
    parser.add_argument("--no-previous", action="store_true", help="skip the diff against older releases")
    parser.add_argument("--wheel-dir", type=Path, help="use wheels already in this directory; download nothing")
    parser.add_argument("--output", type=Path, default=DATA / "config_schema.json")
    parser.add_argument("--requirements-output", type=Path, default=DATA / "requirements.json")
    parser.add_argument("--skip-requirements", action="store_true")
    parser.add_argument("--verify", action="store_true", help="cross-check the schema against jedi on the same wheels")
    args = parser.parse_args(argv)
    status = 0

    with tempfile.TemporaryDirectory() as tmp:
        wheels = args.wheel_dir or Path(tmp)
        if args.wheel_dir is None:
            download([f"trl=={args.trl}" if args.trl else "trl", f"transformers=={args.transformers}" if args.transformers else "transformers"], wheels)
        trl_wheel = find_wheel(wheels, "trl", args.trl)
        tf_wheel = find_wheel(wheels, "transformers", args.transformers)
        configs, parsers, infos = collect_all(trl_wheel, tf_wheel)
        previous, previous_versions = {}, {}
        previous_parsers, previous_infos = {}, {}
        if not args.no_previous:
            old = Path(tmp) / "previous"
            old.mkdir()
            if args.wheel_dir is None or not list(wheels.glob(f"trl-{args.previous_trl}-*.whl")):
                download([f"trl=={args.previous_trl}", f"transformers=={args.previous_transformers}"], old)
            else:
                old = wheels
            previous, previous_parsers, previous_infos = collect_all(
                find_wheel(old, "trl", args.previous_trl), find_wheel(old, "transformers", args.previous_transformers)
            )
            previous_versions = {"trl": args.previous_trl, "transformers": args.previous_transformers}
        versions = {"trl": wheel_version(trl_wheel), "transformers": wheel_version(tf_wheel)}
        schema = build_schema(configs, previous, versions, previous_versions)
        schema["scripts"] = build_scripts(parsers, infos, previous_infos, previous_parsers)
        args.output.write_text(json.dumps(schema, indent=1, sort_keys=False) + "\n")
        print(f"wrote {args.output}: {len(schema['classes'])} classes from {versions}", file=sys.stderr)
        if args.verify:
            status = verify_with_jedi(args.output, [trl_wheel, tf_wheel])
    if not args.skip_requirements:
        table = requirements_table()
        args.requirements_output.write_text(json.dumps(table, indent=1) + "\n")
        print(f"wrote {args.requirements_output}: {len(table['distributions'])} distributions", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
