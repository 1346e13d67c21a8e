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
    "error squiggle in launch_sft.sh (HS301)",
    "quick-fix menu in the shell script offers --secrets HF_TOKEN",
    "the quick fix adds --secrets HF_TOKEN to the command line",
    "default settings: push_model.py shows HS204 and HS402, as hubsave check does",
    "status bar shows the hubsave server running",
    "a missing Python gives exactly one notification (no restart loop)",
}


# Restricted Mode (issue 13): code-server WITHOUT --disable-workspace-trust, the workspace
# not trusted, and a repository that names its own program as the interpreter.
EXPECTED_RESTRICTED = {
    "restricted: VS Code runs the workspace in Restricted Mode",
    "restricted: squiggle in train.py (HS109)",
    "restricted: Problems panel lists HS109 from the bundled schema",
    "restricted: the hubsave status bar item says Restricted Mode",
    "restricted: the repository's program never ran",
    "restricted: one notification that pyproject.toml's interpreter is ignored",
}


def run_e2e(output: Path, expected: set[str], *args: str) -> None:
    result_file = output / "result.json"
    result_file.unlink(missing_ok=True)
    proc = subprocess.run(["bash", str(HERE / "run.sh"), *args], capture_output=True, text=True, timeout=1500)
    log = (proc.stdout + proc.stderr)[-6000:]
    assert result_file.exists(), f"the e2e script wrote no result.json (exit {proc.returncode}):\n{log}"
    result = json.loads(result_file.read_text())
    failed = [c for c in result["checks"] if not c["ok"]]
    assert not failed, json.dumps(failed, indent=2)
    missing = expected - {c["name"] for c in result["checks"] if not c.get("skipped")}
    assert not missing, f"checks that did not run: {sorted(missing)}\n{log}"
    assert proc.returncode == 0, log


@pytest.mark.e2e
def test_vscode_extension_end_to_end():
    run_e2e(HERE / "output", EXPECTED)


@pytest.mark.e2e
def test_vscode_restricted_mode_uses_the_bundled_server():
    run_e2e(HERE / "output" / "restricted", EXPECTED_RESTRICTED, "--restricted")
