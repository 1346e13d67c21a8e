#!/usr/bin/env bash
# Build dist/hubsave-<version>-<target>.vsix: bundle the Python server for one VS Code
# target platform, then vsce (which runs vscode:prepublish: typecheck + esbuild).
# Works offline once npm and pip have their packages. Prints the .vsix path last.
#   HUBSAVE_VSIX_TARGET=linux-x64|linux-arm64|darwin-x64|darwin-arm64|win32-x64  (default: this machine)
#   HUBSAVE_SERVER=<dir or wheel>                                 (default: this repo)
#   HUBSAVE_VSIX_OUT=<dir>                                        (default: dist)
#   PYTHON=<python with pip>                                      (default: python3)
set -euo pipefail
cd "$(dirname "$0")/../.."

"${PYTHON:-python3}" client/scripts/bundle_server.py \
  ${HUBSAVE_VSIX_TARGET:+--target "$HUBSAVE_VSIX_TARGET"} ${HUBSAVE_SERVER:+--server "$HUBSAVE_SERVER"}

version=$(node -p "require('./package.json').version")
target=$(cat bundled/libs/TARGET)
out="${HUBSAVE_VSIX_OUT:-dist}/hubsave-$version-$target.vsix"
mkdir -p "$(dirname "$out")"
# The bundled libcst is compiled for one platform, so the .vsix is platform-specific.
npx vsce package --no-dependencies --target "$target" --readme-path client/README.md --out "$out" >&2
echo "$out"
