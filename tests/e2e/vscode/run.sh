#!/usr/bin/env bash
# One command for the VS Code end-to-end test:
#   install the tools (idempotent), build the .vsix from this checkout, and drive it
#   in code-server + Chromium. Output: tests/e2e/vscode/output/ (result.json, screenshots).
#   HUBSAVE_E2E_VSIX=<file> skips the build and tests that .vsix instead.
set -euo pipefail
cd "$(dirname "$0")/../../.."

tools=$(bash tests/e2e/vscode/setup.sh | tail -n 1)
set -a; . "$tools/env.sh"; set +a
# npm and node for building the .vsix: the tools' Node 24, so no npm must be installed.
export PATH="$HUBSAVE_E2E_NODE_BIN:$PATH"

# npm ci only when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

vsix="${HUBSAVE_E2E_VSIX:-}"
if [ -z "$vsix" ]; then
  vsix=$(npm run --silent package | tail -n 1)
fi
exec node tests/e2e/vscode/e2e.mjs --vsix "$vsix" "$@"
