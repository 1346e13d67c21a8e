"""A user's virtualenv with small stand-in `transformers` and `trl` packages (the real
ones need torch): an older trl whose SFTConfig still takes `max_seq_length`.

HS109 reads config signatures from such an environment with jedi (hubsave.envsig).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

PACKAGES = {
    "transformers/__init__.py": "from .training_args import TrainingArguments\n",
    "transformers/training_args.py": """
        from dataclasses import dataclass

        @dataclass
        class TrainingArguments:
            output_dir: str | None = None
            push_to_hub: bool = False
            hub_model_id: str | None = None
            learning_rate: float = 5e-5
            num_train_epochs: float = 3.0
    """,
    "trl/__init__.py": "from .sft_config import SFTConfig\n",
    "trl/sft_config.py": """
        from dataclasses import dataclass
        from transformers import TrainingArguments

        @dataclass
        class SFTConfig(TrainingArguments):
            max_seq_length: int | None = 1024
            packing: bool = False
    """,
}


def make_user_env(root: Path) -> str:
    """Create the venv under `root`; returns its interpreter's path."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    python = root / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    for rel, text in PACKAGES.items():
        path = Path(purelib) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return str(python)
