"""HS109 reads the user's environment: only answers already cached on the keystroke
path, a list of the missing ones for the caller, and the CLI waits for them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from hubsave import envsig
from hubsave.analysis import Settings, analyze
from tests.user_env import make_user_env

SCRIPT = (
    "from trl import SFTConfig\n"
    'config = SFTConfig(output_dir="x", max_seq_length=512, num_train_epoch=3, push_to_hub=True, hub_model_id="alice/x")\n'
)


@pytest.fixture(scope="module")
def old_trl(tmp_path_factory):
    python = make_user_env(tmp_path_factory.mktemp("user") / "venv")
    yield python
    envsig.invalidate(python)


def _hs109(analysis):
    return {f.message.split(" does not accept ")[1].split(" ")[0]: f.message for f in analysis.findings if f.code == "HS109"}


def test_uncached_environment_is_asked_for_not_waited_on(old_trl):
    envsig.invalidate(old_trl)
    settings = Settings(python=old_trl, environment_signatures=True)
    analysis = analyze(SCRIPT, "train.py", settings)
    # Silent until the environment answers (it may accept more than the bundled schema)...
    assert _hs109(analysis) == {}
    assert {(r.qualname, r.python) for r in analysis.signature_requests} == {("trl.SFTConfig", old_trl)}
    # ...and the analysis itself started no lookup.
    assert envsig.peek("trl.SFTConfig", old_trl) == (False, None)


def test_cached_environment_wins_over_the_bundled_schema(old_trl):
    assert "max_seq_length" in envsig.accepted_keywords("trl.SFTConfig", old_trl, timeout=60)
    analysis = analyze(SCRIPT, "train.py", Settings(python=old_trl, environment_signatures=True))
    found = _hs109(analysis)
    assert set(found) == {"num_train_epoch"}  # the old trl takes max_seq_length
    assert "the installed trl" in found["num_train_epoch"] and "did you mean num_train_epochs?" in found["num_train_epoch"]
    assert not analysis.signature_requests


def test_bundled_schema_without_environment_signatures(old_trl):
    found = _hs109(analyze(SCRIPT, "train.py", Settings(python=old_trl)))
    assert set(found) == {"max_seq_length", "num_train_epoch"}
    assert "(trl 1.16.0)" in found["max_seq_length"] and "it was renamed max_length" in found["max_seq_length"]


def test_class_missing_from_the_environment_falls_back_to_the_bundled_schema(old_trl):
    text = 'from trl import DPOConfig\nDPOConfig(output_dir="d", betta=0.1, push_to_hub=True, hub_model_id="alice/d")\n'
    envsig.accepted_keywords("trl.DPOConfig", old_trl, timeout=60)  # not in the stand-in trl
    analysis = analyze(text, "t.py", Settings(python=old_trl, environment_signatures=True))
    assert [f.message for f in analysis.findings if f.code == "HS109"] == [
        "DPOConfig does not accept betta (trl 1.16.0): TypeError when the config is built, after the job has started; "
        "did you mean beta?"
    ]


def _check(path, *args):
    out = subprocess.run(
        [sys.executable, "-m", "hubsave", "check", "--format", "json", "--select", "HS109", *args, str(path)],
        capture_output=True, text=True, timeout=120,
    )
    return sorted((f["line"], f["message"].split(" does not accept ")[1].split(" ")[0]) for f in json.loads(out.stdout))


def test_cli_waits_for_the_environment(old_trl, tmp_path):
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)
    assert _check(script, "--python", old_trl) == [(2, "num_train_epoch")]
    assert _check(script) == [(2, "max_seq_length"), (2, "num_train_epoch")]  # hubsave's env has no trl
