"""Runs the VS Code client's TypeScript unit tests (node's test runner) from pytest, so the
main test command covers them: `npm run test:unit` (interpreter selection, Python check)."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_client_unit_tests_pass():
    if not (ROOT / "node_modules" / ".package-lock.json").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True, capture_output=True, timeout=600)
    proc = subprocess.run(["npm", "run", "--silent", "test:unit"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    passed = int(re.search(r"^# pass (\d+)$", out, re.M).group(1))
    assert re.search(r"^# fail 0$", out, re.M) and passed >= 10, out[-4000:]
