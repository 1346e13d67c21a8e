"""Checking a tree in several processes gives what one process gives, in the same order."""

from __future__ import annotations

import os
from dataclasses import asdict

from hubsave.check import PARALLEL_THRESHOLD, run_check
from hubsave.cli_settings import CheckSettings

from .conftest import EXAMPLE_DIRS


def test_processes_give_the_serial_results_in_order(tmp_path, monkeypatch):
    sources = [p for folder in EXAMPLE_DIRS for p in sorted(folder.rglob("*.py"))]
    for i in range(2 * PARALLEL_THRESHOLD + 7):  # several chunks per process, the last one short
        target = tmp_path / f"pkg{i % 5}" / f"f{i:03d}.py"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(sources[i % len(sources)].read_bytes())
    (tmp_path / "pkg0" / "broken.py").write_text("from trl import SFTConfig\nSFTConfig(\n")
    (tmp_path / "pkg1" / "binary.py").write_bytes(b"push_to_hub\x00")

    def check_with(cpus: int) -> list[dict]:
        monkeypatch.setattr(os, "cpu_count", lambda: cpus)
        problems: list[str] = []
        return [asdict(r) for r in run_check([str(tmp_path)], False, CheckSettings(), problems)]

    serial = check_with(1)
    assert sum(bool(r["findings"]) for r in serial) > PARALLEL_THRESHOLD
    assert any(r["syntax_error"] for r in serial) and any(r["error"] for r in serial)
    assert check_with(2) == serial
    assert check_with(3) == serial
