#!/usr/bin/env bash
# Start-up time of the built CLI next to bare Node: the median wall time of RUNS starts of each command, and
# its ratio to `node -e 0`. The commands take turns, one start each per round, so a machine that gets busier
# or quieter during the measurement weighs on all of them alike. Usage: scripts/startup.sh [RUNS] (default 60)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$repo_root"
[ -f dist/cli.js ] || npm run --silent build >&2
node -e '
  const { spawnSync } = require("node:child_process")
  const runs = Number(process.argv[1])
  const commands = [
    ["-e", "0"],
    ["bin/chat-role.js", "--version"],
    ["bin/chat-role.js", "--help"],
    ["bin/chat-role.js", "promote", "--help"],
    ["bin/chat-role.js", "promote", "--frob"],
    ["bin/chat-role.js", "set", "manger", "x"],
  ]
  const start = args => {
    const began = process.hrtime.bigint()
    spawnSync(process.execPath, args, { stdio: "ignore" })
    return Number(process.hrtime.bigint() - began) / 1e6
  }
  for (let round = 0; round < 5; round += 1) for (const args of commands) start(args)
  const times = commands.map(() => [])
  for (let round = 0; round < runs; round += 1) for (const [index, args] of commands.entries()) times[index].push(start(args))
  const median = list => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]
  const bare = median(times[0])
  console.log(`node ${process.version}, ${require("node:os").cpus().length} cores, ${runs} starts each`)
  console.log("median ms  × node -e 0  command")
  for (const [index, args] of commands.entries()) {
    const ms = median(times[index])
    console.log(`${ms.toFixed(1).padStart(9)}  ${(ms / bare).toFixed(2).padStart(11)}  node ${args.join(" ")}`)
  }
' "${1:-60}"
