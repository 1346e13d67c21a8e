from trl import SFTConfig

# Modèle 🤗 : cette configuration ne pousse jamais vers le Hub.
configs = {"🤗 modèle": SFTConfig(output_dir="qwen-sft", num_train_epochs=3)}
