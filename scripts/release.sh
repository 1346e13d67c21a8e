#!/usr/bin/env bash
# The release: every artifact of this version into dist/ (or $HUBSAVE_RELEASE_OUT):
#   hubsave-<version>.tar.gz and hubsave-<version>-py3-none-any.whl (python -m build,
#   checked with twine check), and hubsave-<version>-<target>.vsix for each VS Code
#   target, each carrying that wheel and the native libraries of its platform for
#   CPython 3.10-3.14 (client/scripts/bundle_server.py).
# Usage: bash scripts/release.sh [TARGET...]   (default: all five targets)
# Needs Python 3.10+ with pip and venv, and network to PyPI and the npm registry; uses npm
# from PATH, else Node 24 from PyPI (scripts/node.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64)
out="${HUBSAVE_RELEASE_OUT:-dist}"
log() { echo "[release] $*" >&2; }

if [ -z "${VIRTUAL_ENV:-}" ]; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  # shellcheck disable=SC1091
  . .venv/bin/activate
fi
python -c "import build, twine" 2>/dev/null || python -m pip install --quiet --disable-pip-version-check 'build>=1.2' 'twine>=6.1'
command -v npm >/dev/null || PATH="$(bash scripts/node.sh | tail -n 1):$PATH"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi

version=$(node -p "require('./package.json').version")
mkdir -p "$out"
rm -f "$out/hubsave-$version"*.vsix "$out/hubsave-$version"*.whl "$out/hubsave-$version.tar.gz"

log "sdist and wheel"
python -m build --sdist --wheel --outdir "$out" . >&2
wheel="$out/hubsave-$version-py3-none-any.whl"
sdist="$out/hubsave-$version.tar.gz"
# One version: the Python package's (hubsave.__version__) must be package.json's.
[ -f "$wheel" ] && [ -f "$sdist" ] || { log "no $wheel or $sdist: pyproject.toml's version is not package.json's $version"; exit 1; }
python -m twine check --strict "$wheel" "$sdist" >&2

files=("$sdist" "$wheel")
for target in "${targets[@]}"; do
  log ".vsix for $target"
  files+=("$(HUBSAVE_VSIX_TARGET="$target" HUBSAVE_SERVER="$wheel" HUBSAVE_VSIX_OUT="$out" PYTHON=python \
    bash client/scripts/package.sh | tail -n 1)")
done

log "built:"
ls -l "${files[@]}"
