#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what it needs, then runs pytest.
# Usage: bash scripts/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${VIRTUAL_ENV:-}" ]; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  # shellcheck disable=SC1091
  . .venv/bin/activate
fi
python -m pip install --quiet --upgrade pip
python -m pip install --quiet -e '.[test]'

# Real editors for the end-to-end tests (idempotent; cached under .e2e-tools/).
for setup in tests/e2e/*/setup.sh; do
  [ -f "$setup" ] && bash "$setup"
done

# npm for the client's unit tests and the .vsix builds, on a machine that has none: the
# Node 24 from PyPI that the VS Code setup uses (scripts/node.sh, cached).
command -v npm >/dev/null || PATH="$(bash scripts/node.sh | tail -n 1):$PATH"

python -m pytest "$@"
