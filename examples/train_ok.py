# /// script
# dependencies = ["trl>=1.0"]
# ///
"""A script that keeps its results: hubsave has nothing to say about it."""

from datasets import load_dataset
from trl import SFTConfig, SFTTrainer

config = SFTConfig(
    output_dir="qwen-sft",
    push_to_hub=True,
    hub_model_id="my-lab/qwen-sft",
    save_strategy="steps",
    save_steps=200,
    save_total_limit=3,
)
trainer = SFTTrainer(
    model="Qwen/Qwen2.5-0.5B",
    train_dataset=load_dataset("trl-lib/Capybara", split="train"),
    args=config,
)
trainer.train()
trainer.push_to_hub()
