"""hubsave: catches Hugging Face training scripts and jobs that would lose their results.

`from hubsave import check_text, check_job`: the Python API (see hubsave.api),
imported on first use so `import hubsave` stays cheap.
"""

__version__ = "0.1.0"
__all__ = ["check_job", "check_text"]


def __getattr__(name: str):
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'hubsave' has no attribute {name!r}")
