#!/usr/bin/env bash
# One command, from a fresh machine: set up (Node 24, dependencies, build), start the built-in Chat API
# emulator, and walk through chat-role against it, as an admin and as a script would use it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

work="$(mktemp -d)"
trap 'kill "$emulator_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
node bin/chat-role-emulator.js --port 0 >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 100); do
  [ -s "$work/emulator.out" ] && break
  sleep 0.05
done
url="$(head -n 1 "$work/emulator.out" | sed -n 's/^chat-role-emulator listening on //p')"
[ -n "$url" ] || { cat "$work/emulator.err" >&2; echo "demo: the emulator did not start" >&2; exit 1; }
export CHAT_EMULATOR_HOST="${url#http://}"

chat_role() { node "$repo_root/bin/chat-role.js" "$@"; }
# The emulator's request log, one line a request: what a rehearsal sent, read before the emulator stops.
request_log() {
  node -e '
    (async () => {
      const { requests } = await (await fetch(`${process.argv[1]}/emulator/v1/requests`)).json()
      for (const r of requests) {
        const query = new URLSearchParams(r.query ?? {}).toString()
        console.log(`${r.status}  ${r.method.padEnd(5)} ${r.path}${query === "" ? "" : `?${query}`}`)
      }
    })()
  ' "$url"
}
bold='' plain=''
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; fi
step() {
  printf '\n%s# %s%s\n' "$bold" "$1" "$plain"
  shift
  printf '$ %s\n' "$*"
  set +e
  bash -c "$*"
  printf '(exit %s)\n' "$?"
  set -e
}
export -f chat_role request_log
export repo_root url

echo "Rehearsing against the emulator at $url (CHAT_EMULATOR_HOST=$CHAT_EMULATOR_HOST), signed in as its admin Olivia."
step 'Who is in Engineering, with both names of each role' \
  'chat_role list spaces/AAAAengineering'
step 'Make Max a manager, naming him by email: read first, then one PATCH with updateMask=role' \
  'chat_role promote spaces/AAAAengineering/members/max@example.com'
step 'The same again changes nothing' \
  'chat_role promote spaces/AAAAengineering/members/max@example.com'
step 'Plan an owner grant without writing' \
  'chat_role set owner --space spaces/AAAAdesign mia@example.com --dry-run'
step 'A script: demote every manager of Engineering (a pipe needs --yes)' \
  'chat_role list spaces/AAAAengineering --role manager --names | chat_role demote - --yes'
step 'Safety: the last owner of a space is never demoted' \
  'chat_role demote spaces/AAAAdesign/members/100000000000000000001'
step 'Safety: bad input is named line by line, and nothing is sent' \
  'printf "spaces/AAAAdesign/members/100000000000000000002\nspaces/AAAAdesign/member/3\n" | chat_role promote - --yes'
step 'Machine-readable: one JSON document' \
  'chat_role --json show spaces/AAAAengineering/members/max@example.com'
step 'What the emulator received: its request log (GET /emulator/v1/requests), read before it stops' \
  'request_log'
printf '\nDone. The emulator at %s stops now; start your own with: node bin/chat-role-emulator.js\n' "$url"
