// The built CLI at its edges: the --version fast path, global options after the subcommand, usage errors in
// the house form with --json, all as a user's shell sees them.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { VERSION } from '../../src/version.js'
import { ROOT, runCli } from './harness.js'

async function modulesLoadedBy(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'chat-role-modules-')), 'modules.txt')
  const result = await runCli(args, {
    env: {
      ...env,
      REPORT_MODULES_FILE: file,
      NODE_OPTIONS: `--require ${join(ROOT, 'test/e2e/fixtures/report-imports.cjs')}`,
    },
  })
  expect(result.stderr).not.toMatch(/ExperimentalWarning|Error \[/)
  return readFileSync(file, 'utf8').split('\n')
}

const COMMANDER = /node_modules\/commander\//
/** The program, commander inside, bundled by the build; bin/chat-role.js answers --version and help without it. */
const PROGRAM = '/dist/chat-role.cjs'

describe('--version', () => {
  it.each([['--version'], ['-V']])('%s prints the version without loading commander', async flag => {
    expect(await runCli([flag])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' })
    expect((await modulesLoadedBy([flag])).filter(path => COMMANDER.test(path) || path.includes(PROGRAM))).toEqual([])
  })

  it('still goes through commander otherwise (the check above can fail)', async () => {
    expect((await modulesLoadedBy(['promote', '--bogus'])).some(path => path.includes(PROGRAM))).toBe(true)
    expect(await runCli(['--json', '--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' })
  })
})

describe('global options after the subcommand', () => {
  it('chat-role promote x --json answers in JSON', async () => {
    const result = await runCli(['promote', 'x', '--json'])
    expect(result.code).toBe(2)
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'INPUT' } })
  })
})

describe('usage errors from the shell', () => {
  it('a bad role with --json: the document on stdout, two lines on stderr, exit 2', async () => {
    const result = await runCli(['--json', 'set', 'manger', 'X'])
    expect(result.code).toBe(2)
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      error: {
        code: 'USAGE',
        message: "unknown role 'manger'",
        hint: expect.stringMatching(/^did you mean manager/) as unknown,
      },
    })
    expect(result.stderr).toMatch(/^chat-role: unknown role 'manger'\nhint: did you mean manager[^\n]*\n$/)
  })

  it('a bad choice without --json: two lines, nothing on stdout', async () => {
    const result = await runCli(['list', 'spaces/S', '--type', 'robot'])
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: "chat-role: --type takes human or bot, not 'robot'\nhint: see chat-role list --help\n",
    })
  })
})
