"""hubsave for coding agents: a job submission checked as the agent is about to send it.

`payload` writes a submission given as JSON as the call the analysis reads, `job_check`
checks it (the Python API's `check_job`), `mcp_server` serves the tools over MCP (the
`mcp` extra; imported only by `hubsave mcp`). See docs/agents.md.
"""
