#!/usr/bin/env node
// The chat-role command. `--version` alone is answered here, without loading commander or the program: it is
// what scripts and installers call most, and it should cost no more than starting Node.
import module from 'node:module'

const args = process.argv.slice(2)
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { VERSION } = await import('../dist/version.js')
  process.stdout.write(`${VERSION}\n`)
} else {
  // Node keeps the compiled code of dist/ and commander on disk (Node >= 22.1), so later starts skip compiling.
  module.enableCompileCache?.()
  const { main } = await import('../dist/cli.js')
  await main()
}
