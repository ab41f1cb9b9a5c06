// spaces.search with useAdminAccess=true: who may call it, the required query terms, the query
// grammar and its matching rules, orderBy, paging and totalSize, through @googleapis/chat and raw HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, type Seed, generateSeed } from '../../src/emulator/index.js'
import { appToken, call, chatClient, expectApiError, startTestEmulator, userToken } from './chat-harness.js'

const ADMIN = 'admin-1'
const seed: Seed = {
  users: [
    { id: ADMIN, email: 'ada@example.com', admin: true },
    { id: 'u1', email: 'u1@example.com' },
    { id: 'u2', email: 'u2@example.com' },
    { id: 'u3', email: 'u3@example.com' },
    { id: 'bot', type: 'BOT' },
  ],
  spaces: [
    {
      id: 'S1',
      displayName: 'Fun event',
      createTime: '2019-06-01T00:00:00Z',
      lastActiveTime: '2021-06-01T00:00:00Z',
      externalUserAllowed: true,
      memberships: [
        { user: 'u1', role: 'ROLE_MANAGER' },
        { user: 'u2' },
        { group: 'groups/all' },
        { user: 'u3', state: 'INVITED' },
        { user: 'bot' },
      ],
    },
    {
      id: 'S2',
      displayName: 'The evening was fun',
      createTime: '2020-06-01T00:00:00Z',
      lastActiveTime: '2023-01-01T00:00:00Z',
      spaceHistoryState: 'HISTORY_OFF',
      memberships: [{ user: 'u1' }, { user: 'u2' }, { user: 'u3' }],
    },
    {
      id: 'S3',
      displayName: 'notFun event',
      createTime: '2021-06-01T00:00:00Z',
      lastActiveTime: '2022-06-01T00:00:00Z',
      memberships: [{ user: 'u1', role: 'ROLE_MANAGER' }],
    },
    {
      id: 'S4',
      displayName: 'even',
      createTime: '2022-06-01T00:00:00Z',
      lastActiveTime: '2024-01-01T00:00:00Z',
      externalUserAllowed: true,
    },
    { id: 'G1', spaceType: 'GROUP_CHAT', memberships: [{ user: 'u1' }, { user: 'u2' }, { user: 'u3' }] },
    { id: 'D1', spaceType: 'DIRECT_MESSAGE', memberships: [{ user: 'u1' }, { user: 'u2' }] },
  ],
  defaultCaller: ADMIN,
}

const admin = userToken(ADMIN, 'chat.admin.spaces.readonly')
const BASE = 'customer = "customers/my_customer" AND space_type = "SPACE"'

let emulator: Emulator

beforeAll(async () => {
  emulator = await startTestEmulator({ seed })
})
afterAll(async () => {
  await emulator.close()
})

interface SearchBody {
  spaces?: { name: string; membershipCount?: Record<string, number> }[]
  results?: { space: { name: string } }[]
  nextPageToken?: string
  totalSize?: number
  error?: { code: number; status: string; message: string }
}

async function search(
  params: Record<string, string | number | boolean>,
  token = admin,
): Promise<{ status: number; body: SearchBody }> {
  const query = new URLSearchParams(
    Object.entries(params).map(([key, value]): [string, string] => [key, String(value)]),
  )
  const response = await call(emulator, `/v1/spaces:search?${query.toString()}`, { token })
  return { status: response.status, body: (await response.json()) as SearchBody }
}

async function ids(query: string, extra: Record<string, string | number> = {}): Promise<string[]> {
  const { status, body } = await search({ useAdminAccess: true, query, ...extra })
  expect(status, JSON.stringify(body)).toBe(200)
  return (body.spaces ?? []).map(space => space.name.slice('spaces/'.length))
}

describe('spaces.search (admin)', () => {
  it('finds every SPACE of the organisation, members or not, with membershipCount and totalSize', async () => {
    const { data } = await chatClient(emulator, admin).spaces.search({ useAdminAccess: true, query: BASE })
    expect(data.spaces?.map(space => space.name)).toEqual(['spaces/S1', 'spaces/S2', 'spaces/S3', 'spaces/S4'])
    expect(data.totalSize).toBe(4)
    expect(data.nextPageToken).toBeUndefined()
    expect(data.spaces?.[0]).toMatchObject({
      displayName: 'Fun event',
      spaceType: 'SPACE',
      externalUserAllowed: true,
      lastActiveTime: '2021-06-01T00:00:00Z',
      membershipCount: { joinedDirectHumanUserCount: 2, joinedGroupCount: 1 },
    })
    expect(data.spaces?.[3]?.membershipCount).toEqual({})
    // `results` (the newer field) carries the same spaces.
    expect(data.results?.map(result => result.space)).toEqual(data.spaces)
  })

  it('answers {} when nothing matches', async () => {
    const { status, body } = await search({ useAdminAccess: true, query: `${BASE} AND display_name:"nothing"` })
    expect({ status, body }).toEqual({ status: 200, body: {} })
  })

  it('takes chat.admin.spaces or chat.admin.spaces.readonly', async () => {
    for (const scope of ['chat.admin.spaces', 'chat.admin.spaces.readonly']) {
      expect((await search({ useAdminAccess: true, query: BASE }, userToken(ADMIN, scope))).status).toBe(200)
    }
  })

  it('refuses user scopes, non-admins, apps and missing tokens', async () => {
    const client = (token: string) => chatClient(emulator, token).spaces.search({ useAdminAccess: true, query: BASE })
    const scope = await expectApiError(client(userToken(ADMIN, 'chat.spaces')), 403, 'PERMISSION_DENIED')
    expect(scope.details?.[0]).toMatchObject({
      reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
      metadata: { method: 'google.chat.v1.ChatService.SearchSpaces' },
    })
    const notAdmin = await expectApiError(client(userToken('u1', 'chat.admin.spaces')), 403, 'PERMISSION_DENIED')
    expect(notAdmin.message).toContain('is not a Google Workspace administrator')
    await expectApiError(client(appToken('bot', 'chat.bot')), 403, 'PERMISSION_DENIED')
    expect((await search({ useAdminAccess: true, query: BASE }, 'no-such-token')).status).toBe(401)
  })

  it("answers 501 without useAdminAccess (a user's own search is not emulated)", async () => {
    const calls: Record<string, string | boolean>[] = [{ query: BASE }, { query: BASE, useAdminAccess: false }]
    for (const params of calls) {
      const { status, body } = await search(params, userToken('u1', 'chat.spaces'))
      expect(status).toBe(501)
      expect(body.error?.status).toBe('UNIMPLEMENTED')
    }
  })
})

describe('required query terms', () => {
  it.each([
    ['', 'The query is required.'],
    ['space_type = "SPACE"', 'customer is required'],
    ['customer = "customers/my_customer"', 'space_type is required'],
    ['customer = "customers/my_customer" AND display_name:"fun"', 'space_type is required'],
    ['customer = "customers/C03abc" AND space_type = "SPACE"', 'customers/my_customer is the only supported'],
    ['customer = "customers/my_customer" AND space_type = "GROUP_CHAT"', 'SPACE is the only valid space_type'],
  ])('%j is 400 INVALID_ARGUMENT', async (query, message) => {
    const { status, body } = await search({ useAdminAccess: true, ...(query === '' ? {} : { query }) })
    expect({ status, code: body.error?.status }).toEqual({ status: 400, code: 'INVALID_ARGUMENT' })
    expect(body.error?.message).toContain(message)
  })
})

describe('query matching', () => {
  it.each([
    // display_name HAS: each word prefixes a word of the name, case-insensitively (the documented examples).
    ['display_name:"Fun Eve"', ['S1', 'S2']],
    ['display_name:"fun"', ['S1', 'S2']],
    ['display_name:"eve"', ['S1', 'S2', 'S3', 'S4']],
    ['display_name:"notfun"', ['S3']],
    ['(display_name:"notFun" OR display_name:"evening")', ['S2', 'S3']],
    ['displayName:"Fun Eve"', ['S1', 'S2']],
    ['external_user_allowed = "true"', ['S1', 'S4']],
    ['externalUserAllowed = "false"', ['S2', 'S3']],
    ['space_history_state = "HISTORY_OFF"', ['S2']],
    ['(space_history_state = "HISTORY_ON" OR space_history_state = "HISTORY_OFF")', ['S1', 'S2', 'S3', 'S4']],
    ['create_time > "2020-06-01T00:00:00Z"', ['S3', 'S4']],
    ['create_time >= "2020-06-01T00:00:00Z"', ['S2', 'S3', 'S4']],
    ['createTime = "2021-06-01T02:00:00+02:00"', ['S3']],
    ['(create_time > "2019-01-01T00:00:00+00:00" AND create_time < "2021-01-01T00:00:00+00:00")', ['S1', 'S2']],
    ['(last_active_time < "2022-01-01T00:00:00Z" OR last_active_time > "2023-06-01T00:00:00Z")', ['S1', 'S4']],
    ['last_active_time <= "2022-06-01T00:00:00Z"', ['S1', 'S3']],
    [
      '(display_name:"fun" OR display_name:"even") AND (last_active_time > "2020-01-01T00:00:00Z" AND last_active_time < "2023-06-01T00:00:00Z") AND external_user_allowed = "true"',
      ['S1'],
    ],
  ])('%s', async (terms, expected) => {
    expect(await ids(`${BASE} AND ${terms}`)).toEqual(expected)
  })

  it('accepts camelCase field names and the terms in any order', async () => {
    expect(await ids('spaceType = "SPACE" AND displayName:"fun" AND customer = "customers/my_customer"')).toEqual([
      'S1',
      'S2',
    ])
  })

  it.each([
    ['OR across fields', `${BASE} OR display_name:"fun"`],
    ['OR across fields in parentheses', `${BASE} AND (display_name:"fun" OR external_user_allowed = "true")`],
    ['space_type with OR', 'customer = "customers/my_customer" AND (space_type = "SPACE" OR space_type = "SPACE")'],
    ['space_type twice', `${BASE} AND space_type = "SPACE"`],
    ['customer twice', `${BASE} AND customer = "customers/my_customer"`],
    ['display_name with AND', `${BASE} AND display_name:"fun" AND display_name:"event"`],
    ['display_name with =', `${BASE} AND display_name = "Fun event"`],
    ['space_type with :', 'customer = "customers/my_customer" AND space_type:"SPACE"'],
    ['!=', `${BASE} AND external_user_allowed != "true"`],
    ['an unquoted value', `${BASE} AND external_user_allowed = true`],
    ['a bad boolean', `${BASE} AND external_user_allowed = "yes"`],
    ['a bad history state', `${BASE} AND space_history_state = "HISTORY_STATE_UNSPECIFIED"`],
    ['a bad timestamp', `${BASE} AND create_time > "2020-01-01"`],
    ['a time with :', `${BASE} AND create_time:"2020-01-01T00:00:00Z"`],
    ['an unknown field', `${BASE} AND membership_count > "1"`],
    ['NOT', `${BASE} AND NOT display_name:"fun"`],
    ['an unclosed parenthesis', `${BASE} AND (display_name:"fun"`],
    ['a stray parenthesis', `${BASE})`],
    ['a dangling AND', `${BASE} AND`],
    ['an unterminated string', `${BASE} AND display_name:"fun`],
    [
      'AND inside OR',
      `${BASE} AND (create_time > "2020-01-01T00:00:00Z" OR (create_time < "2019-01-01T00:00:00Z" AND create_time > "2018-01-01T00:00:00Z"))`,
    ],
    ['a query over 1,000 characters', `${BASE} AND display_name:"${'x'.repeat(1000)}"`],
  ])('%s is 400 INVALID_ARGUMENT', async (_name, query) => {
    const { status, body } = await search({ useAdminAccess: true, query })
    expect({ status, code: body.error?.status }).toEqual({ status: 400, code: 'INVALID_ARGUMENT' })
    expect(body.error?.message).toMatch(/^Invalid query: /)
  })
})

describe('orderBy', () => {
  it.each([
    ['', ['S1', 'S2', 'S3', 'S4']],
    ['create_time', ['S1', 'S2', 'S3', 'S4']],
    ['create_time DESC', ['S4', 'S3', 'S2', 'S1']],
    ['createTime desc', ['S4', 'S3', 'S2', 'S1']],
    ['last_active_time ASC', ['S1', 'S3', 'S2', 'S4']],
    ['last_active_time DESC', ['S4', 'S2', 'S3', 'S1']],
    // S1 has 2 joined humans (the invited one and the app do not count), S2 3, S3 1, S4 none.
    ['membership_count.joined_direct_human_user_count DESC', ['S2', 'S1', 'S3', 'S4']],
    ['membershipCount.joinedDirectHumanUserCount ASC', ['S4', 'S3', 'S1', 'S2']],
  ])('%j', async (orderBy, expected) => {
    expect(await ids(BASE, orderBy === '' ? {} : { orderBy })).toEqual(expected)
  })

  it.each(['relevance DESC', 'display_name', 'create_time UP', 'create_time DESC, last_active_time'])(
    '%j is 400 INVALID_ARGUMENT',
    async orderBy => {
      const { status, body } = await search({ useAdminAccess: true, query: BASE, orderBy })
      expect({ status, code: body.error?.status }).toEqual({ status: 400, code: 'INVALID_ARGUMENT' })
    },
  )
})

describe('paging', () => {
  it('pages through the ordered matches, totalSize on every page', async () => {
    const seen: string[] = []
    let pageToken: string | undefined
    for (let page = 0; page < 10; page += 1) {
      const params = {
        useAdminAccess: true,
        query: BASE,
        orderBy: 'last_active_time DESC',
        pageSize: 3,
        ...(pageToken === undefined ? {} : { pageToken }),
      }
      const { status, body } = await search(params)
      expect(status).toBe(200)
      expect(body.totalSize).toBe(4)
      seen.push(...(body.spaces ?? []).map(space => space.name))
      pageToken = body.nextPageToken
      if (pageToken === undefined) break
    }
    expect(seen).toEqual(['spaces/S4', 'spaces/S2', 'spaces/S3', 'spaces/S1'])
  })

  it('binds the page token to the query and the order; garbled tokens and negative sizes are 400', async () => {
    const first = await search({ useAdminAccess: true, query: BASE, pageSize: 1 })
    const token = first.body.nextPageToken ?? ''
    expect(token).not.toBe('')
    expect(first.body.spaces).toHaveLength(1)
    const changedQuery = await search({
      useAdminAccess: true,
      query: `${BASE} AND display_name:"fun"`,
      pageToken: token,
    })
    const changedOrder = await search({
      useAdminAccess: true,
      query: BASE,
      orderBy: 'create_time DESC',
      pageToken: token,
    })
    const resized = await search({ useAdminAccess: true, query: BASE, pageSize: 2, pageToken: token })
    expect([changedQuery.status, changedOrder.status, resized.status]).toEqual([400, 400, 200])
    expect(resized.body.spaces?.map(space => space.name)).toEqual(['spaces/S2', 'spaces/S3'])
    expect((await search({ useAdminAccess: true, query: BASE, pageToken: 'garbled' })).status).toBe(400)
    expect((await search({ useAdminAccess: true, query: BASE, pageSize: -1 })).status).toBe(400)
  })

  it('answers 100 spaces by default and at most 1000', async () => {
    const big = await startTestEmulator({ seed: generateSeed({ spaces: 1005, membersPerSpace: 1 }) })
    try {
      const query = new URLSearchParams({ useAdminAccess: 'true', query: BASE })
      const page = async (extra: string): Promise<SearchBody> =>
        (await (await call(big, `/v1/spaces:search?${query.toString()}${extra}`)).json()) as SearchBody
      const defaults = await page('')
      expect(defaults.spaces).toHaveLength(100)
      expect(defaults.totalSize).toBe(1005)
      const capped = await page('&pageSize=5000')
      expect(capped.spaces).toHaveLength(1000)
      const rest = await page(`&pageSize=1000&pageToken=${encodeURIComponent(capped.nextPageToken ?? '')}`)
      expect(rest.spaces).toHaveLength(5)
      expect(rest.nextPageToken).toBeUndefined()
    } finally {
      await big.close()
    }
  })
})
