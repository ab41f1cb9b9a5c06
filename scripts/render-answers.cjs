// Prints dist/answers.json: what the built program prints for --version and for the help of each command, as
// { texts: [text], version: { argv: index }, help: { argv: index } }, argv as a JSON array (`help X`, `X --help` and
// `X -h` share one text). Run by build-cli.cjs, with stdout a pipe, so that commander renders help as it does when
// stdout is not a terminal: 80 columns, no colour.
//
// A form is stored only when the program answers it with exit 0, text on stdout, nothing on stderr, and the same
// text in two environments and working folders that share nothing: a help text that names a default path taken
// from $HOME or $XDG_CONFIG_HOME (auth login's) is left to the program, which renders it for the user's own.
'use strict'
const { tmpdir } = require('node:os')
const { Readable } = require('node:stream')
const { createProgram, run } = require('../dist/chat-role.cjs')

if (process.stdout.isTTY) {
  process.stderr.write('render-answers: run by scripts/build-cli.cjs; on a terminal, help wraps to its width\n')
  process.exit(2)
}

/** Every variable set, to a value no real environment has. */
const PROBE_ENV = new Proxy({}, { get: (_, key) => (typeof key === 'string' ? `/env-probe/${key}` : undefined) })

async function render(args, env, cwd) {
  let stdout = ''
  let stderr = ''
  const code = await run(args, {
    stdout: { isTTY: false, write: chunk => ((stdout += String(chunk)), true) },
    stderr: { isTTY: false, write: chunk => ((stderr += String(chunk)), true) },
    stdin: Readable.from([]),
    env,
    cwd,
    signal: new AbortController().signal,
    argv: args,
  })
  return { code, stdout, stderr }
}

/** The help forms commander answers: `X --help`, `X -h`, and `help Y` in a command that has subcommands. */
function* helpForms(command, path) {
  yield [...path, '--help']
  yield [...path, '-h']
  if (command.commands.length > 0) {
    yield [...path, 'help']
    for (const child of command.commands) for (const name of namesOf(child)) yield [...path, 'help', name]
  }
  for (const child of command.commands) for (const name of namesOf(child)) yield* helpForms(child, [...path, name])
}

const namesOf = command => [command.name(), ...command.aliases()]

async function answers(forms, texts) {
  const stored = {}
  for (const args of forms) {
    const here = await render(args, {}, '/')
    const elsewhere = await render(args, PROBE_ENV, tmpdir())
    const fixed =
      here.code === 0 &&
      here.stderr === '' &&
      here.stdout !== '' &&
      !here.stdout.includes('\u001b') &&
      elsewhere.code === 0 &&
      elsewhere.stderr === '' &&
      elsewhere.stdout === here.stdout
    if (!fixed) continue
    if (!texts.includes(here.stdout)) texts.push(here.stdout)
    stored[JSON.stringify(args)] = texts.indexOf(here.stdout)
  }
  return stored
}

async function main() {
  const app = {
    io: { env: {} },
    exitCode: 0,
    globals: () => ({ json: false, verbose: false, color: false, input: false }),
    reporter: () => Promise.reject(new Error('render-answers runs no command')),
  }
  const program = createProgram(app)
  const texts = []
  const version = await answers([['--version'], ['-V']], texts)
  const help = await answers([...helpForms(program, [])], texts)
  const document = { texts, version, help }
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`)
}

main().catch(error => {
  process.stderr.write(`render-answers: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exit(1)
})
