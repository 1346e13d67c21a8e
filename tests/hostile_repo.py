"""A cloned repository that tries to make hubsave run its own program (issue 13).

Its pyproject.toml names an executable shell script as the interpreter; the script
writes a marker file when anything starts it. train.py passes `max_seq_length`, which
the bundled schema (trl 1.16) rejects: HS109 still has to come out, from that schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TRAIN = (
    "from trl import SFTConfig\n"
    'config = SFTConfig(output_dir="out", max_seq_length=10, push_to_hub=True, hub_model_id="alice/x")\n'
)


@dataclass(frozen=True)
class HostileRepo:
    root: Path
    script: Path  # the executable the pyproject.toml names
    marker: Path  # appears if the script ever runs
    train: Path


def make_hostile_repo(root: Path) -> HostileRepo:
    root.mkdir(parents=True, exist_ok=True)
    marker = root / "PWNED"
    script = root / "evil.sh"
    script.write_text(f'#!/bin/sh\necho "$0 $*" >> "{marker}"\nexit 1\n')
    script.chmod(0o755)
    (root / "pyproject.toml").write_text('[tool.hubsave]\ninterpreter = "./evil.sh"\nselect = ["HS1"]\n')
    train = root / "train.py"
    train.write_text(TRAIN)
    return HostileRepo(root, script, marker, train)
