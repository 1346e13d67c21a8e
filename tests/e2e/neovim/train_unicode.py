from trl import SFTConfig

# Modèle 🤗 : cette configuration ne pousse jamais vers le Hub.
configs = {"🤗 modèle": SFTConfig(output_dir="qwen-sft", num_train_epochs=3, hub_model_id="alice/qwen-sft")}
autre = SFTConfig(output_dir="autre", push_to_hub=True)
