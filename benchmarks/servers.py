"""The language servers a run compares, all started from the benchmark venv."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# pyflakes only: pylsp's other linters are off even if something pulled them in.
PYLSP_SETTINGS = {
    "pylsp": {
        "plugins": {
            "pyflakes": {"enabled": True},
            **{name: {"enabled": False} for name in (
                "pycodestyle", "mccabe", "pydocstyle", "pylint", "flake8", "autopep8", "yapf", "rope_autoimport",
            )},
        }
    }
}

# No Hub traffic on the keystroke path: live diagnostics off (the default) and the
# Hub client pointed at a closed local port in case anything tries.
HUBSAVE_OPTIONS = {"enable": True, "hub": {"enabled": False, "liveDiagnostics": False}}


@dataclass
class Server:
    name: str
    argv: list[str]
    initialization_options: Any = None
    settings: dict[str, Any] = field(default_factory=dict)  # answers workspace/configuration
    did_change_configuration: dict[str, Any] | None = None  # sent after initialized (pylsp)
    publishes_on_change: bool = True


def server_table(venv: Path) -> dict[str, Server]:
    bin_dir = venv / "bin"
    python = str(bin_dir / "python")
    return {
        "hubsave": Server("hubsave", [python, "-m", "hubsave", "lsp"], HUBSAVE_OPTIONS, {"hubsave": HUBSAVE_OPTIONS}),
        "ruff": Server("ruff", [str(bin_dir / "ruff"), "server"]),
        "pylsp": Server("pylsp", [str(bin_dir / "pylsp")], settings=PYLSP_SETTINGS,
                        did_change_configuration={"settings": PYLSP_SETTINGS}),
        "minimal-pygls": Server("minimal-pygls", [python, str(HERE / "minimal_pygls_server.py")]),
        "jedi-language-server": Server("jedi-language-server", [str(bin_dir / "jedi-language-server")],
                                       publishes_on_change=False),
    }


def server_env(hf_home: Path, hf_endpoint: str = "http://127.0.0.1:9") -> dict[str, str]:
    """The servers' environment: no real token, no real Hub, no user config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING_FACE", "PYTHON"))}
    env.update(HF_HOME=str(hf_home), HF_ENDPOINT=hf_endpoint, HF_HUB_DISABLE_TELEMETRY="1")
    return env
