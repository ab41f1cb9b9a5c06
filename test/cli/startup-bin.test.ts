// The built command's two ways to start, as a shell sees them: stored answers printed by bin/chat-role.js without
// loading the program, and everything else through the bundled program, dist/chat-role.cjs.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cleanEnv, ROOT, runCli, startEmulator } from '../e2e/harness.js'
import { seed } from '../e2e/seed.js'

const CLI = join(ROOT, 'bin/chat-role.js')
const BUNDLE = '/dist/chat-role.cjs'
const COMMANDER = /node_modules\/commander\//
const GOOGLE = /node_modules\/(@googleapis\/chat|google-auth-library|googleapis-common|gaxios)\//

interface Answers {
  readonly texts: readonly string[]
  readonly help: Readonly<Record<string, number>>
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
  it.each([['promot', 'x'], ['promote', '--frob', 'x'], ['set', 'manger', 'x'], ['show'], []])(
    '%s runs the bundle, which loads no Google library',
    async (...args) => {
      const { code, stderr, modules } = await startAndModules(args)
      expect(code).toBe(2)
      expect(stderr).toMatch(/^chat-role: .+\nhint: .+\n$/)
      expect(modules.some(path => path.includes(BUNDLE))).toBe(true)
      expect(modules.filter(path => GOOGLE.test(path) || COMMANDER.test(path))).toEqual([])
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
    } finally {
      await emulator.stop()
    }
  })
})
