#!/usr/bin/env bash
# Start-up time of the built CLI next to bare Node: the median wall time of RUNS starts of each command, and
# its ratio to `node -e 0`. The commands take turns, one start each per round, so a machine that gets busier
# or quieter during the measurement weighs on all of them alike.
# Usage: scripts/startup.sh [RUNS] (default 60). BEFORE=DIR also times DIR/bin/chat-role.js (another built
# checkout, e.g. `git worktree add` of an older commit and `npm run build` there) in the same rounds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$repo_root"
[ -f dist/chat-role.cjs ] || npm run --silent build >&2
node -e '
  const { spawnSync } = require("node:child_process")
  const os = require("node:os")
  const runs = Number(process.argv[1])
  const before = process.argv[2]
  const forms = [["--version"], ["--help"], ["promote", "--help"], ["promot", "x"], ["promote", "--frob", "x"], ["set", "manger", "x"]]
  const commands = [{ label: "node -e 0", args: ["-e", "0"] }]
  for (const form of forms) {
    commands.push({ label: `chat-role ${form.join(" ")}`, args: ["bin/chat-role.js", ...form] })
    if (before) commands.push({ label: `  before: ${form.join(" ")}`, args: [`${before}/bin/chat-role.js`, ...form] })
  }
  const start = args => {
    const began = process.hrtime.bigint()
    spawnSync(process.execPath, args, { stdio: "ignore" })
    return Number(process.hrtime.bigint() - began) / 1e6
  }
  for (let round = 0; round < 5; round += 1) for (const { args } of commands) start(args)
  const load = os.loadavg()[0]
  const times = commands.map(() => [])
  for (let round = 0; round < runs; round += 1) for (const [index, { args }] of commands.entries()) times[index].push(start(args))
  const median = list => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]
  const bare = median(times[0])
  const cpus = os.cpus()
  console.log(`node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}, load ${load.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}, ${runs} starts each`)
  console.log("median ms  × node -e 0  command")
  for (const [index, { label }] of commands.entries()) {
    const ms = median(times[index])
    console.log(`${ms.toFixed(1).padStart(9)}  ${(ms / bare).toFixed(2).padStart(11)}  ${label}`)
  }
' "${1:-60}" "${BEFORE:-}"
