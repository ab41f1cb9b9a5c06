// generateSeed: the benchmark's seed unchanged by default, and big mixed organisations for the
// offboarding, handover and ownerless-repair tests: space types, ownerless spaces, and people who
// hold every kind of role in many spaces. Checked on the seed, then served and searched.
import { describe, expect, it } from 'vitest'
import {
  type GeneratedSeedOptions,
  type Seed,
  generateSeed,
  generatedSpaceId,
  generatedUserId,
  validateSeed,
} from '../../src/emulator/index.js'
import { call, startTestEmulator } from './chat-harness.js'

/** The organisation the README suggests for end-to-end tests. */
const ORGANISATION: GeneratedSeedOptions = {
  spaces: 60,
  groupChats: 6,
  directMessages: 6,
  membersPerSpace: 12,
  users: 15,
  stride: 1,
  maxOwnersPerSpace: 2,
  ownerless: 6,
}

interface Holding {
  soleOwner: number
  coOwner: number
  manager: number
  member: number
  groupChats: number
  directMessages: number
}

function holdings(seed: Seed, userId: string): Holding {
  const result: Holding = { soleOwner: 0, coOwner: 0, manager: 0, member: 0, groupChats: 0, directMessages: 0 }
  for (const space of seed.spaces ?? []) {
    const mine = space.memberships?.find(membership => membership.user === userId)
    if (mine === undefined) continue
    if (space.spaceType === 'GROUP_CHAT') result.groupChats += 1
    else if (space.spaceType === 'DIRECT_MESSAGE') result.directMessages += 1
    else if (mine.role === 'ROLE_MANAGER') {
      const owners = space.memberships?.filter(membership => membership.role === 'ROLE_MANAGER').length ?? 0
      if (owners === 1) result.soleOwner += 1
      else result.coOwner += 1
    } else if (mine.role === 'ROLE_ASSISTANT_MANAGER') result.manager += 1
    else result.member += 1
  }
  return result
}

const ownersOf = (space: NonNullable<Seed['spaces']>[number]): number =>
  space.memberships?.filter(membership => membership.role === 'ROLE_MANAGER').length ?? 0

describe('generateSeed', () => {
  it('by default: SPACEs of the same users, the first an owner, every tenth a manager', () => {
    const seed = generateSeed({ spaces: 2, membersPerSpace: 21 })
    expect(seed.users).toHaveLength(21)
    expect(seed.users?.[0]).toEqual({
      id: generatedUserId(0),
      email: 'user0@bench.example',
      displayName: 'Bench User 0',
      admin: true,
    })
    expect(seed.defaultCaller).toBe(generatedUserId(0))
    for (const space of seed.spaces ?? []) {
      expect(space.spaceType).toBeUndefined()
      expect(space.memberships?.map(membership => membership.user)).toEqual(
        Array.from({ length: 21 }, (_, index) => generatedUserId(index)),
      )
      expect(
        space.memberships?.flatMap((membership, position) => (membership.role === 'ROLE_MEMBER' ? [] : [position])),
      ).toEqual([0, 10, 20])
      expect(space.memberships?.[0]?.role).toBe('ROLE_MANAGER')
    }
    expect(seed.spaces?.map(space => space.id)).toEqual([generatedSpaceId(0), generatedSpaceId(1)])
  })

  it('mixes space types: SPACEs, then group chats, then DMs between neighbours in the pool', () => {
    const seed = generateSeed(ORGANISATION)
    const types = (seed.spaces ?? []).map(space => space.spaceType ?? 'SPACE')
    expect(types.filter(type => type === 'SPACE')).toHaveLength(48)
    expect(types.slice(48, 54)).toEqual(Array(6).fill('GROUP_CHAT'))
    expect(types.slice(54)).toEqual(Array(6).fill('DIRECT_MESSAGE'))
    const dms = (seed.spaces ?? []).slice(54)
    expect(dms[0]?.memberships).toEqual([{ user: generatedUserId(0) }, { user: generatedUserId(1) }])
    expect(dms.every(space => space.memberships?.length === 2 && space.displayName === undefined)).toBe(true)
    const chats = (seed.spaces ?? []).slice(48, 54)
    expect(chats.every(space => space.memberships?.length === 12)).toBe(true)
    expect(chats.every(space => space.memberships?.every(membership => membership.role === undefined))).toBe(true)
  })

  it('leaves the last SPACEs without an owner: managers in every other one, members only in the rest', () => {
    const spaces = generateSeed(ORGANISATION).spaces ?? []
    expect(spaces.slice(0, 42).every(space => ownersOf(space) >= 1)).toBe(true)
    const ownerless = spaces.slice(42, 48)
    expect(ownerless.map(ownersOf)).toEqual([0, 0, 0, 0, 0, 0])
    const managers = ownerless.map(
      space => space.memberships?.filter(membership => membership.role === 'ROLE_ASSISTANT_MANAGER').length,
    )
    // Spaces 42, 44, 46 (one owner seat each) have managers there and at position 10; 43, 45, 47 members only.
    expect(managers).toEqual([2, 0, 2, 0, 2, 0])
  })

  it('gives 1 to maxOwnersPerSpace owners by turns', () => {
    const spaces = generateSeed(ORGANISATION).spaces ?? []
    expect(spaces.slice(0, 6).map(ownersOf)).toEqual([1, 2, 1, 2, 1, 2])
  })

  it('puts people in many spaces with every kind of role', () => {
    const seed = generateSeed(ORGANISATION)
    const all = (seed.users ?? []).map(user => holdings(seed, user.id))
    // Everyone is in most SPACEs (12 of every 15), and someone is a sole owner, a co-owner, a manager
    // and a member of several, and in group chats and DMs.
    for (const holding of all) {
      expect(holding.soleOwner + holding.coOwner + holding.manager + holding.member).toBeGreaterThanOrEqual(36)
    }
    const versatile = all.filter(
      holding =>
        holding.soleOwner >= 1 &&
        holding.coOwner >= 2 &&
        holding.manager >= 2 &&
        holding.member >= 20 &&
        holding.groupChats >= 3 &&
        holding.directMessages >= 1,
    )
    expect(versatile.length).toBeGreaterThanOrEqual(5)
    expect(holdings(seed, generatedUserId(5))).toEqual({
      soleOwner: 1,
      coOwner: 3,
      manager: 3,
      member: 32,
      groupChats: 3,
      directMessages: 2,
    })
  })

  it('is valid, deterministic, and served: the admin searches all 48 SPACEs', async () => {
    expect(generateSeed(ORGANISATION)).toEqual(generateSeed(ORGANISATION))
    const valid = validateSeed(generateSeed(ORGANISATION))
    expect(valid.spaces).toHaveLength(60)
    const emulator = await startTestEmulator({ seed: generateSeed(ORGANISATION) })
    try {
      const query = encodeURIComponent('customer = "customers/my_customer" AND space_type = "SPACE"')
      const response = await call(emulator, `/v1/spaces:search?useAdminAccess=true&query=${query}&pageSize=1000`)
      const body = (await response.json()) as { totalSize?: number; spaces?: unknown[] }
      expect({ status: response.status, total: body.totalSize, page: body.spaces?.length }).toEqual({
        status: 200,
        total: 48,
        page: 48,
      })
    } finally {
      await emulator.close()
    }
  })

  it.each([
    [{ spaces: 3, membersPerSpace: 2, groupChats: 2, directMessages: 2 }, 'exceed spaces'],
    [{ spaces: 3, membersPerSpace: 2, ownerless: 4 }, 'ownerless exceeds'],
    [{ spaces: 3, membersPerSpace: 5, users: 4 }, 'users must be an integer of at least 5'],
    [{ spaces: 3, membersPerSpace: 1, directMessages: 1 }, 'at least 2 users'],
    [{ spaces: -1, membersPerSpace: 1 }, 'spaces must be'],
    [{ spaces: 1, membersPerSpace: 1, stride: 0.5 }, 'stride must be'],
    [{ spaces: 1, membersPerSpace: 1, maxOwnersPerSpace: 0 }, 'maxOwnersPerSpace must be'],
  ])('refuses %j', (options, message) => {
    expect(() => generateSeed(options)).toThrow(message)
  })
})
