"""Which option value of a command line is under the cursor (hover, completion).

Pure, and read from the line alone so that it works on the half-typed line an
editor sends: the value after `--flavor` (space or `=`), or a repo id after a
TRL script's `--hub_model_id`, `--model_name_or_path` or `--dataset_name`.
Gives the same `Slot` as a Python string does, so hover and completion treat
both alike.
"""

from __future__ import annotations

import re

from .findings import Span
from .hub_sites import RepoSite, is_repo_id
from .value_slots import Slot

# option -> (site kind, repo type); a TRL script pushes to --hub_model_id, reads the others.
REPO_OPTIONS = {
    "hub_model_id": ("push", "model"),
    "model_name_or_path": ("model", "model"),
    "dataset_name": ("dataset", "dataset"),
}
_VALUE = re.compile(r"--(?P<option>flavor|hub_model_id|model_name_or_path|dataset_name)(?:=|[ \t]+)"
                    r"(?P<quote>[\"']?)(?P<value>[^\s\"'\\;|&]*)")


def slot_at(lines: list[str], line: int, col: int) -> Slot | None:
    """The option value at (line, col), or the empty value right after `--flavor `."""
    if not 0 <= line < len(lines):
        return None
    for match in _VALUE.finditer(lines[line]):
        start, end = match.span("value")
        if not start <= col <= end:
            continue
        option, value = match.group("option"), match.group("value")
        content = Span(line, start, line, end)
        if option == "flavor":
            return Slot("flavor", content, value, job_form="cli")
        kind, repo_type = REPO_OPTIONS[option]
        if not is_repo_id(value):
            return None
        site = RepoSite(kind, value, repo_type, content, option, content)  # type: ignore[arg-type]
        return Slot("repo", content, value, site=site)
    return None
