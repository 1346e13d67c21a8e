"""Names and values from FACTS.md that recognition and rules share.

Kept as plain constants so the keystroke path needs no data file.
"""

from __future__ import annotations

# transformers.TrainingArguments and every TRL config that subclasses it,
# stable, experimental and older releases' names (RULES.md, "What counts").
TRAINER_CONFIGS = frozenset(
    {
        "TrainingArguments",
        "Seq2SeqTrainingArguments",
        "SFTConfig",
        "DPOConfig",
        "GRPOConfig",
        "KTOConfig",
        "RewardConfig",
        "RLOOConfig",
        "DistillationConfig",
        "A2POConfig",
        "AsyncDistillationConfig",
        "AsyncGRPOConfig",
        "CPOConfig",
        "ORPOConfig",
        "OnlineDPOConfig",
        "TPOConfig",
        "IWOPDConfig",
        "SDFTConfig",
        "SDPOConfig",
        "GKDConfig",
        "GOLDConfig",
        "GMPOConfig",
        "ServerDistillationConfig",
        "PPOConfig",
        "BCOConfig",
        "XPOConfig",
        "NashMDConfig",
        "PRMConfig",
        "AlignPropConfig",
        "DDPOConfig",
        "IterativeSFTConfig",
    }
)
CONFIG_PACKAGES = frozenset({"trl", "transformers"})

# Job submissions, Python API (module functions and HfApi methods).
PYTHON_JOB_FUNCTIONS = frozenset(
    {"run_uv_job", "run_job", "create_scheduled_uv_job", "create_scheduled_job"}
)
UV_JOB_FUNCTIONS = frozenset({"run_uv_job", "create_scheduled_uv_job"})
MCP_JOB_TOOL = "hf_jobs"
# MCP operations that start (or schedule) a job; the others only read or manage one.
MCP_RUNNING_OPERATIONS = frozenset({"uv", "run", "scheduled uv", "scheduled run"})
MCP_UV_OPERATIONS = frozenset({"uv", "scheduled uv"})

# The MCP tool replaces exactly these with the user's token.
MCP_TOKEN_PLACEHOLDERS = frozenset({"$HF_TOKEN", "${HF_TOKEN}"})
TOKEN_NAMES = frozenset({"HF_TOKEN"})

# Calls that upload to the Hub on their own: a script using one "pushes another way".
UPLOAD_FUNCTIONS = frozenset(
    {"push_to_hub", "upload_folder", "upload_file", "upload_large_folder", "create_commit"}
)

HUB_STRATEGIES = ("end", "every_save", "checkpoint", "all_checkpoints")
SAVE_STRATEGIES = ("no", "epoch", "steps", "best")

REMOVED_HUB_ARGUMENTS = ("push_to_hub_model_id", "push_to_hub_organization", "push_to_hub_token")

DEFAULT_OUTPUT_DIR = "trainer_output"
DEFAULT_JOB_TIMEOUT = "2h"
