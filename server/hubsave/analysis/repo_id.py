"""Hub repo ids as huggingface_hub's `validate_repo_id` sees them, and their repair.

Pure string functions shared by the HS2xx rules and Hub hover: `problem()` says
why an id fails validation (None when it passes), `repair()` proposes the fix
only when there is a single obvious one, and `looks_like_local_path()` tells the
`from_pretrained("./out")` kind of argument apart from an id.
"""

from __future__ import annotations

import re

MAX_PART = 96
_PART = re.compile(r"[A-Za-z0-9_.-]+")
# A repo URL pasted where the id goes: only the model form is unambiguous
# (`/datasets/...` and `/spaces/...` also need a repo_type).
_MODEL_URL = re.compile(r"^(?:https?://)?(?:huggingface\.co|hf\.co)/(?P<id>[^/\s]+/[^/\s]+?)/?$")


def split(repo_id: str) -> tuple[str | None, str]:
    """`("alice", "model")` for `alice/model`, `(None, "model")` for `model`."""
    namespace, slash, name = repo_id.rpartition("/")
    return (namespace if slash else None), name


_SPACE = re.compile(r"\s")  # for str patterns, exactly the characters str.isspace() accepts


def has_space(text: str) -> bool:
    """`any(c.isspace() for c in text)`, searched in C."""
    return _SPACE.search(text) is not None


def problem(repo_id: str) -> str | None:
    """Why huggingface_hub rejects `repo_id` (HFValidationError), or None when it is valid.

    The rules (huggingface_hub `validate_repo_id`): `name` or `namespace/name`;
    each part `[A-Za-z0-9_.-]{1,96}`, not starting or ending with `-` or `.`;
    no `--`, no `..`; no `.git` suffix.
    """
    if repo_id.count("/") > 1:
        return "more than one '/'"
    if has_space(repo_id):
        return "contains a space"
    for part in repo_id.split("/"):
        if not part:
            return "has an empty part"
        if not _PART.fullmatch(part):
            bad = next(c for c in part if not _PART.fullmatch(c))
            return f"contains {bad!r} (only letters, digits, '-', '_' and '.' are allowed)"
        if len(part) > MAX_PART:
            return f"a part is longer than {MAX_PART} characters"
        if part[0] in "-." or part[-1] in "-.":
            return "a part starts or ends with '-' or '.'"
    if "--" in repo_id or ".." in repo_id:
        return "contains '--' or '..'"
    if repo_id.endswith(".git"):
        return "ends with '.git'"
    return None


def repair(repo_id: str) -> str | None:
    """The one obvious valid spelling of an invalid id, or None when it is a guess.

    Repaired: surrounding spaces, inner runs of spaces (to `-`), doubled `-`/`.`,
    a leading or trailing `-`/`.` on a part, a `.git` suffix, a pasted model URL.
    """
    text = repo_id.strip()
    url = _MODEL_URL.match(text)
    if url:
        text = url.group("id")
    if text.count("/") > 1:
        return None
    parts = []
    for part in text.split("/"):
        part = re.sub(r"\s+", "-", part.strip())
        if part.endswith(".git"):
            part = part[: -len(".git")]
        part = re.sub(r"-{2,}", "-", part)
        part = re.sub(r"\.{2,}", ".", part)
        parts.append(part.strip("-."))
    fixed = "/".join(parts)
    return fixed if fixed != repo_id and problem(fixed) is None else None


def looks_like_local_path(value: str) -> bool:
    """A string that names a local file or folder rather than a Hub repo.

    Loaders (`from_pretrained`, `load_dataset`, a trainer's `model=`) accept both;
    these spellings are never ids: `./out`, `/data/ckpt`, `~/m`, `C:\\m`,
    `runs/exp/checkpoint-500` (more than one `/`), `config.json`-like file names.
    """
    text = value.strip()
    if not text:
        return True
    if text.startswith((".", "/", "~")) or "\\" in text or ":" in text:
        return True
    if text.count("/") > 1:
        return True
    return bool(re.search(r"\.(json|ya?ml|py|txt|csv|parquet|arrow|jsonl|bin|safetensors|pt|gguf)$", text, re.I))


def clearly_an_id(value: str) -> bool:
    """A loader argument that can only be meant as a Hub id (`org/name`-shaped, no path marks).

    Spaces are allowed through as path marks too: `runs/my run` is a folder as often
    as `org/my model` is a mistake, so neither is flagged.
    """
    if looks_like_local_path(value) or has_space(value):
        return False
    namespace, _ = split(value)
    return namespace is not None and problem(namespace) is None
