# /// script
# dependencies = ["trl"]
# ///
"""A DPO run written for transformers 4.x: the hub arguments it uses are gone in 5.0."""

from datasets import load_dataset
from trl import DPOConfig, DPOTrainer

dataset = load_dataset("trl-lib/ultrafeedback_binarized", split="train")

args = DPOConfig(
    output_dir="qwen-dpo",
    push_to_hub=True,
    push_to_hub_model_id="qwen-dpo",
    push_to_hub_organization="my-lab",
    beta=0.1,
)

trainer = DPOTrainer(model="Qwen/Qwen2.5-0.5B-Instruct", args=args, train_dataset=dataset)
trainer.train()
trainer.push_to_hub()
