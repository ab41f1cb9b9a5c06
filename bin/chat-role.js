#!/usr/bin/env node
// The chat-role command. What scripts and people ask for most is answered here without loading the program:
// --version, and the help of each command (`--help`, `-h`, `help X`, `X --help`), from dist/answers.json, which the
// build rendered by running the program itself (scripts/render-answers.cjs): the text is commander's own.
// Everything else runs the program, which the build bundled into one CommonJS file, dist/chat-role.cjs (and what
// only a running command needs into dist/chat-role-run.cjs, which the program requires when it needs it).
// No static import: the first built-in loaded through the ES module loader costs more than all of this file.
const fs = process.getBuiltinModule('node:fs')
const args = process.argv.slice(2)
const answers = JSON.parse(fs.readFileSync(new URL('../dist/answers.json', import.meta.url), 'utf8'))
const answer = storedAnswer(args)
if (answer === undefined) {
  const { main } = loadProgram()
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
  const key = JSON.stringify(args)
  const version = answers.version[key]
  if (version !== undefined) return answers.texts[version]
  const help = answers.help[key]
  // Stored as commander prints help off a terminal; on a terminal it wraps to the terminal's width instead.
  if (help === undefined || (process.stdout.isTTY && process.stdout.columns !== 80)) return undefined
  return answers.texts[help]
}

/**
 * The program's exports, as require('../dist/chat-role.cjs') returns them, but compiled from a code cache taken
 * after a run. Node's compile cache (enabled here for everything else, the Google libraries among them) keeps only
 * what V8 compiles before a file runs, its top level; a usage error then spends most of its time compiling, on
 * their first call, the functions that build commander's program and parse the arguments. This cache holds them
 * compiled, and the one of dist/chat-role-run.cjs (the rest of the program) holds the functions a command ran.
 * Each is a file in Node's own compile-cache folder (under NODE_COMPILE_CACHE or the system's temporary folder,
 * one for each Node version, set of V8 flags and user; none with NODE_DISABLE_COMPILE_CACHE=1), taken at the exit
 * of the first start that found none, and used only for the file it was taken from: V8 checks its own version,
 * its flags and the source's length, and this function the file's size, its time and the digest that the build
 * wrote into answers.json. One that V8 refuses is taken again.
 */
function loadProgram() {
  const Module = process.getBuiltinModule('node:module')
  const path = process.getBuiltinModule('node:path')
  const dist = path.join(import.meta.dirname, '../dist')
  Module.enableCompileCache?.()
  // Node's own folder for this Node version, its V8 flags and this user (undefined when the cache is off).
  const folder = Module.getCompileCacheDir?.()
  // With --enable-source-maps, require(): Node maps the stack traces of what it loads, not of a vm.Script.
  const sourceMaps = Module.getSourceMapsSupport?.().enabled ?? process.sourceMapsEnabled
  if (folder === undefined || sourceMaps) return Module.createRequire(import.meta.url)(path.join(dist, 'chat-role.cjs'))

  /** The exports of dist/NAME, required as require() would, compiled from the cache when there is one. */
  const load = name => {
    const file = path.join(dist, name)
    const base = Module.createRequire(file)
    if (base.cache[file] !== undefined) return base.cache[file].exports
    // A dist/ built before the digests were written: no cache without one.
    if (answers.files?.[name] === undefined) return base(file)
    const stat = fs.statSync(file)
    const cacheFile = path.join(folder, `chat-role-${nameOf(file)}.v8`)
    const label = Buffer.from(`${answers.files[name]} ${stat.size} ${stat.mtimeMs}\n`)
    const cachedData = readCache(cacheFile, label)
    const vm = process.getBuiltinModule('node:vm')
    // What require() compiles: the file inside CommonJS's function wrapper, its first line unmoved.
    const source = `(function (exports, require, module, __filename, __dirname) { ${fs.readFileSync(file, 'utf8')}\n})`
    // import() as a CommonJS module does it (esbuild leaves the import() of a package or a built-in as it is).
    const importModuleDynamically = vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER
    const script = new vm.Script(source, { filename: file, cachedData, importModuleDynamically })
    const module = new Module(file)
    module.filename = file
    // Where require() would have put it: chat-role-run.cjs requires this same program, not a second copy.
    base.cache[file] = module
    // The program requires chat-role-run.cjs when a command first needs it: through here, with its own cache.
    const require = Object.assign(id => (id === './chat-role-run.cjs' ? load('chat-role-run.cjs') : base(id)), base)
    try {
      script.runInThisContext()(module.exports, require, module, file, dist)
    } catch (error) {
      delete base.cache[file]
      throw error
    }
    module.loaded = true
    if (cachedData === undefined || script.cachedDataRejected === true) {
      process.once('exit', () => {
        writeCache(cacheFile, label, script.createCachedData())
      })
    }
    return module.exports
  }
  return load('chat-role.cjs')
}

/** The cache's data when it is labelled for this program, else undefined. */
function readCache(cacheFile, label) {
  try {
    const data = fs.readFileSync(cacheFile)
    return data.subarray(0, label.length).equals(label) ? data.subarray(label.length) : undefined
  } catch {
    return undefined
  }
}

/** Written whole or not at all: to a file of this process's own, then renamed into place. */
function writeCache(cacheFile, label, data) {
  const partial = `${cacheFile}.${process.pid}`
  try {
    fs.writeFileSync(partial, Buffer.concat([label, data]), { mode: 0o600 })
    fs.renameSync(partial, cacheFile)
  } catch {
    // A cache that cannot be written costs the next start time, nothing else.
    try {
      fs.unlinkSync(partial)
    } catch {
      // Never written.
    }
  }
}

/** A short name for the program's path (FNV-1a), so that each installed copy has its own cache. */
function nameOf(text) {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0
  return hash.toString(16).padStart(8, '0')
}
