"""Python list literals as argvs (`script_args=[...]`, `command=[...]`,
`subprocess.run(["hf", "jobs", ...])`): each element a `Word`, so `job_argv` reads
them as it reads shell words. A non-string element is an unknown word; `*rest`
may add any number of them."""

from __future__ import annotations

import ast

from .document import Document
from .facts import JobCall, literal
from .job_argv import Volume, volume_of_spec
from .shell_words import UNKNOWN_PART, Word


def list_words(doc: Document, node: ast.expr | None) -> list[Word] | None:
    """The words of a list or tuple literal; None when `node` is not one."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    words = []
    for element in node.elts:
        span = doc.span(element)
        raw = doc.source(element)
        if isinstance(element, ast.Constant) and isinstance(element.value, str):
            words.append(Word(element.value, span, raw))
        elif isinstance(element, ast.Constant) and isinstance(element.value, (int, float)) and not isinstance(element.value, bool):
            words.append(Word(str(element.value), span, raw))
        else:
            words.append(Word(UNKNOWN_PART, span, raw, splat=isinstance(element, ast.Starred)))
    return words


def job_volumes(job: JobCall) -> list[Volume] | None:
    """The mounts of a Python or MCP submission (`Volume(...)` calls, `"hf://...:/mnt"`
    strings); None when one of them, or the list, is not a literal."""
    arg = job.options.get("volumes")
    if arg is None:
        return None if job.open else []
    node = arg.value_node
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    volumes = []
    for element in node.elts:
        if isinstance(element, ast.Constant) and isinstance(element.value, str):
            volume = volume_of_spec(element.value)
        elif isinstance(element, ast.Call) and not element.args:
            values = {kw.arg: literal(kw.value) for kw in element.keywords if kw.arg}
            kind, mount = values.get("type"), values.get("mount_path")
            if not (isinstance(kind, str) and isinstance(mount, str)):
                return None
            volume = Volume(mount.rstrip("/") or "/", kind == "bucket" and values.get("read_only") is not True)
        else:
            return None
        if volume is not None:
            volumes.append(volume)
    return volumes
