"""benchmarks/.venv: the reference tools and hubsave in one interpreter, made on first run.

Re-installed when requirements.txt or the project's pyproject.toml change (a stamp
file holds their hash), so a fresh machine needs only `python benchmarks/run.py`.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV = HERE / ".venv"
STAMP = VENV / ".bench-stamp"


def hubsave_present() -> bool:
    return (ROOT / "server" / "hubsave" / "__init__.py").exists()


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (HERE / "requirements.txt", ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    digest.update(str(hubsave_present()).encode())
    return digest.hexdigest()


def ensure_venv(log=print) -> Path:
    """Create or refresh benchmarks/.venv; return its path."""
    wanted = _fingerprint()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return VENV
    if not (VENV / "bin" / "python").exists():
        log(f"creating {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    log("installing reference tools (requirements.txt)")
    subprocess.run(pip + ["-r", str(HERE / "requirements.txt")], check=True)
    if hubsave_present():
        log("installing hubsave (editable) into the benchmark venv")
        subprocess.run(pip + ["-e", str(ROOT)], check=True)
    STAMP.write_text(wanted)
    return VENV


def running_in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()
