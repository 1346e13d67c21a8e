"""hubsave: catches Hugging Face training scripts and jobs that would lose their results."""

__version__ = "0.1.0"
