// The built command's two ways to start, as a shell sees them: stored answers printed by bin/chat-role.js without
// loading the program, and everything else through the bundled program, dist/chat-role.cjs, which a usage error
// runs alone: what a command needs to run (dist/chat-role-run.cjs, chalk, the CSV and Google libraries, the heavy
// built-ins) is loaded only when one runs.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cleanEnv, ROOT, runCli, startEmulator } from '../e2e/harness.js'
import { seed } from '../e2e/seed.js'

const CLI = join(ROOT, 'bin/chat-role.js')
const BUNDLE = '/dist/chat-role.cjs'
const COMMANDER = /node_modules\/commander\//
const GOOGLE = /node_modules\/(@googleapis\/chat|google-auth-library|googleapis-common|gaxios)\//
/** What a usage error has no use for: the rest of the program, the libraries a command uses, heavy built-ins. */
const HEAVY = new RegExp(
  [
    '/dist/chat-role-run\\.cjs$',
    'node_modules/(chalk|csv-parse|csv-stringify|@googleapis/chat|google-auth-library|googleapis-common|gaxios)/',
    '^node:(child_process|crypto|dgram|http|https|http2|net|readline|readline/promises|tls|worker_threads|zlib)$',
  ].join('|'),
)

interface Answers {
  readonly texts: readonly string[]
  readonly help: Readonly<Record<string, number>>
  /** The digest of each file of the program, which labels its code cache. */
  readonly files: Readonly<Record<string, string>>
}
const answers = JSON.parse(readFileSync(join(ROOT, 'dist/answers.json'), 'utf8')) as Answers
const storedHelp = (...args: string[]): string => answers.texts[answers.help[JSON.stringify(args)] ?? -1] ?? ''

/** Runs the CLI and returns what it printed and every module it loaded, ES and CommonJS alike. */
async function startAndModules(args: readonly string[], env: Record<string, string> = {}) {
  const file = join(mkdtempSync(join(tmpdir(), 'chat-role-modules-')), 'modules.txt')
  const result = await runCli(args, {
    env: {
      ...env,
      REPORT_MODULES_FILE: file,
      NODE_OPTIONS: `--require ${join(ROOT, 'test/e2e/fixtures/report-imports.cjs')}`,
    },
  })
  return { ...result, modules: readFileSync(file, 'utf8').split('\n') }
}

/** Runs the CLI on a pseudo-terminal (util-linux `script`) of the given width; the screen, line ends as \n. */
function atTerminal(args: readonly string[], columns: number): Promise<string> {
  const command = [process.execPath, CLI, ...args].map(word => `'${word}'`).join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', `stty cols ${columns} rows 50; ${command}`, '/dev/null'], {
      env: cleanEnv({ TERM: 'xterm' }),
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    let screen = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (screen += chunk))
    child.on('error', reject)
    child.on('close', () => {
      resolve(screen.replaceAll('\r\n', '\n'))
    })
    child.stdin.end()
  })
}

describe('answered without the program', () => {
  it.each([['--help'], ['-h'], ['promote', '--help'], ['help', 'set'], ['auth', 'status', '-h'], ['--version']])(
    '%s prints the stored text and loads neither commander nor the bundle',
    async (...args) => {
      const { code, stdout, stderr, modules } = await startAndModules(args)
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
      if (args[0] !== '--version') expect(stdout).toBe(storedHelp(...args))
      expect(modules.filter(path => path.includes(BUNDLE) || COMMANDER.test(path))).toEqual([])
    },
  )

  it('prints the same text on a terminal 80 columns wide', async () => {
    expect(await atTerminal(['promote', '--help'], 80)).toBe(storedHelp('promote', '--help'))
  })

  it('leaves a wider terminal to commander, which wraps help to its width', async () => {
    const screen = await atTerminal(['promote', '--help'], 150)
    expect(screen).toMatch(/^Usage: chat-role promote /)
    expect(screen).not.toBe(storedHelp('promote', '--help'))
    expect(Math.max(...screen.split('\n').map(line => line.length))).toBeGreaterThan(100)
  })

  it('stops quietly when the reader has gone away', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, '--help'], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
      child.stdout.destroy()
      let stderr = ''
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      child.on('error', reject)
      child.on('close', code => {
        resolve({ code, stderr })
      })
    })
    expect(result).toEqual({ code: 0, stderr: '' })
  })
})

describe('answered by the program', () => {
  it.each([
    ['promot', 'x'],
    ['promote', '--frob', 'x'],
    ['--bogus'],
    ['set', 'manger', 'x'],
    ['promote', '--to', 'nonsense', 'spaces/A/members/b'],
    ['show'],
    [],
  ])('%s runs the bundle alone: no Google library, nothing heavy', async (...args) => {
    const { code, stderr, modules } = await startAndModules(args)
    expect(code).toBe(2)
    expect(stderr).toMatch(/^chat-role: .+\nhint: .+\n$/)
    expect(modules.some(path => path.includes(BUNDLE))).toBe(true)
    expect(modules.filter(path => HEAVY.test(path) || COMMANDER.test(path))).toEqual([])
  })

  it.each([['promote'], ['promote', 'spaces/x']])(
    '%s is refused by the run before it connects: no Google library, no readline',
    async (...args) => {
      const { code, stderr, modules } = await startAndModules(args)
      expect(code).toBe(2)
      expect(stderr).toMatch(/^chat-role: /)
      expect(modules.filter(path => GOOGLE.test(path) || /^node:(readline|http|https)$/.test(path))).toEqual([])
    },
  )

  it('renders help that names a path from the environment for the environment it runs in', async () => {
    const { code, stdout, modules } = await startAndModules(['auth', 'login', '--help'], {
      XDG_CONFIG_HOME: '/srv/config-for-this-test',
    })
    expect(code).toBe(0)
    expect(stdout.replace(/\s+/g, ' ')).toContain('/srv/config-for-this-test/chat-role/client_secret.json')
    expect(modules.some(path => path.includes(BUNDLE))).toBe(true)
  })

  it('loads the Google libraries for a command that calls the API (the check above can fail)', async () => {
    const emulator = await startEmulator(seed())
    try {
      const { code, modules } = await startAndModules(
        ['show', 'spaces/AAAAengineering/members/100000000000000000002'],
        {
          CHAT_EMULATOR_HOST: emulator.host,
        },
      )
      expect(code).toBe(0)
      expect(modules.some(path => GOOGLE.test(path))).toBe(true)
      expect(modules.filter(path => HEAVY.test(path))).toEqual(
        expect.arrayContaining([expect.stringMatching(/\/dist\/chat-role-run\.cjs$/), 'node:crypto']),
      )
    } finally {
      await emulator.stop()
    }
  })
})

describe('the code cache of the program', () => {
  /** The program's cache files in a compile-cache folder (Node's own are in it too, one folder down). */
  const cacheFiles = (folder: string): string[] =>
    readdirSync(folder, { recursive: true, encoding: 'utf8' })
      .filter(name => /(^|[/\\])chat-role-[^/\\]*\.v8$/.test(name))
      .map(name => join(folder, name))

  it("is taken by a first start, in the folder of Node's compile cache, and read by the next", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'chat-role-cache-'))
    const first = await runCli(['promote', '--frob', 'x'], { env: { NODE_COMPILE_CACHE: folder } })
    expect(first.code).toBe(2)
    const [cache, ...others] = cacheFiles(folder)
    expect(others).toEqual([])
    // Labelled with the digest of the program the build wrote; read back and accepted, so not written again.
    expect(readFileSync(cache ?? '', 'latin1').split(' ')[0]).toBe(answers.files['chat-role.cjs'])
    const written = statSync(cache ?? '').mtimeMs
    expect(await runCli(['promote', '--frob', 'x'], { env: { NODE_COMPILE_CACHE: folder } })).toEqual(first)
    expect(statSync(cache ?? '').mtimeMs).toBe(written)
  })

  it('is not used when labelled for another program, nor when damaged: the start is the same, the cache made anew', async () => {
    const env = { NODE_COMPILE_CACHE: mkdtempSync(join(tmpdir(), 'chat-role-cache-')) }
    const expected = await runCli(['--bogus'], { env })
    const [cache = ''] = cacheFiles(env.NODE_COMPILE_CACHE)
    const good = readFileSync(cache)
    const labelLength = good.indexOf('\n') + 1
    const otherProgram = Buffer.concat([Buffer.from('0'.repeat(64)), good.subarray(64)])
    const damaged = Buffer.concat([good.subarray(0, labelLength), Buffer.alloc(good.length - labelLength, 7)])
    for (const wrong of [otherProgram, damaged]) {
      writeFileSync(cache, wrong)
      expect(await runCli(['--bogus'], { env })).toEqual(expected)
      const now = readFileSync(cache)
      expect(now.equals(wrong)).toBe(false)
      expect(now.subarray(0, labelLength).equals(good.subarray(0, labelLength))).toBe(true)
    }
  })

  it('is left aside with --enable-source-maps, so that stack traces name the sources', async () => {
    const result = await runCli(['--verbose', '--bogus'], { env: { NODE_OPTIONS: '--enable-source-maps' } })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/\n {4}at .*[/\\]src[/\\]program\.ts:\d+:\d+\)?\n/)
  })

  it('is not taken with NODE_DISABLE_COMPILE_CACHE=1', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'chat-role-cache-'))
    const result = await runCli(['--bogus'], { env: { NODE_COMPILE_CACHE: folder, NODE_DISABLE_COMPILE_CACHE: '1' } })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^chat-role: unknown option '--bogus'\n/)
    expect(cacheFiles(folder)).toEqual([])
  })
})
