"""The bundled trainer-config schema (data/config_schema.json): which keywords each
transformers / TRL config class accepts, what was removed or renamed.

HS109 uses it when jedi cannot see the class in the user's environment (see
hubsave.envsig). The JSON is read once, on first use, never at import of hubsave.
Regenerate it with scripts/gen_config_schema.py (docs/config-schema.md).
"""

from __future__ import annotations

import functools

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

__all__ = [
    "ClassSchema",
    "FieldInfo",
    "accepted_keywords",
    "config_classes",
    "Conversion",
    "known_without_schema",
    "packages_of",
    "previous_keywords",
    "removed_keywords",
    "replacement",
    "resolve_class",
    "schema_versions",
    "suggest",
]

# difflib ratio below which a "did you mean" is more noise than help:
# `num_epochs` -> `num_train_epochs` (0.77) is offered, `batch_size` -> `per_device_train_batch_size` (0.54) is not.
SUGGEST_CUTOFF = 0.75

_SCHEMA_FILE = Path(__file__).resolve().parent.parent / "data" / "config_schema.json"


@dataclass(frozen=True)
class FieldInfo:
    type: str
    default: str | None  # repr of a literal default, "<factory>", or None (not a literal / required)
    required: bool


@dataclass(frozen=True)
class Conversion:
    """How a renamed keyword's value carries over (`rename_values` in the JSON)."""

    values: tuple[tuple[object, object], ...] = ()  # (old literal, new literal) pairs
    range: tuple[float, float] | None = None  # a number in [low, high) is kept as it is

    def convert(self, value: object) -> tuple[bool, object]:
        """(True, new value) when `value` converts for sure, else (False, None)."""
        if self.range is not None:
            low, high = self.range
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            return (True, value) if number and low <= value < high else (False, None)  # type: ignore[operator]
        for old, new in self.values:
            if type(old) is type(value) and old == value:
                return True, new
        return False, None


@dataclass(frozen=True)
class ClassSchema:
    qualname: str  # where the class is defined: "trl.trainer.sft_config.SFTConfig"
    name: str  # "SFTConfig"
    package: str  # "trl" or "transformers"
    version: str  # release the schema was read from
    import_paths: tuple[str, ...]  # public spellings: "trl.SFTConfig", ...
    bases: tuple[str, ...]
    fields: Mapping[str, FieldInfo]  # every dataclass init field, inherited ones included
    keywords: frozenset[str] | None  # accepted __init__ keywords; None: an explicit **kwargs accepts anything
    removed: frozenset[str]  # keywords older releases accepted and this one rejects
    renames: Mapping[str, str]  # removed keyword -> its replacement
    conversions: Mapping[str, Conversion]  # renamed keyword -> how its value converts (none: kept)
    # The keyword diff against the release the schema was compared with (`compared_with`),
    # recorded on the class that made each change; None when the class has no namesake there.
    added: frozenset[str] | None
    dropped: frozenset[str] | None


class _Schema:
    """Parsed JSON plus lookup indexes; built once."""

    def __init__(self, data: dict):
        self.versions: dict = data["versions"]
        self.compared_with: dict = data.get("compared_with", {})
        self.raw: dict = data["classes"]
        self.without_schema = frozenset(data.get("known_without_schema", ()))
        self.scripts: dict[str, dict] = data.get("scripts", {})
        self.by_path: dict[str, str] = {}
        short: dict[str, list[str]] = {}
        for qualname, entry in self.raw.items():
            self.by_path[qualname] = qualname
            for path in entry["import_paths"]:
                self.by_path[path] = qualname
            if entry["import_paths"]:
                short.setdefault(entry["name"], []).append(qualname)
        # A short name used by two classes (trl.KTOConfig and the deprecated
        # trl.experimental.kto.KTOConfig) means the one importable from the package top.
        self.by_short = {name: min(qualnames, key=self._rank) for name, qualnames in short.items()}
        self.public_names = frozenset(self.by_short) | self.without_schema
        self.built: dict[str, ClassSchema] = {}
        self.lock = threading.Lock()

    def _rank(self, qualname: str) -> tuple:
        paths = self.raw[qualname]["import_paths"]
        return (min(p.count(".") for p in paths), "experimental" in qualname, qualname)

    def build(self, qualname: str) -> ClassSchema:
        with self.lock:
            return self._build(qualname)

    def _build(self, qualname: str) -> ClassSchema:
        if qualname in self.built:
            return self.built[qualname]
        entry = self.raw[qualname]
        fields: dict[str, FieldInfo] = {}
        inherited: set[str] | None = set()
        removed: set[str] = set()
        renames: dict[str, str] = {}
        conversions: dict[str, Conversion] = {}
        for base in entry["bases"]:
            parent = self._build(base)
            fields.update(parent.fields)
            inherited = None if inherited is None or parent.keywords is None else inherited | parent.keywords
            removed |= parent.removed
            renames.update(parent.renames)
            conversions.update(parent.conversions)
        for old, how in entry.get("rename_values", {}).items():
            conversions[old] = Conversion(
                tuple((a, b) for a, b in how.get("values", ())), tuple(how["range"]) if "range" in how else None
            )
        for name in entry.get("init_false", ()):
            fields.pop(name, None)
        if entry.get("dataclass", True):
            for name, info in entry["fields"].items():
                fields[name] = FieldInfo(info.get("type", ""), info.get("default"), bool(info.get("required")))
        keywords: frozenset[str] | None
        if "init_keywords" in entry:
            own = entry["init_keywords"]
            keywords = None if "**" in own else frozenset(own)
        elif inherited is None:
            keywords = None
        elif entry.get("dataclass", True):
            keywords = frozenset((inherited - set(entry.get("init_false", ()))) | set(entry["fields"]))
        else:
            keywords = frozenset(inherited)
        removed |= set(entry.get("removed", ()))
        renames.update(entry.get("renames", {}))
        if keywords is not None:
            removed -= keywords  # a subclass that brings a name back accepts it
        schema = ClassSchema(
            qualname=qualname,
            name=entry["name"],
            package=entry["package"],
            version=entry["version"],
            import_paths=tuple(entry["import_paths"]),
            bases=tuple(entry["bases"]),
            fields=MappingProxyType(fields),
            keywords=keywords,
            removed=frozenset(removed),
            # Only renames that still hold here: old name rejected, new name accepted.
            renames=MappingProxyType(
                {k: v for k, v in renames.items() if k in removed and (keywords is None or v in keywords)}
            ),
            conversions=MappingProxyType(conversions),
            added=frozenset(entry["since_previous"]["added"]) if "since_previous" in entry else None,
            dropped=frozenset(entry["since_previous"]["removed"]) if "since_previous" in entry else None,
        )
        self.built[qualname] = schema
        return schema


_loaded: _Schema | None = None
_load_lock = threading.Lock()


def _schema() -> _Schema:
    global _loaded
    if _loaded is None:
        with _load_lock:
            if _loaded is None:
                text = _SCHEMA_FILE.read_text(encoding="utf-8")
                _loaded = _Schema(json.loads(text))
    return _loaded


def compared_versions() -> dict[str, str]:
    """The older releases the schema records differences to, e.g. {"trl": "0.29.1", ...}."""
    return dict(_schema().compared_with)


def previous_keywords(cls: ClassSchema | str, packages: frozenset[str]) -> frozenset[str] | None:
    """The keywords `cls` accepted with `packages` ("trl", "transformers") at their compared
    release and the others at the bundled one; None when that cannot be known."""
    schema = _as_schema(cls)
    if schema is None or schema.keywords is None:
        return None
    if schema.package in packages and schema.added is None:
        return None  # the class has no namesake in that release
    keywords = set(schema.keywords)
    for part in _lineage(schema):
        if part.package in packages and part.added is not None and part.dropped is not None:
            keywords = (keywords - part.added) | part.dropped
    return frozenset(keywords)


def packages_of(cls: ClassSchema | str) -> frozenset[str]:
    """The packages whose releases decide what `cls` accepts: {"trl", "transformers"}."""
    schema = _as_schema(cls)
    return frozenset(part.package for part in _lineage(schema)) if schema else frozenset()


def _lineage(schema: ClassSchema) -> list[ClassSchema]:
    found = [schema]
    for base in schema.bases:
        parent = resolve_class(base)
        if parent is not None:
            found += [p for p in _lineage(parent) if p not in found]
    return found


def replacement(cls: ClassSchema | str, old: str, keywords: frozenset[str] | None = None) -> tuple[str, Conversion | None] | None:
    """The known replacement of a removed keyword (from the releases, not a spelling
    guess) and how its value converts; None when there is none or its target is not accepted."""
    schema = _as_schema(cls)
    new = schema.renames.get(old) if schema else None
    if schema is None or new is None or (keywords is not None and new not in keywords):
        return None
    return new, schema.conversions.get(old)


def schema_versions() -> dict[str, str]:
    """Releases the bundled schema was generated from, e.g. {"trl": "1.16.0", ...}."""
    return dict(_schema().versions)


def config_classes() -> frozenset[str]:
    """Short names of every class that counts as a trainer config (with or without schema)."""
    return _schema().public_names


def known_without_schema() -> frozenset[str]:
    """Config class names (older TRL: PPOConfig, ...) the bundled schema has no fields for."""
    return _schema().without_schema


def resolve_class(qualname: str) -> ClassSchema | None:
    """Schema for 'trl.SFTConfig', 'SFTConfig', 'transformers.TrainingArguments',
    'trl.experimental.orpo.ORPOConfig', 'trl.trainer.sft_config.SFTConfig', ...
    None for anything else (including names known but without schema)."""
    schema = _schema()
    target = schema.by_path.get(qualname) or schema.by_short.get(qualname)
    return schema.build(target) if target else None


@dataclass(frozen=True)
class ScriptSchema:
    """A TRL script's command line (`trl/scripts/<name>.py`, `trl <name>`): every
    argument its `TrlParser` accepts, and those older releases accepted."""

    name: str
    arguments: frozenset[str]
    removed: frozenset[str]
    renames: Mapping[str, str]


@functools.lru_cache(maxsize=16)
def script_schema(name: str) -> ScriptSchema | None:
    entry = _schema().scripts.get(name)
    if entry is None:
        return None
    return ScriptSchema(name, frozenset(entry["arguments"]), frozenset(entry["removed"]), dict(entry["renames"]))


def _as_schema(cls: ClassSchema | str) -> ClassSchema | None:
    return cls if isinstance(cls, ClassSchema) else resolve_class(cls)


def accepted_keywords(cls: ClassSchema | str) -> frozenset[str] | None:
    """Keywords the class's __init__ accepts; None when unknown or unlimited."""
    schema = _as_schema(cls)
    return schema.keywords if schema else None


def removed_keywords(cls: ClassSchema | str) -> frozenset[str]:
    """Keywords that older releases accepted and this one raises TypeError for."""
    schema = _as_schema(cls)
    return schema.removed if schema else frozenset()


def suggest(cls: ClassSchema | str, bad_kw: str, keywords: frozenset[str] | None = None) -> str | None:
    """'Did you mean' for a rejected keyword: a known rename first, else the closest
    accepted keyword. `keywords` overrides the bundled set (e.g. the ones jedi found
    in the user's environment); a rename is only offered if its target is accepted."""
    schema = _as_schema(cls)
    accepted = keywords if keywords is not None else (schema.keywords if schema else None)
    if not accepted:
        return None
    if schema is not None:
        renamed = schema.renames.get(bad_kw)
        if renamed in accepted:
            return renamed
    return _closest(bad_kw, frozenset(accepted))


def closest_keyword(bad_kw: str, accepted: frozenset[str]) -> str | None:
    """The accepted keyword (or argument) closest to a rejected one, if any is close."""
    return _closest(bad_kw, accepted)


@functools.lru_cache(maxsize=1024)
def _closest(bad_kw: str, accepted: frozenset[str]) -> str | None:
    """Cached: the same wrong keyword recurs across a project's scripts."""
    import difflib  # only needed once a keyword is wrong

    lowered = {kw.lower(): kw for kw in accepted}
    if bad_kw.lower() in lowered:
        return lowered[bad_kw.lower()]
    close = difflib.get_close_matches(bad_kw, sorted(accepted), n=1, cutoff=SUGGEST_CUTOFF)
    return close[0] if close else None
