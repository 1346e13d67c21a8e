hf_jobs("uv", {
    "script": "production_train.py",
    "flavor": "a10g-large",
    "timeout": "6h",
    "secrets": {"HF_TOKEN": "$HF_TOKEN"}
})
# The guide's "wrong" snippets, in the submission they belong to.
hf_jobs("uv", {"script": "train.py", "timeout": "2h", "secrets": {"HF_TOKEN": "hf_abc123..."}})
hf_jobs("uv", {"script": "train.py", "timeout": "2h", "env": {"HF_TOKEN": "hf_abc123..."}})
