#!/usr/bin/env bash
# The test command: sets up on a fresh machine (Node 24 from the npm registry, npm ci, build), then runs
# every test. Extra arguments go to vitest, e.g. scripts/test.sh test/core.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# vitest colours its output wherever it likes (CI set, some pipes); colour codes do not belong in files or CI logs.
if [ ! -t 1 ] || [ -n "${CI:-}" ]; then
  export NO_COLOR=1 FORCE_COLOR=0
fi
# One plain closing line, whatever the reporter printed above it, from a reporter that writes no file and
# announces none (vitest's json reporter says "JSON report written to …").
cat >"$work/summary-reporter.mjs" <<'EOF'
export default class SummaryReporter {
  onTestRunEnd(testModules) {
    const count = { passed: 0, failed: 0, skipped: 0 }
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const state = test.result().state
        if (state === 'passed' || state === 'failed') count[state] += 1
        else count.skipped += 1 // skipped, todo, or never finished
      }
    }
    process.stdout.write(`tests: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped\n`)
  }
}
EOF
status=0
npx vitest run --reporter=default --reporter="$work/summary-reporter.mjs" "$@" || status=$?
exit "$status"
