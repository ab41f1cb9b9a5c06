#!/usr/bin/env bash
# Sourced by demo.sh and test.sh: a supported Node on PATH, dependencies exactly as locked, a fresh build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$repo_root"
# Install only when the lock file changed since the last install: a second run starts in a second.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.chat-role-lock; then
  npm ci --no-audit --no-fund --loglevel=error >&2
  cp package-lock.json node_modules/.chat-role-lock
fi
npm run --silent build >&2
