"""HF Jobs hardware (flavor) names with what they run on, for completions.

Names are the ones HS305 checks (huggingface_hub's ``JobHardware``; the MCP tool's enum).
Details from the Hub's public hardware table: GPU model, count and memory per flavor.
"""

from __future__ import annotations

from .rules.job_options import JOB_HARDWARE, MCP_FLAVORS

# name -> detail shown next to the completion
DETAILS: dict[str, str] = {
    "cpu-basic": "CPU only · 2 vCPU, 16 GB RAM (the default)",
    "cpu-upgrade": "CPU only · 8 vCPU, 32 GB RAM",
    "cpu-performance": "CPU only · more vCPU and RAM than cpu-upgrade",
    "cpu-xl": "CPU only · 16 vCPU, 124 GB RAM",
    "t4-small": "1x NVIDIA T4 · 16 GB GPU memory",
    "t4-medium": "1x NVIDIA T4 · 16 GB GPU memory, more CPU RAM",
    "l4x1": "1x NVIDIA L4 · 24 GB GPU memory",
    "l4x4": "4x NVIDIA L4 · 96 GB GPU memory (4x 24 GB)",
    "l40sx1": "1x NVIDIA L40S · 48 GB GPU memory",
    "l40sx4": "4x NVIDIA L40S · 192 GB GPU memory (4x 48 GB)",
    "l40sx8": "8x NVIDIA L40S · 384 GB GPU memory (8x 48 GB)",
    "a10g-small": "1x NVIDIA A10G · 24 GB GPU memory",
    "a10g-large": "1x NVIDIA A10G · 24 GB GPU memory, more CPU RAM",
    "a10g-largex2": "2x NVIDIA A10G · 48 GB GPU memory (2x 24 GB)",
    "a10g-largex4": "4x NVIDIA A10G · 96 GB GPU memory (4x 24 GB)",
    "a100-large": "1x NVIDIA A100 · 80 GB GPU memory",
    "a100x4": "4x NVIDIA A100 · 320 GB GPU memory (4x 80 GB)",
    "a100x8": "8x NVIDIA A100 · 640 GB GPU memory (8x 80 GB)",
    "h200": "1x NVIDIA H200 · 141 GB GPU memory",
    "h200x2": "2x NVIDIA H200 · 282 GB GPU memory (2x 141 GB)",
    "h200x4": "4x NVIDIA H200 · 564 GB GPU memory (4x 141 GB)",
    "h200x8": "8x NVIDIA H200 · 1128 GB GPU memory (8x 141 GB)",
    "rtx-pro-6000": "1x NVIDIA RTX PRO 6000 · 96 GB GPU memory",
    "rtx-pro-6000x2": "2x NVIDIA RTX PRO 6000 · 192 GB GPU memory (2x 96 GB)",
    "rtx-pro-6000x4": "4x NVIDIA RTX PRO 6000 · 384 GB GPU memory (4x 96 GB)",
    "rtx-pro-6000x8": "8x NVIDIA RTX PRO 6000 · 768 GB GPU memory (8x 96 GB)",
    "sprx8": "CPU only (MCP tool only)",
    "zero-a10g": "ZeroGPU A10G share (MCP tool only)",
    "inf2x6": "6x AWS Inferentia2 accelerators (MCP tool only)",
}


def hardware_for(job_form: str | None) -> dict[str, str]:
    """The flavors a submission of this form accepts (the MCP tool checks its enum), with details."""
    names = MCP_FLAVORS if job_form == "mcp" else JOB_HARDWARE
    return {name: DETAILS.get(name, "") for name in names}
