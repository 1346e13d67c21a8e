"""Whether a job clearly neither trains nor pushes (`python -c "print(1)"`, `echo hi`):
the one decision that keeps HS301 and HS304 quiet on demo jobs, for command lines
and for Python/MCP submissions alike."""

from __future__ import annotations

from typing import Sequence

# Words any training or upload command names: a script, a launcher, a TRL command, the Hub call.
_TRAINS_OR_PUSHES = ("train", "trl", "accelerate", "sft", "dpo", "grpo", "finetune", "fine-tune", "push", "upload")


def clearly_does_not_train(parts: Sequence[str] | None) -> bool:
    """The job's image and command (or inline script), every part known, mention neither
    training nor pushing. None (a part unknown) is never clear."""
    if parts is None:
        return False
    text = " ".join(parts).lower()
    return not any(word in text for word in _TRAINS_OR_PUSHES)
