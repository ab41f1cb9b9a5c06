// Help that matches the README and the code: global options after every subcommand, exit codes in the help of
// every command that calls the API, the limits of the tuning options, the result statuses.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { App } from '../../src/commands/context.js'
import type { RoleChangeRequest } from '../../src/commands/role-change-run.js'
import { EXIT } from '../../src/errors.js'
import { runInProcess } from './run-in-process.js'

const runRoleChange = vi.hoisted(() =>
  vi.fn<(request: RoleChangeRequest, app: App) => Promise<number>>(() => Promise.resolve(0)),
)
vi.mock('../../src/commands/role-change-run.js', () => ({ runRoleChange }))

const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8')
const SUBCOMMANDS = [
  ['promote'],
  ['demote'],
  ['set'],
  ['undo'],
  ['apply'],
  ['show'],
  ['list'],
  ['auth'],
  ['auth', 'login'],
  ['auth', 'status'],
  ['auth', 'list'],
  ['auth', 'logout'],
]

async function help(command: readonly string[]): Promise<string> {
  const result = await runInProcess([...command, '--help'])
  expect(result.code).toBe(0)
  return result.stdout
}

/** The rows of an "Exit codes:" table in help: code → meaning. */
function helpExitCodes(text: string): Map<number, string> {
  const table = text.split('\nExit codes:\n')[1] ?? ''
  const rows = new Map<number, string>()
  for (const line of table.split('\n')) {
    const row = /^ {2}(\d+) +(.+)$/.exec(line)
    if (row === null) break
    rows.set(Number(row[1]), row[2] ?? '')
  }
  return rows
}

function readmeExitCodes(): Map<number, string> {
  const section = README.split('\n### Exit codes\n')[1]?.split('\n#')[0] ?? ''
  const rows = new Map<number, string>()
  for (const row of section.matchAll(/^\| (\d+) +\| (.+?) +\|$/gm)) rows.set(Number(row[1]), row[2] ?? '')
  return rows
}

describe('help', () => {
  it.each(SUBCOMMANDS)('%s --help lists the global options that work after it', async (...command) => {
    const text = await help(command)
    const globals = text.split('\nGlobal Options:\n')[1] ?? ''
    for (const flag of ['--json', '--verbose', '--no-input', '--no-color']) expect(globals).toContain(flag)
  })

  it('accepts the global options after the subcommand', async () => {
    runRoleChange.mockClear()
    await runInProcess(['demote', '--yes', 'spaces/A/members/1', '--json', '--no-input', '--verbose', '--no-color'])
    expect(runRoleChange.mock.calls[0]?.[1].globals()).toEqual({
      json: true,
      verbose: true,
      color: false,
      input: false,
    })
    runRoleChange.mockClear()
    await runInProcess(['demote', '--yes', 'spaces/A/members/1'])
    expect(runRoleChange.mock.calls[0]?.[1].globals()).toEqual({
      json: false,
      verbose: false,
      color: true,
      input: true,
    })
  })

  it.each([['show'], ['list'], ['promote'], ['demote'], ['set'], []])(
    '%s --help has an exit-code table that agrees with the README',
    async (...command) => {
      const codes = helpExitCodes(await help(command))
      const readme = readmeExitCodes()
      expect([...codes.keys()]).toEqual(expect.arrayContaining([0, 1, 2, 4]))
      for (const code of codes.keys()) {
        expect(readme.has(code), `exit ${code} in the README`).toBe(true)
        expect(Object.values(EXIT)).toContain(code)
      }
      expect(codes.get(2)).toMatch(/usage or input error/)
      expect(codes.get(4)).toMatch(/not signed in/)
    },
  )

  it('words the exit codes of show and list for what they do', async () => {
    expect(helpExitCodes(await help(['show'])).get(0)).toBe('shown')
    expect(helpExitCodes(await help(['list'])).get(0)).toBe('listed every space')
  })

  it('shows no empty default for --file', async () => {
    for (const command of ['promote', 'demote', 'set']) expect(await help([command])).not.toContain('(default: [])')
  })

  it.each(['promote', 'demote', 'set'])('%s --help gives the limits of the tuning options', async command => {
    const text = (await help([command])).replace(/\s+/g, ' ')
    expect(text).toMatch(
      /--concurrency <n> most requests in flight, 1-64 \(default: chosen from the quota and latency\)/,
    )
    expect(text).toMatch(/--max-rate <n> at most N writes a minute, 1-100000/)
    expect(text).toMatch(/--max-attempts <n> tries per request .*, 1-20 \(default: 6\)/)
  })

  it('documents the same limits in the README', () => {
    const text = README.replace(/\s+/g, ' ')
    expect(text).toMatch(/`--concurrency N` \(1–64;/)
    expect(text).toMatch(/`--max-rate N` \(1–100,000;/)
    expect(text).toMatch(/`--max-attempts N` \(1–20, default 6\)/)
  })

  it.each(['promote', 'demote', 'set'])('%s --help names every result status', async command => {
    const text = await help([command])
    for (const status of ['updated', 'unchanged', 'kept', 'planned', 'failed', 'skipped', 'stale', 'conflict']) {
      expect(text).toMatch(new RegExp(`^ {2}${status} +\\S`, 'm'))
    }
    expect(text).toMatch(
      /"attempts" counts the HTTP requests made for that membership: reads and writes,\s+retries included/,
    )
  })

  it('names every result status in the README', () => {
    for (const status of ['updated', 'unchanged', 'kept', 'planned', 'failed', 'skipped', 'stale', 'conflict']) {
      expect(README).toMatch(new RegExp(`^\\| \`${status}\` +\\|`, 'm'))
    }
    expect(README).toContain('`skipped` means not done because the run stopped first')
  })
})

describe('options reach the role change', () => {
  it('passes --max-rate through, and leaves --concurrency and --max-rate out when not given', async () => {
    runRoleChange.mockClear()
    await runInProcess(['promote', '--max-rate', '120', '--concurrency', '64', 'spaces/A/members/1'])
    expect(runRoleChange.mock.calls[0]?.[0]).toMatchObject({
      maxRate: 120,
      concurrency: 64,
      maxAttempts: 6,
      input: { kind: 'batch', files: [] },
    })
    runRoleChange.mockClear()
    await runInProcess(['set', 'member', '-f', 'a.txt', '--file', 'b.txt'])
    const request = runRoleChange.mock.calls[0]?.[0]
    expect(request).not.toHaveProperty('maxRate')
    expect(request?.input).toMatchObject({ kind: 'batch', files: ['a.txt', 'b.txt'] })
  })

  it('accepts the limits themselves', async () => {
    runRoleChange.mockClear()
    await runInProcess(['demote', '--max-rate', '100000', '--concurrency', '1', '--max-attempts', '20', 'x'])
    expect(runRoleChange.mock.calls[0]?.[0]).toMatchObject({ maxRate: 100_000, concurrency: 1, maxAttempts: 20 })
  })
})
