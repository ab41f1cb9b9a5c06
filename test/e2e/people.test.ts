// Acting on people and spaces, end to end, in the spaces tests' organisation of 60 spaces (48 named ones, 6
// of them ownerless, plus group chats and DMs) where everyone holds different roles in different spaces.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator, type EmulatorState } from './harness.js'
import { delegateKey, membershipsOf, PERSON, PERSON_EMAIL, spacesSeed } from './spaces-seed.js'

const ORGANISATION = spacesSeed()
const email = (index: number): string => `user${index}@bench.example`
const userId = (index: number): string => `users/2${String(index).padStart(20, '0')}`
const FAST = { CHAT_ROLE_BACKOFF_BASE_MS: '10' }

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator(ORGANISATION, ['--no-quotas'])
})
afterAll(async () => {
  await emulator.stop()
})
beforeEach(async () => {
  await emulator.reset()
})

interface Row {
  readonly space: string
  readonly spaceType: string | undefined
  readonly name: string
  readonly member: string | undefined
  readonly role: string | undefined
}

/** Every membership of the state, flat. */
function rows(state: EmulatorState): Row[] {
  return state.spaces.flatMap(space =>
    space.memberships.map(m => {
      const full = m as { name: string; role?: string; member?: { name?: string } }
      return {
        space: space.name,
        spaceType: (space as { spaceType?: string }).spaceType,
        name: full.name,
        member: full.member?.name,
        role: full.role,
      }
    }),
  )
}

function roleOf(state: EmulatorState, space: string, user: string): string | undefined {
  return rows(state).find(row => row.space === space && row.member === user)?.role
}

describe('demote --all-managers', () => {
  it('demotes every manager and owner of a space but those kept', async () => {
    const before = await emulator.state()
    const space = 'spaces/AAAAbench000001' // two owners: users 1 and 2
    const managers = rows(before).filter(
      row => row.space === space && (row.role === 'ROLE_MANAGER' || row.role === 'ROLE_ASSISTANT_MANAGER'),
    )
    expect(managers.length).toBeGreaterThanOrEqual(3)
    const result = await emulator.cli([
      'demote',
      '--space',
      space,
      '--all-managers',
      '--keep',
      email(1),
      '--yes',
      '--admin',
    ])
    expect(result.code).toBe(0)
    const after = await emulator.state()
    expect(roleOf(after, space, userId(1))).toBe('ROLE_MANAGER')
    expect(
      rows(after)
        .filter(row => row.space === space && row.role !== 'ROLE_MEMBER')
        .map(row => row.member),
    ).toEqual([userId(1)])
    expect(result.stderr).toContain(`${managers.length - 1} updated`)
  })

  it('refuses to leave the space without an owner, and sends no write', async () => {
    const result = await emulator.cli([
      'demote',
      '--space',
      'spaces/AAAAbench000001',
      '--all-managers',
      '--yes',
      '--admin',
    ])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/would leave it without an owner/)
    expect(result.stderr).toContain('hint: keep an owner with --keep EMAIL')
    expect(await emulator.writes()).toHaveLength(0)
  })
})

describe('handover', () => {
  it('makes B owner wherever A owned, then A a member; reports where B is missing; undo restores it all', async () => {
    const before = await emulator.state()
    const from = 3
    const to = 14
    const owned = rows(before).filter(row => row.member === userId(from) && row.role === 'ROLE_MANAGER')
    const missing = owned.filter(row => roleOf(before, row.space, userId(to)) === undefined)
    const handed = owned.filter(row => roleOf(before, row.space, userId(to)) !== undefined)
    expect(missing.length).toBeGreaterThan(0)
    expect(handed.length).toBeGreaterThan(0)

    const journal = join(mkdtempSync(join(tmpdir(), 'chat-role-handover-')), 'run.jsonl')
    const result = await emulator.cli(
      ['handover', '--from', email(from), '--to', email(to), '--all-spaces', '--admin', '--yes', '--journal', journal],
      { env: FAST },
    )
    expect(result.code).toBe(1) // the spaces where B is not a member are reported
    const after = await emulator.state()
    for (const row of handed) {
      expect(roleOf(after, row.space, userId(to))).toBe('ROLE_MANAGER')
      expect(roleOf(after, row.space, userId(from))).toBe('ROLE_MEMBER')
    }
    for (const row of missing) {
      expect(roleOf(after, row.space, userId(from))).toBe('ROLE_MANAGER')
      expect(result.stdout).toContain(`${email(to)} is not a joined member of ${row.space}: nothing was changed there`)
    }
    // Nothing else changed anywhere.
    const touched = new Set(handed.map(row => row.space))
    for (const row of rows(before).filter(row => !touched.has(row.space))) {
      expect(roleOf(after, row.space, row.member as string)).toBe(row.role)
    }

    const undone = await emulator.cli(['undo', journal, '--admin', '--yes'], { env: FAST })
    expect(undone.code).toBe(0)
    expect(await emulator.state()).toEqual(before)
  })
})

describe('promote --to owner --ownerless', () => {
  it('gives each ownerless space its longest-standing manager as owner, and reports those with no candidate', async () => {
    const before = await emulator.state()
    const named = before.spaces.filter(space => (space as { spaceType?: string }).spaceType === 'SPACE')
    const ownerless = named.filter(space => !space.memberships.some(m => m.role === 'ROLE_MANAGER'))
    expect(ownerless).toHaveLength(6)
    const result = await emulator.cli([
      'promote',
      '--to',
      'owner',
      '--ownerless',
      '--admin',
      '--pick',
      'manager',
      '--yes',
    ])
    const after = await emulator.state()
    let repaired = 0
    for (const space of ownerless) {
      const hadManagers = space.memberships.some(m => m.role === 'ROLE_ASSISTANT_MANAGER')
      const owners = after.spaces.find(s => s.name === space.name)?.memberships.filter(m => m.role === 'ROLE_MANAGER')
      if (hadManagers) {
        repaired += 1
        expect(owners).toHaveLength(1)
      } else {
        expect(owners).toHaveLength(0)
        expect(result.stdout).toContain(`${space.name} has no owner and no manager to make owner`)
      }
    }
    expect(repaired).toBe(3)
    expect(result.stderr).toContain('3 updated')
    expect(result.code).toBe(1)
  })
})

describe('a person everywhere', () => {
  it('demote --user --all-spaces --admin: every space they manage, the last-owner guard where they own alone', async () => {
    const before = await emulator.state()
    const person = 5
    const held = rows(before).filter(
      row => row.member === userId(person) && row.spaceType === 'SPACE' && row.role !== 'ROLE_MEMBER',
    )
    const soleOwner = held.filter(
      row =>
        row.role === 'ROLE_MANAGER' &&
        rows(before).filter(other => other.space === row.space && other.role === 'ROLE_MANAGER').length === 1,
    )
    const result = await emulator.cli(['demote', '--user', email(person), '--all-spaces', '--admin', '--yes'], {
      env: FAST,
    })
    // Admin search lists named spaces only: no group chat or DM is read, or needs skipping.
    expect(result.stderr).toMatch(
      /Found user5@bench\.example in \d+ spaces \(with admin access, from every space of the organisation; \d+ reads/,
    )
    const after = await emulator.state()
    for (const row of held) {
      const expected = soleOwner.includes(row) ? 'ROLE_MANAGER' : 'ROLE_MEMBER'
      expect(roleOf(after, row.space, userId(person))).toBe(expected)
    }
    expect(result.code).toBe(soleOwner.length > 0 ? 1 : 0)
  })

  it('--impersonate the person: found from their own spaces, every named one they are in', async () => {
    const key = await delegateKey(emulator.url)
    const result = await emulator.cli(
      ['demote', '--user', PERSON_EMAIL, '--all-spaces', '--impersonate', PERSON_EMAIL, '--key-file', key, '--dry-run'],
      { env: FAST },
    )
    const named = membershipsOf(ORGANISATION, PERSON).filter(m => m.type === 'SPACE')
    expect(result.stderr).toContain(
      `Found ${PERSON_EMAIL} in ${named.length} spaces (as ${PERSON_EMAIL}, from their own spaces;`,
    )
    expect(result.stderr).toMatch(/skipped \d+ group chats and \d+ direct messages/)
    // Each membership above member is planned, or refused where the person is its only owner.
    const planned = (result.stdout.match(/^would set/gm) ?? []).length
    const refused = (result.stdout.match(/^failed .*last owner/gm) ?? []).length
    expect(planned).toBeGreaterThan(0)
    expect(planned + refused).toBe(named.filter(m => m.role !== 'ROLE_MEMBER').length)
  })
})
