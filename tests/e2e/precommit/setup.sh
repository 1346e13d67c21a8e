#!/usr/bin/env bash
# What the CI-integration tests need, idempotent:
# - git and patch (tests/cli/test_diff.py applies --diff with both; pre-commit needs git);
# - the wheels that `pip install .` of this repository needs (its dependencies and the
#   build backend), so that tests/e2e/precommit runs pre-commit without any network:
#   the test points pip at this folder with PIP_NO_INDEX.
set -euo pipefail
cd "$(dirname "$0")/../../.."
missing=()
for tool in git patch; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
dest=.e2e-tools/wheelhouse
mkdir -p "$dest"
python -m pip download --quiet --disable-pip-version-check -d "$dest" . 'setuptools>=77'
