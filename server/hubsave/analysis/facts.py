"""Facts the rules read: trainer configs, job submissions, pushes, trainer calls, repo ids.

Collected in one pass per scope, so no rule walks the tree on its own.
A value that is not a literal is *unknown*; unknown never produces a finding.
"""

from __future__ import annotations

import ast
import posixpath
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator

from .catalog import (
    DEFAULT_OUTPUT_DIR,
    MCP_JOB_TOOL,
    MCP_RUNNING_OPERATIONS,
    PYTHON_JOB_FUNCTIONS,
    TOKEN_NAMES,
    UPLOAD_FUNCTIONS,
)
from .constants import BINDING_KINDS, FUNCTION_SCOPES, Bindings, module_bindings, string_bindings, value_at
from .document import Document
from .findings import Span
from .nodes import SCOPES, scope_nodes
from .repo_sites import PUSH_TARGET, RepoIdSite, sites_of_call
from .symbols import Symbols, callee_name



class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


def literal(node: ast.expr | None) -> Any:
    """The Python value of a literal expression, or UNKNOWN."""
    if node is None:
        return UNKNOWN
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return UNKNOWN


@dataclass
class Arg:
    """One option given to a config or a job: `name=value`, `"name": value`, `x.name = value`."""

    name: str
    value_node: ast.expr
    span: Span  # the whole option, for messages about it
    origin: str  # "keyword" | "dict" | "attribute" | "replace"
    key_node: ast.AST | None = None

    @property
    def value(self) -> Any:
        return literal(self.value_node)

    @property
    def known(self) -> bool:
        return self.value is not UNKNOWN


@dataclass
class ConfigCall:
    call: ast.Call
    config: str  # short class name: "SFTConfig"
    args: dict[str, Arg]
    open: bool  # `**something` whose keys are unknown
    var: str | None  # the name it is bound to, if any

    def has(self, name: str) -> bool:
        return name in self.args

    def value(self, name: str, default: Any = UNKNOWN) -> Any:
        """The literal value, `default` when absent and known absent, UNKNOWN otherwise."""
        if name in self.args:
            return self.args[name].value
        return UNKNOWN if self.open else default


@dataclass
class JobCall:
    call: ast.Call
    form: str  # "mcp" | "python"
    function: str  # hf_jobs, run_uv_job, ...
    operation: str | None  # MCP operation ("uv", "run", ...); None for the Python API
    options: dict[str, Arg]
    open: bool
    options_dict: ast.Dict | None = None  # the MCP args dict literal, for fixes

    def value(self, name: str, default: Any = None) -> Any:
        if name in self.options:
            return self.options[name].value
        return UNKNOWN if self.open else default


@dataclass
class Facts:
    symbols: Symbols
    configs: list[ConfigCall] = field(default_factory=list)
    jobs: list[JobCall] = field(default_factory=list)
    # Calls that upload on their own (`x.push_to_hub()`, `upload_folder(...)`).
    uploads: list[ast.Call] = field(default_factory=list)
    trainer_vars: set[str] = field(default_factory=set)
    # Statements `trainer.train(...)` and `result = trainer.train(...)`.
    train_calls: list[ast.stmt] = field(default_factory=list)
    trainer_push_calls: list[ast.Call] = field(default_factory=list)
    save_model_calls: list[ast.Call] = field(default_factory=list)
    # Every place a Hub repo id is written (see repo_sites.py): HS2xx, Hub hover, HS702.
    repo_ids: list[RepoIdSite] = field(default_factory=list)

    @property
    def pushes_elsewhere(self) -> bool:
        return bool(self.uploads)

    @property
    def running_jobs(self) -> list[JobCall]:
        """Submissions that start or schedule a job (not `ps`, `logs`, `cancel`...)."""
        return [job for job in self.jobs if job.form == "python" or job.operation in MCP_RUNNING_OPERATIONS]

    @classmethod
    def of(cls, doc: Document) -> Facts:
        """The document's facts, collected once per document."""
        cached = doc.cache.get("facts")
        if cached is None:
            assert doc.parsed(), "facts need a parsed document"
            # Only the statements that can matter: most of a long file is other code.
            tree = doc.relevant_module(relevance_words())
            cached = doc.cache["facts"] = cls(Symbols.of(tree, defined=doc.top_level_names()))
            _Collector(doc, cached).run(tree)
        return cached


def derived_repo_name(config: ConfigCall) -> str | None:
    """The repo name the Trainer derives from output_dir, or None when unknown."""
    output_dir = config.value("output_dir", None)
    if output_dir is None:
        return DEFAULT_OUTPUT_DIR
    if not isinstance(output_dir, str):
        return None
    name = posixpath.basename(output_dir.replace("\\", "/").rstrip("/"))
    return name or None


# Words without which a statement holds no fact a rule reads (beyond rule triggers).
_FACT_WORDS = ("Trainer", "train(", "save_model", "push_to_hub", "upload_", "create_commit", "replace(")


@lru_cache(maxsize=1)
def relevance_words() -> frozenset[str]:
    from .rules import RULES

    words = (t for rule in RULES.values() if rule.reads_facts for t in rule.triggers if isinstance(t, str))
    return frozenset(_FACT_WORDS).union(words)


def token_entries(mapping: Arg | None) -> list[tuple[str, ast.expr, ast.expr]]:
    """`HF_TOKEN` entries of a literal `secrets` / `env` dict."""
    if mapping is None or not isinstance(mapping.value_node, ast.Dict):
        return []
    return [(k, key, value) for k, key, value in dict_items(mapping.value_node) if k in TOKEN_NAMES]


def dict_items(node: ast.Dict) -> Iterator[tuple[str, ast.expr, ast.expr]]:
    """String-keyed entries of a dict literal; `**x` entries are skipped."""
    for key, value in zip(node.keys, node.values):
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            yield key.value, key, value


# The nodes of a scope the collector reads: bindings, calls, nested scopes.
_READS = BINDING_KINDS | {ast.Call, ast.Expr, ast.Lambda}


class _Collector:
    def __init__(self, doc: Document, facts: Facts) -> None:
        self.doc = doc
        self.facts = facts
        self.symbols = facts.symbols
        self.module_assigned: Bindings | None = None

    def run(self, tree: ast.Module) -> None:
        pending: list[ast.AST] = [tree]
        while pending:
            scope = pending.pop()
            nodes = scope_nodes(scope, _READS, stored_names=True)
            self._scope(scope, nodes, module=scope is tree)
            pending.extend(node for node in nodes if isinstance(node, SCOPES))

    # One scope: bindings first (dict literals, config variables), then uses.
    def _scope(self, scope: ast.AST, nodes: list[ast.AST], module: bool = False) -> None:
        dict_bindings: dict[str, list[tuple[int, ast.Dict]]] = {}
        for node in nodes:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        dict_bindings.setdefault(target.id, []).append((node.lineno, node.value))
        # The module's statements are only those that can matter: its string
        # bindings are read from the whole tree, once a variable needs tracing.
        self.assigned = None if module else string_bindings(nodes)
        self.in_function = isinstance(scope, FUNCTION_SCOPES)
        first_config = len(self.facts.configs)
        # Which call each `name = Call(...)` binds, so a config knows its variable.
        self.bound = {
            id(node.value): node.targets[0].id
            for node in nodes
            if isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call)
        }
        config_vars: dict[str, ConfigCall] = {}
        for node in nodes:
            if isinstance(node, ast.Assign):
                self._assignment(node, config_vars)
            elif isinstance(node, ast.Call):
                self._call(node, dict_bindings, config_vars)
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                self._statement_call(node, node.value)
        for config in self.facts.configs[first_config:]:
            self._hub_model_id(config)

    # -- repo ids ------------------------------------------------------------
    def _module_bindings(self) -> Bindings:
        if self.module_assigned is None:
            self.module_assigned = module_bindings(self.doc)
        return self.module_assigned

    def _resolve_string(self, expr: ast.expr) -> tuple[ast.expr, str | None, str] | None:
        """(literal node, value, literal prefix) of a string argument, through one name."""
        if isinstance(expr, ast.Name):
            if self.assigned is None:  # module level
                found = value_at(expr, self._module_bindings(), None)
            else:
                found = value_at(expr, self.assigned, self._module_bindings() if self.in_function else None)
            if found is None:
                return None
            expr = found
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return expr, expr.value, expr.value
        if isinstance(expr, ast.JoinedStr):
            prefix = ""
            for part in expr.values:
                if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                    return expr, None, prefix
                prefix += part.value
            return expr, prefix, prefix
        return None

    def _hub_model_id(self, config: ConfigCall) -> None:
        arg = config.args.get("hub_model_id")
        if arg is None:
            return
        resolved = self._resolve_string(arg.value_node)
        if resolved is not None:
            node, value, prefix = resolved
            call = config.call if arg.origin == "keyword" else None
            self.facts.repo_ids.append(
                RepoIdSite(node, value, prefix, PUSH_TARGET, "hub_model_id", "model", arg.value_node, call)
            )

    def _assignment(self, node: ast.Assign, config_vars: dict[str, ConfigCall]) -> None:
        value = node.value
        if isinstance(value, ast.Call):
            self._statement_call(node, value)
        for target in node.targets:
            if isinstance(target, ast.Name) and isinstance(value, ast.Call):
                name = callee_name(value)
                if name and name.endswith("Trainer"):
                    self.facts.trainer_vars.add(target.id)
            # `config.push_to_hub = True` after `config = SFTConfig(...)`.
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id in config_vars
            ):
                config = config_vars[target.value.id]
                config.args[target.attr] = Arg(
                    target.attr, value, self.doc.span(node), "attribute", key_node=target
                )

    def _call(self, call: ast.Call, dict_bindings, config_vars: dict[str, ConfigCall]) -> None:
        name = callee_name(call)
        if name is None:
            return
        self.facts.repo_ids.extend(sites_of_call(call, name, self.symbols, self._resolve_string, self._is_trainer))
        config = self.symbols.config_class(call.func)
        if config is not None:
            found = self._config(call, config, dict_bindings)
            self.facts.configs.append(found)
            var = self.bound.get(id(call))
            if var:
                found.var = var
                config_vars[var] = found
            return
        if name == "replace" and call.args and isinstance(call.args[0], ast.Name):
            # dataclasses.replace(config, push_to_hub=True): the values count for `config`.
            target = config_vars.get(call.args[0].id)
            if target is not None:
                for kw in call.keywords:
                    if kw.arg is None:
                        target.open = True
                    else:
                        target.args[kw.arg] = Arg(kw.arg, kw.value, self.doc.span(kw), "replace", kw)
            return
        if name == MCP_JOB_TOOL:
            job = self._mcp_job(call, dict_bindings)
            if job is not None:
                self.facts.jobs.append(job)
            return
        if name in PYTHON_JOB_FUNCTIONS:
            self.facts.jobs.append(self._python_job(call, name, dict_bindings))
            return
        if name in UPLOAD_FUNCTIONS and (isinstance(call.func, ast.Attribute) or name != "push_to_hub"):
            self.facts.uploads.append(call)
            receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
            if name == "push_to_hub" and self._is_trainer(receiver):
                self.facts.trainer_push_calls.append(call)
            return
        if name == "save_model" and isinstance(call.func, ast.Attribute) and self._is_trainer(call.func.value):
            self.facts.save_model_calls.append(call)

    def _statement_call(self, stmt: ast.stmt, call: ast.Call) -> None:
        if (
            isinstance(call.func, ast.Attribute)
            and call.func.attr == "train"
            and self._is_trainer(call.func.value)
        ):
            self.facts.train_calls.append(stmt)

    def _is_trainer(self, receiver: ast.expr | None) -> bool:
        if isinstance(receiver, ast.Name):
            return receiver.id in self.facts.trainer_vars or "trainer" in receiver.id.lower()
        if isinstance(receiver, ast.Attribute):
            return "trainer" in receiver.attr.lower()
        return False

    def _config(self, call: ast.Call, config: str, dict_bindings) -> ConfigCall:
        args: dict[str, Arg] = {}
        open_ = any(isinstance(a, ast.Starred) for a in call.args)
        if call.args and not isinstance(call.args[0], ast.Starred):
            # TrainingArguments("out") and every TRL config: output_dir comes first.
            first = call.args[0]
            args["output_dir"] = Arg("output_dir", first, self.doc.span(first), "positional")
        for kw in call.keywords:
            if kw.arg is not None:
                args[kw.arg] = Arg(kw.arg, kw.value, self.doc.span(kw), "keyword", kw)
                continue
            mapping = self._dict_for(kw.value, call.lineno, dict_bindings)
            if mapping is None or any(k is None for k in mapping.keys):
                open_ = True
                if mapping is None:
                    continue
            for key, key_node, value in dict_items(mapping):
                args[key] = Arg(key, value, _pair_span(self.doc, key_node, value), "dict", key_node)
        return ConfigCall(call, config, args, open_, None)

    def _dict_for(self, expr: ast.expr, line: int, dict_bindings) -> ast.Dict | None:
        """A dict literal, or a name bound to one earlier in the same scope."""
        if isinstance(expr, ast.Dict):
            return expr
        if isinstance(expr, ast.Name):
            earlier = [d for lineno, d in dict_bindings.get(expr.id, ()) if lineno <= line]
            if earlier:
                return earlier[-1]
        return None

    def _mcp_job(self, call: ast.Call, dict_bindings) -> JobCall | None:
        operation_node = call.args[0] if call.args else _keyword(call, "operation")
        args_node = call.args[1] if len(call.args) > 1 else _keyword(call, "args")
        operation = literal(operation_node)
        if not isinstance(operation, str):
            return None
        options: dict[str, Arg] = {}
        open_ = True
        mapping = self._dict_for(args_node, call.lineno, dict_bindings) if args_node is not None else None
        if args_node is None:
            open_ = False  # no args at all: every option is absent
        if mapping is not None:
            open_ = any(k is None for k in mapping.keys)
            for key, key_node, value in dict_items(mapping):
                options[key] = Arg(key, value, _pair_span(self.doc, key_node, value), "dict", key_node)
        return JobCall(call, "mcp", MCP_JOB_TOOL, operation.strip(), options, open_, mapping)

    def _python_job(self, call: ast.Call, name: str, dict_bindings) -> JobCall:
        options: dict[str, Arg] = {}
        open_ = any(isinstance(a, ast.Starred) for a in call.args)
        if call.args and not isinstance(call.args[0], ast.Starred) and name in ("run_uv_job", "create_scheduled_uv_job"):
            options["script"] = Arg("script", call.args[0], self.doc.span(call.args[0]), "positional")
        for kw in call.keywords:
            if kw.arg is not None:
                options[kw.arg] = Arg(kw.arg, kw.value, self.doc.span(kw), "keyword", kw)
                continue
            mapping = self._dict_for(kw.value, call.lineno, dict_bindings)
            if mapping is None or any(k is None for k in mapping.keys):
                open_ = True
            if mapping is not None:
                for key, key_node, value in dict_items(mapping):
                    options[key] = Arg(key, value, _pair_span(self.doc, key_node, value), "dict", key_node)
        return JobCall(call, "python", name, None, options, open_)


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def _pair_span(doc: Document, key: ast.AST, value: ast.AST) -> Span:
    start, end = doc.span(key), doc.span(value)
    return Span(start.start_line, start.start_col, end.end_line, end.end_col)

