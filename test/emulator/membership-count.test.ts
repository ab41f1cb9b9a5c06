// Space.membershipCount on every method that answers spaces (get, list, search) and in the state
// snapshot: joinedDirectHumanUserCount and joinedGroupCount count JOINED memberships only, humans only
// (apps are not human users), and zero counts are left out as proto3 JSON does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator, Seed } from '../../src/emulator/index.js'
import { call, chatClient, startTestEmulator, userToken } from './chat-harness.js'

const seed: Seed = {
  users: [{ id: 'admin', admin: true }, { id: 'h1' }, { id: 'h2' }, { id: 'h3' }, { id: 'bot', type: 'BOT' }],
  spaces: [
    {
      id: 'MIXED',
      displayName: 'Mixed',
      memberships: [
        { user: 'admin', role: 'ROLE_MANAGER' },
        { user: 'h1' },
        { user: 'h2', state: 'INVITED' },
        { user: 'h3', role: 'ROLE_ASSISTANT_MANAGER' },
        { user: 'bot' },
        { group: 'groups/joined-a' },
        { group: 'groups/joined-b' },
        { group: 'groups/invited', state: 'INVITED' },
      ],
    },
    {
      id: 'GROUPS_ONLY',
      displayName: 'Groups only',
      memberships: [{ group: 'groups/g' }, { user: 'h1', state: 'INVITED' }, { user: 'bot' }],
    },
    { id: 'EMPTY', displayName: 'Empty' },
    { id: 'CHAT', spaceType: 'GROUP_CHAT', memberships: [{ user: 'admin' }, { user: 'h1' }, { user: 'h2' }] },
    { id: 'DM', spaceType: 'DIRECT_MESSAGE', memberships: [{ user: 'admin' }, { user: 'bot' }] },
  ],
  defaultCaller: 'admin',
}

const expected: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  MIXED: { joinedDirectHumanUserCount: 3, joinedGroupCount: 2 },
  GROUPS_ONLY: { joinedGroupCount: 1 },
  EMPTY: {},
  CHAT: { joinedDirectHumanUserCount: 3 },
  DM: { joinedDirectHumanUserCount: 1 },
}

let emulator: Emulator

beforeAll(async () => {
  emulator = await startTestEmulator({ seed })
})
afterAll(async () => {
  await emulator.close()
})

type Counted = { name?: string | null; membershipCount?: unknown }

function countsByName(spaces: readonly Counted[] | undefined): Record<string, unknown> {
  const entries = (spaces ?? []).map((space): [string, unknown] => [
    (space.name ?? '').slice('spaces/'.length),
    space.membershipCount,
  ])
  return Object.fromEntries(entries)
}

describe('membershipCount', () => {
  it('spaces.get', async () => {
    const client = chatClient(emulator, userToken('admin', 'chat.admin.spaces.readonly'))
    for (const [id, counts] of Object.entries(expected)) {
      const { data } = await client.spaces.get({ name: `spaces/${id}`, useAdminAccess: true })
      expect(data.membershipCount, id).toEqual(counts)
    }
  })

  it('spaces.list', async () => {
    const { data } = await chatClient(emulator).spaces.list({})
    // The caller (admin) has joined MIXED, CHAT and DM.
    expect(countsByName(data.spaces)).toEqual({ CHAT: expected['CHAT'], DM: expected['DM'], MIXED: expected['MIXED'] })
  })

  it('spaces.search', async () => {
    const { data } = await chatClient(emulator).spaces.search({
      useAdminAccess: true,
      query: 'customer = "customers/my_customer" AND space_type = "SPACE"',
    })
    expect(countsByName(data.spaces)).toEqual({
      EMPTY: expected['EMPTY'],
      GROUPS_ONLY: expected['GROUPS_ONLY'],
      MIXED: expected['MIXED'],
    })
    expect(countsByName(data.results?.map(result => result.space ?? {}))).toEqual(countsByName(data.spaces))
  })

  it('the state snapshot', () => {
    expect(countsByName(emulator.state().spaces)).toEqual(expected)
  })

  it('does not change with roles', async () => {
    const response = await call(emulator, '/v1/spaces/MIXED/members/h1?updateMask=role', {
      method: 'PATCH',
      body: JSON.stringify({ role: 'ROLE_MANAGER' }),
    })
    expect(response.status).toBe(200)
    expect(countsByName(emulator.state().spaces)['MIXED']).toEqual(expected['MIXED'])
  })

  it('is answered as numbers, and as int32 JSON numbers with enum-encoding=int too', async () => {
    const response = await call(emulator, '/v1/spaces/MIXED?alt=json;enum-encoding=int')
    const body = (await response.json()) as { membershipCount: unknown; spaceType: unknown }
    expect(body.membershipCount).toEqual(expected['MIXED'])
    expect(body.spaceType).toBe(1)
  })
})
