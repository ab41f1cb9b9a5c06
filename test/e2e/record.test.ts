// Every run leaves a record: a journal it can be resumed and undone from, clean stops on any signal, saved
// plans applied later. End to end: the built CLI, killed and stopped for real, against the emulator.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator, type EmulatorState } from './harness.js'
import { MAX, OLIVIA, PAT, seed } from './seed.js'

let emulator: Emulator | undefined
afterEach(async () => {
  await emulator?.stop()
  emulator = undefined
})

const FAST_BACKOFF = { CHAT_ROLE_BACKOFF_BASE_MS: '10' }
const ENG = 'spaces/AAAAengineering'

function tempPath(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'chat-role-record-')), name)
}

interface Line {
  readonly type: string
  readonly name?: string
  readonly status?: string
  readonly stoppedBy?: string
  readonly inputs?: readonly string[]
}

function journalLines(path: string): Line[] {
  const text = readFileSync(path, 'utf8')
  const lines = text.split('\n').filter(line => line !== '')
  // A kill -9 may tear the last line; every other line is whole JSON.
  return lines.flatMap((line, index) => {
    try {
      return [JSON.parse(line) as Line]
    } catch (error) {
      if (index === lines.length - 1) return []
      throw error
    }
  })
}

function bulkNames(spaces: number, members: number): string[] {
  return Array.from({ length: spaces }, (_, s) =>
    Array.from({ length: members }, (_, i) => `spaces/AAAAbulk${s}/members/${200000000000000000000n + BigInt(i)}`),
  ).flat()
}

function rolesOf(state: EmulatorState): Map<string, string | undefined> {
  return new Map(state.spaces.flatMap(space => space.memberships.map(m => [m.name, m.role] as const)))
}

/** Sends `signal` to the CLI once the emulator has seen `writes` PATCHes. */
function killAfter(writes: number, signal: NodeJS.Signals) {
  return (child: import('node:child_process').ChildProcess): void => {
    const timer = setInterval(() => {
      void emulator?.writes().then(seen => {
        if (seen.length >= writes && child.exitCode === null) {
          clearInterval(timer)
          child.kill(signal)
        }
      })
    }, 25)
    child.once('exit', () => {
      clearInterval(timer)
    })
  }
}

describe('kill -9, then --resume', () => {
  it('finishes a 1,000-membership run exactly, and the journal accounts for every membership', async () => {
    emulator = await startEmulator(seed({ bulkSpaces: 10, bulkMembers: 100 }), ['--no-quotas', '--latency-ms', '10'])
    const names = bulkNames(10, 100)
    const journal = tempPath('run.jsonl')
    const killAt = 100 + Math.floor(Math.random() * 700)
    const killed = await emulator.cli(['promote', '-', '--yes', '--journal', journal], {
      stdin: names.join('\n'),
      onSpawn: killAfter(killAt, 'SIGKILL'),
    })
    expect(killed.code).toBeNull()
    const before = rolesOf(await emulator.state())
    const changed = names.filter(name => before.get(name) === 'ROLE_ASSISTANT_MANAGER').length
    expect(changed).toBeGreaterThanOrEqual(killAt)
    expect(changed).toBeLessThan(1000)

    const resumed = await emulator.cli(['promote', '--resume', journal, '--yes'], { env: FAST_BACKOFF })
    expect(resumed.code).toBe(0)
    expect(resumed.stderr).toContain(`Resuming ${journal}`)
    const after = rolesOf(await emulator.state())
    for (const name of names) expect(after.get(name)).toBe('ROLE_ASSISTANT_MANAGER')
    // Nothing else changed: Olivia still owns every bulk space.
    for (let s = 0; s < 10; s += 1) expect(after.get(`spaces/AAAAbulk${s}/members/${OLIVIA}`)).toBe('ROLE_MANAGER')

    const lines = journalLines(journal)
    expect(lines[0]?.type).toBe('header')
    expect(lines[0]?.inputs).toHaveLength(1000)
    expect(lines.some(line => line.type === 'resume')).toBe(true)
    const last = new Map<string, string | undefined>()
    for (const line of lines) if (line.type === 'item' && line.name !== undefined) last.set(line.name, line.status)
    for (const name of names) expect(['updated', 'unchanged']).toContain(last.get(name))
    expect([...last.values()].filter(status => status === 'updated').length).toBeGreaterThanOrEqual(1000 - changed)
    expect(lines.at(-1)).toMatchObject({ type: 'end', exit: 0 })
  })
})

describe('clean stops', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const)('%s: stops, records everything, exits %i, and the resume finishes', async (signal, code) => {
    emulator = await startEmulator(seed({ bulkSpaces: 2, bulkMembers: 100 }), ['--no-quotas', '--latency-ms', '20'])
    const names = bulkNames(2, 100)
    const journal = tempPath('run.jsonl')
    const promote = await emulator.cli(['promote', '-', '--yes', '--journal', journal], {
      stdin: names.join('\n'),
      onSpawn: killAfter(20, signal),
    })
    expect(promote.code).toBe(code)
    expect(promote.stderr).toMatch(new RegExp(`resume with: chat-role promote --resume \\S+ --yes`))
    const lines = journalLines(journal)
    expect(lines.at(-1)).toMatchObject({ type: 'end', exit: code, stoppedBy: signal })
    const items = lines.filter(line => line.type === 'item')
    expect(items).toHaveLength(200)
    expect(promote.stdout.trim().split('\n')).toHaveLength(200)
    // Memberships never sent say so; none is reported as a network failure.
    expect(promote.stdout).not.toMatch(/no answer from Google Chat|network/)
    expect(items.some(line => line.status === 'skipped')).toBe(true)

    const resumed = await emulator.cli(['promote', '--resume', journal, '--yes'])
    expect(resumed.code).toBe(0)
    const after = rolesOf(await emulator.state())
    for (const name of names) expect(after.get(name)).toBe('ROLE_ASSISTANT_MANAGER')
  })
})

describe('a second signal', () => {
  it('stops at once, exit 143, and still leaves a journal the resume finishes from', async () => {
    emulator = await startEmulator(seed({ bulkSpaces: 2, bulkMembers: 100 }), ['--no-quotas', '--latency-ms', '1000'])
    const names = bulkNames(2, 100)
    const journal = tempPath('run.jsonl')
    const stopped = await emulator.cli(['promote', '-', '--yes', '--journal', journal], {
      stdin: names.join('\n'),
      onSpawn: child => {
        const timer = setInterval(() => {
          void emulator?.writes().then(seen => {
            if (seen.length >= 5 && child.exitCode === null) {
              clearInterval(timer)
              child.kill('SIGTERM')
              // Signals are not queued: the second must come after the first was handled, while writes are in flight.
              setTimeout(() => child.kill('SIGTERM'), 200)
            }
          })
        }, 25)
        child.once('exit', () => {
          clearInterval(timer)
        })
      },
    })
    expect(stopped.code).toBe(143)
    expect(stopped.stderr).toContain('chat-role: SIGTERM again: stopping at once; resume the run from its journal')
    const lines = journalLines(journal)
    expect(lines[0]?.type).toBe('header')
    expect(lines.some(line => line.type === 'end')).toBe(false)
    const resumed = await emulator.cli(['promote', '--resume', journal, '--yes'])
    expect(resumed.code).toBe(0)
    const after = rolesOf(await emulator.state())
    for (const name of names) expect(after.get(name)).toBe('ROLE_ASSISTANT_MANAGER')
  })
})

describe('--resume of a run with a role per membership', () => {
  it('is refused with the command to run again, since the journal keeps names, not roles', async () => {
    emulator = await startEmulator(seed({ bulkSpaces: 1, bulkMembers: 2 }))
    const csv = tempPath('roles.csv')
    const [first, second] = bulkNames(1, 2) as [string, string]
    writeFileSync(csv, `name,role\n${first},ROLE_ASSISTANT_MANAGER\n${second},ROLE_MANAGER\n`)
    const journal = tempPath('run.jsonl')
    expect((await emulator.cli(['set', '--file', csv, '--yes', '--journal', journal])).code).toBe(0)
    const resumed = await emulator.cli(['set', '--resume', journal, '--yes'])
    expect(resumed.code).toBe(2)
    expect(resumed.stderr).toContain('records a run that set a role per membership: --resume cannot carry it on')
    expect(resumed.stderr).toContain(`hint: run the command again as it was: chat-role set --file ${csv}`)
  })
})

describe('progress', () => {
  it('--progress prints a plain status line on stderr without a terminal; nothing without it', async () => {
    emulator = await startEmulator(seed({ bulkSpaces: 1, bulkMembers: 30 }))
    const names = bulkNames(1, 30)
    const quiet = await emulator.cli(['promote', '-', '--yes'], { stdin: names.join('\n') })
    expect(quiet.stderr).not.toMatch(/^writing /m)
    await emulator.reset()
    const shown = await emulator.cli(['demote', '-', '--yes', '--progress'], { stdin: names.join('\n') })
    expect(shown.code).toBe(0)
    // Nothing to change is still read: the last status line counts every membership settled.
    expect(shown.stderr).toMatch(/^reading 30\/30\b/m)
    expect(shown.stderr).not.toContain('\u001b[')
  })
})

describe('undo', () => {
  it('restores the exact earlier state, and keeps its own journal', async () => {
    emulator = await startEmulator(seed({ bulkSpaces: 2, bulkMembers: 10 }))
    const before = await emulator.state()
    const journal = tempPath('run.jsonl')
    const names = [...bulkNames(2, 10), `${ENG}/members/${PAT}`, `${ENG}/members/nora@example.com`]
    const run = await emulator.cli(['set', 'owner', '-', '--yes', '--journal', journal], { stdin: names.join('\n') })
    expect(run.code).toBe(0)
    expect(await emulator.role(`${ENG}/members/100000000000000000004`)).toBe('ROLE_MANAGER')

    const undoJournal = tempPath('undo.jsonl')
    const dryRun = await emulator.cli(['undo', journal, '--dry-run'])
    expect(dryRun.code).toBe(0)
    expect(dryRun.stdout.match(/^would set/gm)).toHaveLength(21)
    const undone = await emulator.cli(['undo', journal, '--yes', '--journal', undoJournal])
    expect(undone.code).toBe(0)
    expect(undone.stderr).toContain('21 updated')
    expect(await emulator.state()).toEqual(before)
    expect(journalLines(undoJournal)[0]).toMatchObject({ type: 'header', command: 'undo' })
  })

  it('reports what someone changed since, and restores it only with --force', async () => {
    emulator = await startEmulator(seed())
    const journal = tempPath('run.jsonl')
    const names = [`${ENG}/members/${MAX}`, `${ENG}/members/100000000000000000004`]
    expect((await emulator.cli(['set', 'owner', '--yes', '--journal', journal, ...names])).code).toBe(0)
    // Someone else makes Max a manager after the run.
    expect((await emulator.cli(['set', 'manager', '--yes', `${ENG}/members/${MAX}`])).code).toBe(0)

    const undone = await emulator.cli(['undo', journal, '--yes'])
    expect(undone.code).toBe(1)
    expect(undone.stdout).toMatch(new RegExp(`^conflict\\s+${ENG}/members/${MAX}.*someone changed it since`, 'm'))
    expect(await emulator.role(`${ENG}/members/${MAX}`)).toBe('ROLE_ASSISTANT_MANAGER')
    expect(await emulator.role(`${ENG}/members/100000000000000000004`)).toBe('ROLE_ASSISTANT_MANAGER')

    const forced = await emulator.cli(['undo', journal, '--yes', '--force'])
    expect(forced.code).toBe(0)
    expect(await emulator.role(`${ENG}/members/${MAX}`)).toBe('ROLE_MEMBER')
  })

  it('refuses to leave a space without an owner', async () => {
    emulator = await startEmulator(seed())
    const journal = tempPath('run.jsonl')
    // The run makes Max an owner of Solo; then Olivia, outside the run, steps down: Max is the only owner.
    expect(
      (await emulator.cli(['set', 'owner', '--yes', '--journal', journal, `spaces/AAAAsolo/members/${MAX}`])).code,
    ).toBe(0)
    expect((await emulator.cli(['demote', '--yes', `spaces/AAAAsolo/members/${OLIVIA}`])).code).toBe(0)
    const undone = await emulator.cli(['undo', journal, '--yes'])
    expect(undone.code).toBe(1)
    expect(undone.stdout).toMatch(/^failed\s+spaces\/AAAAsolo\/members\/100000000000000000002.*last owner/m)
    expect(await emulator.role(`spaces/AAAAsolo/members/${MAX}`)).toBe('ROLE_MANAGER')
  })
})

describe('saved plans', () => {
  it('apply carries out the plan without asking, and reports what moved since as stale', async () => {
    emulator = await startEmulator(seed({ bulkSpaces: 1, bulkMembers: 5 }))
    const plan = tempPath('plan.json')
    const names = bulkNames(1, 5)
    const dryRun = await emulator.cli(['promote', '--dry-run', '--plan', plan, ...names])
    expect(dryRun.code).toBe(0)
    expect(dryRun.stderr).toContain(`Plan saved to ${plan} (5 changes)`)
    expect(await emulator.writes()).toHaveLength(0)
    // Someone makes the first one an owner before the plan is applied.
    expect((await emulator.cli(['set', 'owner', '--yes', names[0] as string])).code).toBe(0)

    const applied = await emulator.cli(['apply', plan])
    expect(applied.code).toBe(1)
    expect(applied.stdout).toMatch(
      new RegExp(`^stale\\s+${names[0] as string}.*not Member \\(ROLE_MEMBER\\) as the plan saw it`, 'm'),
    )
    expect(applied.stderr).toContain('4 updated')
    expect(await emulator.role(names[0] as string)).toBe('ROLE_MANAGER')
    for (const name of names.slice(1)) expect(await emulator.role(name)).toBe('ROLE_ASSISTANT_MANAGER')
  })
})
