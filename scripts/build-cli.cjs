// The second half of `npm run build`, after tsc: the files that bin/chat-role.js starts from, all in dist/.
//
// dist/chat-role.cjs      The program: what parsing the command line needs and nothing more. dist/cli.js,
//                         dist/program.js and every module they import statically (the commands' options and
//                         checks, commander), in one CommonJS file. A usage error runs this file alone.
// dist/chat-role-run.cjs  The rest: every module the program imports only when a command runs (its action, the
//                         reporter, chalk, the journal, the Google session...), in a second CommonJS file that the
//                         program requires at the first such import. Each module is in exactly one of the two
//                         files: an import from one file of a module of the other reads it from that file's
//                         exports, so no class or module state exists twice (ChatRoleError is one class).
//                         The Google libraries and the CSV packages stay in node_modules, required by the modules
//                         of this file that use them.
// dist/answers.json       What the program prints, exit 0 and nothing on stderr, for --version and for the help of
//                         each command: rendered by running the program (scripts/render-answers.cjs), so it is
//                         commander's own text, byte for byte. bin/chat-role.js prints it without loading
//                         commander. It also holds the digest of each file above: bin/chat-role.js uses a code
//                         cache it keeps for a file only while the file has that digest (see there).
//
// CommonJS files instead of some thirty ES modules, and require() instead of import for the Node built-ins, is what
// a start saves most (README, Start-up). CommonJS, like the files it builds: it requires the program synchronously.
'use strict'
const { spawnSync } = require('node:child_process')
const { createHash } = require('node:crypto')
const { readFileSync, rmSync, writeFileSync } = require('node:fs')
const { join, relative } = require('node:path')
const esbuild = require('esbuild')
const { dependencies } = require('../package.json')

const dist = join(__dirname, '..', 'dist')
const PROGRAM = 'chat-role.cjs'
const RUN = 'chat-role-run.cjs'
// commander is the parse path itself. chalk is ESM-only: left out, a CommonJS bundle would require() an ES module,
// which Node 22.12 still announces with an ExperimentalWarning on stderr.
const BUNDLED = new Set(['commander', 'chalk'])

/** What bin/chat-role.js calls (main), and what render-answers.cjs renders with (run, createProgram). */
const ENTRY = "export { main } from './cli.js'\nexport { createProgram, run } from './program.js'\n"

const common = {
  absWorkingDir: join(__dirname, '..'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  // A package named here stays external with its subpaths (csv-parse/sync).
  external: Object.keys(dependencies).filter(name => !BUNDLED.has(name)),
  // tsc's output is ES modules, strict by definition; a CommonJS file is strict only when it says so.
  banner: { js: "'use strict'" },
  logLevel: 'warning',
}

/** What a stand-in requires: one of the two output files. */
const STAND_IN_TARGET = /^\.\/chat-role(-run)?\.cjs$/

/** The name under which a module of one file is exported to the other: its path in dist/, as an identifier. */
const exportName = path => `m_${relative(dist, path).replace(/[^A-Za-z0-9]/g, '_')}`

/**
 * commander imports child_process to start executable subcommands, which chat-role has none of, and requiring it
 * (with net, dgram and streams) costs a usage error some 3 ms. Commander gets it when it first uses it instead.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, args =>
      /[/\\]node_modules[/\\]commander[/\\]/.test(args.importer) ? { path: args.path, namespace: 'lazy' } : undefined,
    )
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, args => ({
      // An ES module, as commander imports it (`import childProcess from`): nothing reads the object before a use.
      contents: `export default new Proxy({}, { get: (_, key) => require(${JSON.stringify(args.path)})[key] })`,
      loader: 'js',
    }))
  },
}

/**
 * Resolves each import of a module as esbuild would, then lets `decide(path, kind)` take it over: it returns the
 * source of a CommonJS module to bundle in its place, or undefined to bundle the module itself.
 */
function redirect(name, decide) {
  return {
    name,
    setup(build) {
      // What a stand-in requires: the other output file, next to this one at run time.
      build.onResolve({ filter: STAND_IN_TARGET }, args => ({ path: args.path, external: true }))
      build.onResolve({ filter: /.*/ }, async args => {
        if (args.pluginData === name || args.namespace !== 'file' || args.path.startsWith('node:')) return undefined
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: name,
        })
        if (resolved.errors.length > 0 || resolved.external) return resolved
        const contents = decide(resolved.path, args.kind)
        return contents === undefined ? resolved : { path: resolved.path, namespace: name, pluginData: contents }
      })
      build.onLoad({ filter: /.*/, namespace: name }, args => ({ contents: args.pluginData, loader: 'js' }))
    },
  }
}

/** The modules the program imports statically (its own file), and those it imports only with import(). */
async function programGraph() {
  const later = new Set()
  const result = await esbuild.build({
    ...common,
    stdin: { contents: ENTRY, resolveDir: dist, sourcefile: 'chat-role-entry.js' },
    write: false,
    outfile: join(dist, PROGRAM),
    metafile: true,
    plugins: [
      lazyChildProcess,
      redirect('graph', (path, kind) => {
        if (kind !== 'dynamic-import') return undefined
        later.add(path)
        return 'module.exports = {}'
      }),
    ],
  })
  const here = new Set(
    Object.keys(result.metafile.inputs)
      .filter(input => !input.includes(':'))
      .map(input => join(common.absWorkingDir, input)),
  )
  // Sorted: esbuild resolves in parallel, and the same sources must build the same files.
  return { here, later: [...later].filter(path => !here.has(path)).sort() }
}

async function main() {
  // No answers.json until the program that it describes (and whose digest it holds) is built and rendered.
  rmSync(join(dist, 'answers.json'), { force: true })
  const { here, later } = await programGraph()

  // The run file first: which of the program's modules it imports is what the program must export to it.
  const wanted = new Set()
  await esbuild.build({
    ...common,
    stdin: {
      // Getters, not `export * as`: a module of this file runs when the program first imports it, not when the
      // program first requires this file (a reporter needs no Google library).
      contents: `Object.defineProperties(exports, {\n${later
        .map(path => `  ${exportName(path)}: { get: () => require(${JSON.stringify(path)}), enumerable: true },\n`)
        .join('')}})\n`,
      resolveDir: dist,
      sourcefile: 'chat-role-run-entry.js',
    },
    outfile: join(dist, RUN),
    sourcemap: true,
    plugins: [
      redirect('from-program', path => {
        if (!here.has(path)) return undefined
        wanted.add(path)
        return `module.exports = require('./${PROGRAM}').${exportName(path)}`
      }),
    ],
  })

  await esbuild.build({
    ...common,
    stdin: {
      contents:
        ENTRY +
        [...wanted]
          .sort()
          .map(path => `export * as ${exportName(path)} from ${JSON.stringify(path)}\n`)
          .join(''),
      resolveDir: dist,
      sourcefile: 'chat-role-entry.js',
    },
    outfile: join(dist, PROGRAM),
    sourcemap: true,
    plugins: [
      lazyChildProcess,
      redirect('from-run', (path, kind) =>
        kind === 'dynamic-import' && !here.has(path)
          ? `module.exports = require('./${RUN}').${exportName(path)}`
          : undefined,
      ),
    ],
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
  const answers = JSON.parse(rendered.stdout)
  answers.files = Object.fromEntries(
    [PROGRAM, RUN].map(name => [
      name,
      createHash('sha256')
        .update(readFileSync(join(dist, name)))
        .digest('hex'),
    ]),
  )
  writeFileSync(join(dist, 'answers.json'), `${JSON.stringify(answers, null, 2)}\n`)
}

main().catch(error => {
  process.stderr.write(`build: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exit(1)
})
