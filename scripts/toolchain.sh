#!/usr/bin/env bash
# Sourced by the other scripts: puts a supported Node (>= 22) first on PATH.
# The machine may ship an end-of-life Node 20; then Node 24 LTS comes from the npm registry
# (package `node`, which installs the platform binary as a registry package) into .tools/.
# Pinned so that every machine and CI run the same runtime.
NODE_PIN="24.21.0"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$repo_root/.tools"

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if command -v node >/dev/null 2>&1 && [ "$(node_major node)" -ge 22 ]; then
  :
else
  if [ ! -x "$tools/node_modules/node/bin/node" ] || [ "$("$tools/node_modules/node/bin/node" -v)" != "v$NODE_PIN" ]; then
    echo "chat-role: installing Node $NODE_PIN from the npm registry into .tools/ (machine has $(node -v 2>/dev/null || echo none))" >&2
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error "node@$NODE_PIN" >&2
  fi
  export PATH="$tools/node_modules/node/bin:$PATH"
fi
# Tests and demos talk to loopback only: never probe the cloud metadata server.
export METADATA_SERVER_DETECTION="${METADATA_SERVER_DETECTION:-none}"
