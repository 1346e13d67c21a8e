"""Pure analysis: source text and settings in, findings out. No LSP, no disk, no network.

The names below are imported from their modules on first use: importing one small
module of the package (the language server's `normalize_path` before its `initialize`
answer) must not import the engine with every rule.
"""

from importlib import import_module as _import_module

_MODULE_OF = {
    "Analysis": "engine",
    "analyze": "engine",
    "Finding": "findings",
    "FixRequest": "findings",
    "Severity": "findings",
    "Span": "findings",
    "Tag": "findings",
    "Settings": "settings",
}
__all__ = ["Analysis", "Finding", "FixRequest", "Settings", "Severity", "Span", "Tag", "analyze"]


def __getattr__(name: str):
    if name in _MODULE_OF:
        return getattr(_import_module(f".{_MODULE_OF[name]}", __name__), name)
    raise AttributeError(f"module 'hubsave.analysis' has no attribute {name!r}")
