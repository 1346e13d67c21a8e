"""Submitting the training scripts: the MCP tool form and the Python API."""

from huggingface_hub import get_token, run_uv_job

# The MCP tool an assistant calls (hf_jobs), as in the guide.
hf_jobs("uv", {
    "script": "https://huggingface.co/datasets/my-lab/scripts/resolve/main/train_sft.py",
    "flavor": "a10g-large",
    "dependencies": ["trl", "peft"],
})

# The Python API sends secrets verbatim: "$HF_TOKEN" is not expanded here.
job = run_uv_job(
    "examples/train_dpo_old_args.py",
    flavor="a10g-large",
    secrets={"HF_TOKEN": "$HF_TOKEN"},
)
print(job.url)

# The Python API uploads the local script; hubsave reads it too.
run_uv_job("train_sft.py", flavor="h100", timeout="4h", secrets={"HF_TOKEN": get_token()})
