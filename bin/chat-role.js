#!/usr/bin/env node
// The chat-role command. What scripts and people ask for most is answered here without loading the program:
// --version, and the help of each command (`--help`, `-h`, `help X`, `X --help`), from dist/answers.json, which the
// build rendered by running the program itself (scripts/render-answers.cjs): the text is commander's own.
// Everything else runs the program, which the build bundled into one CommonJS file, dist/chat-role.cjs.
// No static import: the first built-in loaded through the ES module loader costs more than all of this file.
const args = process.argv.slice(2)
const answer = storedAnswer(args)
if (answer === undefined) {
  const module = process.getBuiltinModule('node:module')
  // Node keeps the compiled code of the bundle on disk (Node >= 22.1), so later starts skip compiling it.
  module.enableCompileCache?.()
  const { main } = module.createRequire(import.meta.url)('../dist/chat-role.cjs')
  await main()
} else {
  // As the program does when the reader goes away (`chat-role --help | head -1`): stop writing, quietly.
  process.stdout.on('error', error => {
    if (error.code !== 'EPIPE') throw error
  })
  process.stdout.write(answer)
}

/** The stored text for these arguments, or undefined when the program has to answer. */
function storedAnswer(args) {
  const fs = process.getBuiltinModule('node:fs')
  const answers = JSON.parse(fs.readFileSync(new URL('../dist/answers.json', import.meta.url), 'utf8'))
  const key = JSON.stringify(args)
  const version = answers.version[key]
  if (version !== undefined) return answers.texts[version]
  const help = answers.help[key]
  // Stored as commander prints help off a terminal; on a terminal it wraps to the terminal's width instead.
  if (help === undefined || (process.stdout.isTTY && process.stdout.columns !== 80)) return undefined
  return answers.texts[help]
}
