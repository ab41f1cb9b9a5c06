#!/usr/bin/env bash
# The test command: sets up on a fresh machine (Node 24 from the npm registry, npm ci, build), then runs
# every test. Extra arguments go to vitest, e.g. scripts/test.sh test/core.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
npx vitest run "$@"
