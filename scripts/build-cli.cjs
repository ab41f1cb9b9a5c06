// The second half of `npm run build`, after tsc: the two files that bin/chat-role.js starts from, both in dist/.
//
// dist/chat-role.cjs  The CLI (dist/cli.js and everything it imports, commander and chalk included) in one
//                     CommonJS file. One file instead of some thirty ES modules, and require() instead of import for
//                     the Node built-ins commander uses, is what a usage error saves most (see README, Start-up).
//                     The Google libraries and the CSV packages stay in node_modules: a module of the bundle runs
//                     only when it is first imported, so they are required only by the commands that use them.
//                     Everything the CLI runs is in this one file: no class or module state exists twice.
// dist/answers.json   What the program prints, exit 0 and nothing on stderr, for --version and for the help of
//                     each command: rendered by running the bundle (scripts/render-answers.cjs), so it is commander's
//                     own text, byte for byte. bin/chat-role.js prints it without loading commander.
//
// CommonJS, like the bundle it builds: it requires esbuild's API and the bundle synchronously.
'use strict'
const { spawnSync } = require('node:child_process')
const { writeFileSync } = require('node:fs')
const { join } = require('node:path')
const esbuild = require('esbuild')
const { dependencies } = require('../package.json')

const dist = join(__dirname, '..', 'dist')
// commander is the parse path itself. chalk is ESM-only: left out, a CommonJS bundle would require() an ES module,
// which Node 22.12 still announces with an ExperimentalWarning on stderr.
const BUNDLED = new Set(['commander', 'chalk'])

esbuild.buildSync({
  // What bin/chat-role.js calls (main), and what render-answers.cjs renders with (run, createProgram).
  stdin: {
    contents: "export { main } from './cli.js'\nexport { createProgram, run } from './program.js'\n",
    resolveDir: dist,
    sourcefile: 'chat-role-entry.js',
  },
  outfile: join(dist, 'chat-role.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  // A package named here stays external with its subpaths (csv-parse/sync).
  external: Object.keys(dependencies).filter(name => !BUNDLED.has(name)),
  // tsc's output is ES modules, strict by definition; a CommonJS file is strict only when it says so.
  banner: { js: "'use strict'" },
  sourcemap: true,
  logLevel: 'warning',
})

// A child process, its stdout a pipe: commander wraps help to the terminal's width when stdout is one, and the
// stored text is the form it prints anywhere else (80 columns), whatever terminal the build runs in.
const rendered = spawnSync(process.execPath, [join(__dirname, 'render-answers.cjs')], {
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
  env: { ...process.env, NODE_OPTIONS: '' },
})
if (rendered.status !== 0) {
  process.stderr.write('build: rendering the stored answers failed\n')
  process.exit(1)
}
writeFileSync(join(dist, 'answers.json'), rendered.stdout)
