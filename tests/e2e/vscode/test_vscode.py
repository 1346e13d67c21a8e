"""The VS Code end-to-end test, run from pytest so the main test command covers it.

It runs tests/e2e/vscode/run.sh (tools setup, .vsix build, code-server + Chromium) and
asserts on the result.json the node script writes. Slow (about 2 minutes warm): marked e2e.
"""

import json
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent
EXPECTED = {
    "error squiggle in submit_jobs.py (HS301)",
    "squiggle in train_sft.py (HS101)",
    "Problems panel lists HS101",
    "Problems panel lists HS301",
    "hover on the diagnostic shows HS101 and its message",
    "quick-fix menu offers push_to_hub=True",
    "the saved train_sft.py has push_to_hub=True",
    "HS101 is gone after the fix (HS301 stays)",
    "Problems panel lists HS102 from the notebook",
    "squiggle in the notebook cell (HS102)",
    "default settings: push_model.py shows HS204 and HS402, as hubsave check does",
    "status bar shows the hubsave server running",
    "a missing Python gives exactly one notification (no restart loop)",
}


@pytest.mark.e2e
def test_vscode_extension_end_to_end():
    result_file = HERE / "output" / "result.json"
    result_file.unlink(missing_ok=True)
    proc = subprocess.run(["bash", str(HERE / "run.sh")], capture_output=True, text=True, timeout=1500)
    log = (proc.stdout + proc.stderr)[-6000:]
    assert result_file.exists(), f"the e2e script wrote no result.json (exit {proc.returncode}):\n{log}"
    result = json.loads(result_file.read_text())
    failed = [c for c in result["checks"] if not c["ok"]]
    assert not failed, json.dumps(failed, indent=2)
    missing = EXPECTED - {c["name"] for c in result["checks"] if not c.get("skipped")}
    assert not missing, f"checks that did not run: {sorted(missing)}\n{log}"
    assert proc.returncode == 0, log
