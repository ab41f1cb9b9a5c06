// Role snapshots with `list --csv` and their restore with `set --file`, CSV page by page on a big space, and
// `spaces` stopped half-way: end to end, the built CLI against a spawned emulator.
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from './harness.js'
import { seed } from './seed.js'
import { spacesSeed } from './spaces-seed.js'

let emulator: Emulator | undefined
afterEach(async () => {
  await emulator?.stop()
  emulator = undefined
})

const SPACE = 'spaces/AAAAbench000000'
const member = (user: number): string => `${SPACE}/members/2${String(user).padStart(20, '0')}`

async function rolesOf(running: Emulator, space: string): Promise<[string, string | undefined][]> {
  const state = await running.state()
  return (state.spaces.find(s => s.name === space)?.memberships ?? []).map(m => [m.name, m.role])
}

describe('list --csv', () => {
  it('is a snapshot that set --file restores exactly', async () => {
    const running = await startEmulator(spacesSeed())
    emulator = running
    const before = await rolesOf(running, SPACE)
    const snapshot = await running.cli(['list', SPACE, '--csv'])
    expect(snapshot.code).toBe(0)
    const rows: Record<string, string>[] = parse(snapshot.stdout, { columns: true })
    expect(rows.map(row => [row.name, row.role])).toEqual(before)
    expect(new Set(rows.map(row => row.role))).toEqual(
      new Set(['ROLE_MANAGER', 'ROLE_ASSISTANT_MANAGER', 'ROLE_MEMBER']),
    )

    // Someone changes roles: two new owners, the manager demoted, a member made manager.
    const changes = [
      ['set', 'owner', member(1), member(2)],
      ['set', 'member', member(10)],
      ['set', 'manager', member(3)],
    ]
    for (const args of changes) expect((await running.cli([...args, '--yes'])).code).toBe(0)
    expect(await rolesOf(running, SPACE)).not.toEqual(before)

    const file = join(mkdtempSync(join(tmpdir(), 'chat-role-snapshot-')), 'before.csv')
    writeFileSync(file, snapshot.stdout)
    const restore = await running.cli(['set', '--file', file, '--yes'])
    expect(restore.code).toBe(0)
    expect(restore.stdout.split('\n').filter(line => line.startsWith('updated'))).toHaveLength(4)
    expect(await rolesOf(running, SPACE)).toEqual(before)
  })

  it('writes the header once, then each page of 1,000 as it comes', async () => {
    const running = await startEmulator(seed({ bulkSpaces: 1, bulkMembers: 1500 }))
    emulator = running
    const result = await running.cli(['list', 'spaces/AAAAbulk0', '--csv'])
    expect(result.code).toBe(0)
    const records = result.stdout.split('\r\n')
    expect(records[0]).toBe('name,role,space,member.name,member.email,member.type,displayName,state')
    expect(records.filter(record => record.startsWith('name,'))).toHaveLength(1)
    expect(records.at(-1)).toBe('')
    expect(records).toHaveLength(1 + 1501 + 1)
    const lists = (await running.requests()).filter(request => request.path === '/v1/spaces/AAAAbulk0/members')
    expect(lists).toHaveLength(2)
  })

  it('cannot be combined with --names (exit 2)', async () => {
    const running = await startEmulator(seed())
    emulator = running
    const result = await running.cli(['list', 'spaces/AAAAengineering', '--csv', '--names'])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      'chat-role: --names and --csv cannot be combined\nhint: the CSV has the names in its first column\n',
    )
  })
})

describe('spaces, stopped half-way', () => {
  it('prints what it found, says so, and exits 130', async () => {
    // 20 membership reads a minute: the first 20 go through, the rest wait on the quota until Ctrl-C.
    const running = await startEmulator(spacesSeed(), ['--quota-project-reads-per-min', '20'])
    emulator = running
    let interrupted = false
    const result = await running.cli(['spaces', '--admin', '--ownerless', '--json'], {
      onSpawn: child => {
        const timer = setInterval(() => {
          void running.requests().then(requests => {
            if (!interrupted && requests.some(request => request.status === 429)) {
              interrupted = true
              child.kill('SIGINT')
              clearInterval(timer)
            }
          })
        }, 20)
        child.once('exit', () => {
          clearInterval(timer)
        })
      },
    })
    expect(interrupted).toBe(true)
    expect(result.code).toBe(130)
    const document = JSON.parse(result.stdout) as { ok: boolean; requests: number; spaces: unknown[] }
    expect(document.ok).toBe(false)
    const reads = (await running.requests()).filter(r => r.path.endsWith('/members') && r.status === 200)
    expect(reads.length).toBeGreaterThanOrEqual(20)
    expect(reads.length).toBeLessThan(48)
    expect(result.stderr).toMatch(/named spaces? without an owner, of 48 spaces listed/)
  })
})
