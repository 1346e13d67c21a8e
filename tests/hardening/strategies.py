"""Hypothesis strategies: realistic training scripts, and the edits people make to them."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted(
    [*(ROOT / "tests" / "fixtures" / "rules").glob("*.py"), *(ROOT / "tests" / "fixtures" / "seed").glob("*.py"), *(ROOT / "examples").rglob("*.py")]
)
TEXTS = [p.read_text(encoding="utf-8") for p in CORPUS]

SNIPPETS = [
    "(", ")", "[", "]", "{", "}", '"', "'", '"""', ",", ":", "=", "\n", "\r\n", "\r", "\t", "    ", "\\",
    "push_to_hub=True", "push_to_hub=False", "hub_model_id=", '"alice/x"', "SFTConfig(", "hf_jobs(\"uv\", {",
    '"secrets": {"HF_TOKEN": "$HF_TOKEN"}', "run_uv_job(", "**kw", "# hubsave: ignore", "\x00", "🤗", "é",
    "f\"your-username/{name}\"", "lambda: (", "def f(:", "class X(SFTConfig):", "import trl as t\n",
    "((((((((((((((((((((", "x" * 500, "\u2028", "\x0c",
    "script_args=[", '"--push_to_hub", ', '"--output_dir", "/mnt/x", ', 'command=["trl", "sft", ',
    '"https://raw.githubusercontent.com/huggingface/trl/main/trl/scripts/sft.py"', "# [tool.hf-jobs]\n",
    "volumes=[Volume(type=\"bucket\", mount_path=\"/mnt\")], ",
]


@st.composite
def edited_script(draw) -> str:
    """A corpus script with a few insertions, deletions and pastes applied."""
    text = draw(st.sampled_from(TEXTS))
    for _ in range(draw(st.integers(0, 6))):
        if not text:
            text = draw(st.sampled_from(SNIPPETS))
            continue
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "paste", "random"]))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(SNIPPETS)) + text[at:]
        elif kind == "delete":
            end = min(len(text), at + draw(st.integers(1, 40)))
            text = text[:at] + text[end:]
        elif kind == "paste":
            other = draw(st.sampled_from(TEXTS))
            start = draw(st.integers(0, len(other)))
            text = text[:at] + other[start : start + draw(st.integers(1, 400))] + text[at:]
        else:
            text = text[:at] + draw(st.text(max_size=30)) + text[at:]
    return text
