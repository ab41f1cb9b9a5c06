// list and show, end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from './harness.js'
import { INVITED, MAX, NORA, OLIVIA, PAT, seed } from './seed.js'

const ENG = 'spaces/AAAAengineering'
let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator(seed())
})
afterAll(async () => {
  await emulator.stop()
})

async function names(args: string[]): Promise<string[]> {
  const result = await emulator.cli(['list', ENG, '--names', ...args])
  expect(result.code).toBe(0)
  return result.stdout
    .trim()
    .split('\n')
    .filter(line => line !== '')
    .sort()
}

describe('list', () => {
  it('lists joined humans and apps, with both forms of each role', async () => {
    const result = await emulator.cli(['list', ENG])
    expect(result.code).toBe(0)
    const lines = result.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^NAME\s+ROLE\s+TYPE\s+STATE\s+MEMBER$/)
    expect(result.stdout).toMatch(
      new RegExp(
        `${ENG}/members/${NORA}\\s+Manager \\(ROLE_ASSISTANT_MANAGER\\)\\s+HUMAN\\s+JOINED\\s+Nora Manager nora@example.com`,
      ),
    )
    expect(result.stdout).toContain('Owner (ROLE_MANAGER)')
    expect(result.stdout).not.toContain(INVITED)
    expect(result.stdout).not.toContain('eng-all')
  })

  it('filters owners on the server with role = "ROLE_MANAGER"', async () => {
    expect(await names(['--role', 'owner'])).toEqual([`${ENG}/members/${OLIVIA}`, `${ENG}/members/${PAT}`])
    const lists = (await emulator.requests()).filter(request => request.path.endsWith('/members'))
    expect(lists.at(-1)?.query?.filter).toBe('role = "ROLE_MANAGER"')
  })

  it('filters managers (ROLE_ASSISTANT_MANAGER) on the client', async () => {
    expect(await names(['--role', 'manager'])).toEqual([`${ENG}/members/${NORA}`])
  })

  it('filters members and types', async () => {
    expect(await names(['--role', 'member', '--type', 'human'])).toEqual([`${ENG}/members/${MAX}`])
    expect(await names(['--type', 'bot'])).toEqual([`${ENG}/members/app-1`])
  })

  it('includes invited members and groups when asked', async () => {
    expect(await names(['--invited'])).toContain(`${ENG}/members/${INVITED}`)
    expect((await names(['--groups'])).some(name => name.endsWith('eng-all'))).toBe(true)
  })

  it('lists as an admin with the type filter the API requires', async () => {
    const result = await emulator.cli(['list', 'spaces/AAAAnotmine', '--admin', '--names'])
    expect(result.code).toBe(0)
    expect(result.stdout.trim().split('\n')).toHaveLength(3)
    const lists = (await emulator.requests()).filter(request => request.path.endsWith('/members'))
    expect(lists.at(-1)?.query).toMatchObject({ useAdminAccess: 'true', filter: 'member.type = "HUMAN"' })
  })

  it('prints one JSON document', async () => {
    const result = await emulator.cli(['--json', 'list', ENG, '--role', 'owner'])
    const document = JSON.parse(result.stdout) as { ok: boolean; memberships: { name: string; roleLabel: string }[] }
    expect(document.ok).toBe(true)
    expect(document.memberships.map(m => m.roleLabel)).toEqual(['Owner (ROLE_MANAGER)', 'Owner (ROLE_MANAGER)'])
  })

  it('reports a missing space and exits 1', async () => {
    const result = await emulator.cli(['list', 'spaces/AAAAnowhere'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('spaces/AAAAnowhere was not found')
  })

  it('rejects a malformed space with exit 2 and sends nothing', async () => {
    const before = (await emulator.requests()).length
    const result = await emulator.cli(['list', 'rooms/AAAA'])
    expect(result.code).toBe(2)
    expect((await emulator.requests()).length).toBe(before)
  })
})

describe('show', () => {
  it('shows a membership by email alias', async () => {
    const result = await emulator.cli(['show', `${ENG}/members/nora@example.com`])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`${ENG}/members/${NORA}`)
    expect(result.stdout).toContain('Nora Manager <nora@example.com>')
    expect(result.stdout).toContain('role:    Manager (ROLE_ASSISTANT_MANAGER)')
  })

  it('shows as JSON', async () => {
    const result = await emulator.cli(['--json', 'show', '--space', ENG, MAX])
    const document = JSON.parse(result.stdout) as { membership: { role: string; email: string } }
    expect(document.membership).toMatchObject({ role: 'ROLE_MEMBER', email: 'max@example.com' })
  })
})
