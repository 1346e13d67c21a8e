# /// script
# dependencies = ["trl>=1.0", "peft"]
# ///
"""Fine-tune Qwen on Capybara with LoRA: meant to run as a Hugging Face Job."""

from datasets import load_dataset
from peft import LoraConfig
from trl import SFTConfig, SFTTrainer

dataset = load_dataset("trl-lib/Capybara", split="train")

config = SFTConfig(
    output_dir="qwen-capybara-sft",
    num_train_epochs=3,
    per_device_train_batch_size=4,
    learning_rate=2e-4,
    logging_steps=10,
    model_init_kwargs={"attn_implementation": "flash_attention_2"},
)

trainer = SFTTrainer(
    model="Qwen/Qwen2.5-0.5B",
    train_dataset=dataset,
    args=config,
    peft_config=LoraConfig(r=16, lora_alpha=32),
)
trainer.train()
