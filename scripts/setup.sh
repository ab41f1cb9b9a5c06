#!/usr/bin/env bash
# Sourced by demo.sh and test.sh: a supported Node on PATH, dependencies exactly as locked, a fresh build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$repo_root"
# The tests of these scripts set CHAT_ROLE_SKIP_SETUP=1: the suite has set up already, and a build in the middle
# of it would rewrite dist/ under the tests that are running it.
if [ "${CHAT_ROLE_SKIP_SETUP:-}" = 1 ]; then return 0; fi
# Install only when the lock file changed since the last install: a second run starts in a second.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.chat-role-lock; then
  npm ci --no-audit --no-fund --loglevel=error >&2
  cp package-lock.json node_modules/.chat-role-lock
fi
npm run --silent build >&2
