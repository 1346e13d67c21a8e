#!/usr/bin/env bash
# Wheels that `pip install .` of this repository needs (its dependencies and the
# build backend), so that tests/e2e/precommit runs pre-commit without any network:
# the test points pip at this folder with PIP_NO_INDEX. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../../.."
dest=.e2e-tools/wheelhouse
mkdir -p "$dest"
python -m pip download --quiet --disable-pip-version-check -d "$dest" . 'setuptools>=68'
