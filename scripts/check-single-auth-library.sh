#!/usr/bin/env bash
# Fails unless exactly one copy of google-auth-library is installed. Two copies (e.g. one pulled in by
# @google-cloud/local-auth or a mismatched googleapis-common) type-check badly and, worse, send API
# requests without an Authorization header (see ../shared/reference/auth.md, §0.3).
# Usage: scripts/check-single-auth-library.sh [package ...]   (default: google-auth-library)
# CHECK_PROJECT_DIR checks another project (the tests use it on a fixture with two copies).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
project="${CHECK_PROJECT_DIR:-$repo_root}"
cd "$project"
status=0
for package in "${@:-google-auth-library}"; do
  # --parseable prints one line per installed copy; deduped references share their path.
  copies=$(npm ls "$package" --all --parseable 2>/dev/null | sort -u || true)
  count=$(printf '%s' "$copies" | grep -c . || true)
  if [ "$count" -eq 1 ]; then
    version=$(node -p 'require(process.argv[1] + "/package.json").version' "$copies")
    echo "ok: one copy of $package ($version)"
  else
    echo "chat-role: $count installed copies of $package, expected exactly 1:" >&2
    npm ls "$package" --all >&2 || true
    echo "hint: align the dependents' version ranges, or add an npm \"overrides\" entry for $package" >&2
    status=1
  fi
done
exit "$status"
