"""Submitting the training scripts: the MCP tool form and the Python API."""

from huggingface_hub import run_uv_job

# The MCP tool an assistant calls (hf_jobs), as in the guide.
hf_jobs("uv", {
    "script": "https://huggingface.co/datasets/my-lab/scripts/resolve/main/train_sft.py",
    "flavor": "a10g-large",
})

# The Python API sends secrets verbatim: "$HF_TOKEN" is not expanded here.
job = run_uv_job(
    "examples/train_dpo_old_args.py",
    flavor="a10g-large",
    secrets={"HF_TOKEN": "$HF_TOKEN"},
)
print(job.url)
