# An HF Jobs submission through the MCP tool: the job has no HF_TOKEN, so it cannot push.
hf_jobs("uv", {
    "script": "https://huggingface.co/datasets/trl-lib/scripts/resolve/main/sft.py",
    "flavor": "a10g-large",
    "timeout": "2h",
})
