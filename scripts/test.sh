#!/usr/bin/env bash
# The test command: sets up on a fresh machine (Node 24 from the npm registry, npm ci, build), then runs
# every test. Extra arguments go to vitest, e.g. scripts/test.sh test/core.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
# One plain closing line, whatever the reporter printed above it.
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"))
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)
' "$report" || true
exit "$status"
