"""Hover over a repo id, uncached then cached, against the local stand-in Hub (tests/hubstub)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HUBSTUB = ROOT / "tests" / "hubstub"


async def measure_hover(runs: int, venv: Path, workspace: Path, env: dict, logs: Path) -> dict:
    if not HUBSTUB.is_dir():
        return {"skipped": "no local stand-in Hub in this checkout (tests/hubstub/)"}
    return {"skipped": "tests/hubstub/ found but the hover benchmark is not wired to it yet"}
