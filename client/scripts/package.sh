#!/usr/bin/env bash
# Build hubsave-<version>.vsix: bundle the Python server, then vsce (which runs
# vscode:prepublish: typecheck + esbuild). Works offline once npm and pip have their packages.
#   HUBSAVE_VSIX_TARGET=linux-arm64|darwin-arm64|win32-x64|...  (default: this machine)
#   HUBSAVE_SERVER=<dir or wheel>                                 (default: this repo)
#   PYTHON=<python with pip>                                      (default: python3)
set -euo pipefail
cd "$(dirname "$0")/../.."

"${PYTHON:-python3}" client/scripts/bundle_server.py \
  ${HUBSAVE_VSIX_TARGET:+--target "$HUBSAVE_VSIX_TARGET"} ${HUBSAVE_SERVER:+--server "$HUBSAVE_SERVER"}

version=$(node -p "require('./package.json').version")
license_flag=()
ls LICENSE* >/dev/null 2>&1 || license_flag=(--skip-license)
# The bundled libcst is compiled for one platform, so the .vsix is platform-specific.
npx vsce package --no-dependencies --allow-missing-repository "${license_flag[@]}" \
  --target "$(cat bundled/libs/TARGET)" --readme-path client/README.md --out "hubsave-$version.vsix"
ls -l "hubsave-$version.vsix"
