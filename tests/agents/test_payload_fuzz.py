"""Whatever JSON an agent sends, check_job answers plain data or a PayloadError: never a crash."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubsave import check_job
from hubsave.agents.payload import PayloadError

KEYS = st.sampled_from(["script", "script_args", "secrets", "env", "timeout", "flavor", "with_deps", "dependencies",
                        "command", "image", "HF_TOKEN", "volumes", "x y", "1", ""]) | st.text(max_size=8)  # fmt: skip
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.sampled_from(
    ["$HF_TOKEN", "2h", "a10g-large", "train.py", "https://x/sft.py", "--push_to_hub", "hf_" + "Zq8" * 12,
     "import trl\nfrom trl import SFTConfig\nSFTConfig(output_dir='o')\n"]
) | st.text(max_size=20)  # fmt: skip
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
                    max_leaves=12)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    form=st.sampled_from([("operation", "uv"), ("operation", "run"), ("function", "run_uv_job"), ("function", "run_job")]),
    args=st.dictionaries(KEYS, JSON, max_size=5) | JSON,
)
def test_any_arguments_give_an_answer_or_a_clear_error(tmp_path_factory, form, args):
    workspace = tmp_path_factory.getbasetemp()
    try:
        report = check_job(**{form[0]: form[1]}, args=args, workspace=str(workspace))
    except PayloadError as exc:
        assert str(exc) and "Zq8Zq8" not in str(exc)
        return
    text = json.dumps(report)
    assert json.loads(text) == report and "Zq8Zq8" not in text
    assert report["ok"] == (report["findings"] == [])
