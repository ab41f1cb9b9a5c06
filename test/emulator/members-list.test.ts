// spaces.members.list through @googleapis/chat: the list matrix (filter grammar, pageSize, pageToken,
// showGroups, showInvited, admin access, app authentication, scopes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DemoSpaces, DemoUsers, type Emulator, generateSeed, generatedSpaceId } from '../../src/emulator/index.js'
import { appToken, chatClient, expectApiError, startTestEmulator, tokens, userToken } from './chat-harness.js'

const { engineering, design, botCreated, legacyImport } = DemoSpaces
const { olivia, max, ivy, mia, oscar, erin, bot } = DemoUsers
const GROUP = 'eng-all'

let emulator: Emulator

beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(async () => {
  await emulator.close()
})

type ListParams = {
  filter?: string
  pageSize?: number
  pageToken?: string
  showGroups?: boolean
  showInvited?: boolean
  useAdminAccess?: boolean
}

function list(space: string, params: ListParams = {}, token = 'owner') {
  return chatClient(emulator, token).spaces.members.list({ parent: `spaces/${space}`, ...params })
}

/** Member ids of one page. */
async function members(space: string, params: ListParams = {}, token = 'owner'): Promise<string[]> {
  const response = await list(space, params, token)
  return (response.data.memberships ?? []).map(membership => (membership.name ?? '').split('/').at(-1) ?? '')
}

describe('defaults', () => {
  it('lists joined users and apps, not groups or invitations, in a stable order', async () => {
    expect(await members(engineering)).toEqual([olivia, max, mia, oscar, erin, bot])
  })

  it('renders each kind of membership as the discovery document shapes it', async () => {
    const response = await list(engineering, { showGroups: true, showInvited: true })
    const byId = new Map(
      (response.data.memberships ?? []).map(membership => [membership.name?.split('/').at(-1), membership]),
    )
    expect(byId.get(bot)).toEqual({
      name: `spaces/${engineering}/members/${bot}`,
      state: 'JOINED',
      role: 'ROLE_MEMBER',
      member: { name: `users/${bot}`, displayName: 'Helper Bot', type: 'BOT' },
      createTime: '2025-01-06T09:00:00Z',
    })
    expect(byId.get(GROUP)).toEqual({
      name: `spaces/${engineering}/members/${GROUP}`,
      state: 'JOINED',
      groupMember: { name: `groups/${GROUP}` },
      createTime: '2025-01-06T09:00:00Z',
    })
    expect(byId.get(ivy)).toMatchObject({ state: 'INVITED', role: 'ROLE_MEMBER', member: { email: 'ivy@example.com' } })
    expect(byId.get(erin)).toMatchObject({ affiliation: 'EXTERNAL' })
    expect(response.data.nextPageToken).toBeUndefined()
  })

  it('answers an empty page as {}', async () => {
    const response = await list(design, { filter: 'role = "ROLE_ASSISTANT_MANAGER"' })
    expect(response.data).toEqual({})
  })
})

describe('filter: valid queries', () => {
  it.each([
    ['role = "ROLE_MANAGER"', [olivia, oscar]],
    ['role = "ROLE_MANAGER" OR role = "ROLE_MEMBER"', [olivia, max, oscar, erin, bot]],
    ['member.type = "HUMAN" AND role = "ROLE_MANAGER"', [olivia, oscar]],
    ['member.type != "BOT"', [olivia, max, mia, oscar, erin]],
    ['member.type = "BOT"', [bot]],
    ['member.type != "HUMAN"', [bot]],
    ['role = "ROLE_ASSISTANT_MANAGER"', [mia]],
    ['role = "ROLE_MANAGER" OR member.type = "BOT"', [olivia, oscar, bot]],
    ['member.type = "HUMAN" AND role = "ROLE_MEMBER" OR role = "ROLE_ASSISTANT_MANAGER"', [max, mia, erin]],
    ['   role="ROLE_MANAGER"   ', [olivia, oscar]],
    ['', [olivia, max, mia, oscar, erin, bot]],
  ])('%j', async (filter, expected) => {
    expect(await members(engineering, { filter })).toEqual(expected)
  })

  it('applies to groups and invitations shown on request', async () => {
    expect(await members(engineering, { filter: 'member.type != "BOT"', showGroups: true })).toEqual([
      olivia,
      max,
      mia,
      oscar,
      erin,
      GROUP,
    ])
    expect(await members(engineering, { filter: 'member.type = "HUMAN"', showGroups: true })).not.toContain(GROUP)
    expect(await members(engineering, { filter: 'role = "ROLE_MEMBER"', showGroups: true, showInvited: true })).toEqual(
      [max, ivy, erin, bot],
    )
  })
})

describe('filter: invalid queries are 400 INVALID_ARGUMENT', () => {
  it.each([
    'member.type = "HUMAN" AND member.type = "BOT"',
    'role = "ROLE_MANAGER" AND role = "ROLE_MEMBER"',
    'role != "ROLE_MANAGER"',
    'role = ROLE_MANAGER',
    "role = 'ROLE_MANAGER'",
    '(role = "ROLE_MANAGER")',
    'NOT role = "ROLE_MANAGER"',
    'role : "ROLE_MANAGER"',
    'role = "ROLE_MANAGER" and member.type = "HUMAN"',
    'role = "ROLE_MANAGER" or role = "ROLE_MEMBER"',
    'state = "JOINED"',
    'role = "MEMBERSHIP_ROLE_UNSPECIFIED"',
    'member.type = "TYPE_UNSPECIFIED"',
    'role = "ROLE_MANAGER" AND',
    'role = "ROLE_MANAGER',
    'role "ROLE_MANAGER"',
    'member.type < "BOT"',
    'role = "ROLE_MANAGER" role = "ROLE_MEMBER"',
  ])('%j', async filter => {
    const error = await expectApiError(list(engineering, { filter }), 400, 'INVALID_ARGUMENT')
    expect(error.message).toMatch(/^Invalid filter: /)
    expect(error.details?.[0]).toMatchObject({
      '@type': 'type.googleapis.com/google.rpc.BadRequest',
      fieldViolations: [{ field: 'filter' }],
    })
  })
})

describe('pageSize', () => {
  let big: Emulator
  beforeAll(async () => {
    big = await startTestEmulator({ seed: generateSeed({ spaces: 1, membersPerSpace: 1500 }) })
  })
  afterAll(async () => {
    await big.close()
  })
  const bigList = (pageSize?: number) =>
    chatClient(big).spaces.members.list({
      parent: `spaces/${generatedSpaceId(0)}`,
      ...(pageSize === undefined ? {} : { pageSize }),
    })

  it('defaults to 100, also for 0', async () => {
    expect((await bigList()).data.memberships).toHaveLength(100)
    expect((await bigList(0)).data.memberships).toHaveLength(100)
  })

  it('clamps values above 1000 to 1000', async () => {
    const response = await bigList(5000)
    expect(response.data.memberships).toHaveLength(1000)
    expect(response.data.nextPageToken).toEqual(expect.any(String))
  })

  it('rejects negative values with 400 INVALID_ARGUMENT', async () => {
    const error = await expectApiError(list(engineering, { pageSize: -1 }), 400, 'INVALID_ARGUMENT')
    expect(error.message).toBe('Invalid page size -1: the page size must not be negative.')
  })
})

describe('pageToken', () => {
  it('walks every page, with no duplicates and nothing skipped', async () => {
    for (const pageSize of [1, 2, 3, 5]) {
      const seen: string[] = []
      let pageToken: string | undefined
      let pages = 0
      do {
        const response = await list(engineering, {
          pageSize,
          showGroups: true,
          showInvited: true,
          ...(pageToken === undefined ? {} : { pageToken }),
        })
        seen.push(...(response.data.memberships ?? []).map(membership => membership.name?.split('/').at(-1) ?? ''))
        pageToken = response.data.nextPageToken ?? undefined
        pages += 1
      } while (pageToken !== undefined)
      expect(seen).toEqual([olivia, max, ivy, mia, oscar, erin, bot, GROUP])
      expect(pages).toBe(Math.ceil(8 / pageSize))
    }
  })

  it('pages a filtered list', async () => {
    const first = await list(engineering, { filter: 'role = "ROLE_MANAGER"', pageSize: 1 })
    const second = await list(engineering, {
      filter: 'role = "ROLE_MANAGER"',
      pageSize: 1,
      pageToken: first.data.nextPageToken ?? '',
    })
    expect([first.data.memberships?.[0]?.name, second.data.memberships?.[0]?.name]).toEqual([
      `spaces/${engineering}/members/${olivia}`,
      `spaces/${engineering}/members/${oscar}`,
    ])
    expect(second.data.nextPageToken).toBeUndefined()
  })

  it('may change pageSize between pages', async () => {
    const first = await list(engineering, { pageSize: 2 })
    const rest = await list(engineering, { pageSize: 100, pageToken: first.data.nextPageToken ?? '' })
    expect(rest.data.memberships).toHaveLength(4)
  })

  it('is 400 when reused with different parameters, for another space, or garbled', async () => {
    const { data } = await list(engineering, { pageSize: 1 })
    const token = data.nextPageToken ?? ''
    const mismatch = await expectApiError(
      list(engineering, { pageToken: token, filter: 'role = "ROLE_MANAGER"' }),
      400,
      'INVALID_ARGUMENT',
    )
    expect(mismatch.message).toContain('does not match the request')
    await expectApiError(list(engineering, { pageToken: token, showGroups: true }), 400, 'INVALID_ARGUMENT')
    await expectApiError(list(design, { pageToken: token }), 400, 'INVALID_ARGUMENT')
    const garbled = await expectApiError(list(engineering, { pageToken: 'not-a-token' }), 400, 'INVALID_ARGUMENT')
    expect(garbled.message).toBe('The page token is invalid.')
  })
})

describe('useAdminAccess', () => {
  const admin = userToken(olivia, 'chat.admin.memberships.readonly')

  it('lists any space, apps omitted, with member.type = "HUMAN" or != "BOT"', async () => {
    expect(await members(botCreated, { useAdminAccess: true, filter: 'member.type = "HUMAN"' }, admin)).toEqual([
      max,
      mia,
    ])
    expect(
      await members(engineering, { useAdminAccess: true, filter: 'member.type != "BOT"', showGroups: true }, admin),
    ).toEqual([olivia, max, mia, oscar, erin, GROUP])
    expect(
      await members(
        engineering,
        { useAdminAccess: true, filter: 'member.type = "HUMAN" AND role = "ROLE_MANAGER" OR role = "ROLE_MEMBER"' },
        admin,
      ),
    ).toEqual([olivia, max, oscar, erin])
  })

  it('works with chat.admin.memberships too', async () => {
    const token = userToken(olivia, 'chat.admin.memberships')
    expect(await members(botCreated, { useAdminAccess: true, filter: 'member.type != "BOT"' }, token)).toEqual([
      max,
      mia,
    ])
  })

  it.each([
    undefined,
    'role = "ROLE_MANAGER"',
    'member.type = "BOT"',
    'member.type != "HUMAN"',
    'member.type = "HUMAN" OR role = "ROLE_MANAGER"',
  ])('rejects filter %j with 400 INVALID_ARGUMENT', async filter => {
    const error = await expectApiError(
      list(engineering, { useAdminAccess: true, ...(filter === undefined ? {} : { filter }) }, admin),
      400,
      'INVALID_ARGUMENT',
    )
    expect(error.message).toContain('member.type = "HUMAN" or member.type != "BOT"')
  })

  it('needs an administrator and an admin scope', async () => {
    await expectApiError(
      list(
        engineering,
        { useAdminAccess: true, filter: 'member.type = "HUMAN"' },
        userToken(max, 'chat.admin.memberships'),
      ),
      403,
      'PERMISSION_DENIED',
    )
    await expectApiError(
      list(
        engineering,
        { useAdminAccess: true, filter: 'member.type = "HUMAN"' },
        userToken(olivia, 'chat.memberships'),
      ),
      403,
      'PERMISSION_DENIED',
    )
  })
})

describe('app authentication', () => {
  it('omits apps (its own membership too), groups and invitations', async () => {
    for (const token of [tokens.bot, tokens.botMemberships]) {
      expect(await members(engineering, { showGroups: true, showInvited: true }, token)).toEqual([
        olivia,
        max,
        mia,
        oscar,
        erin,
      ])
    }
  })

  it('sees the spaces the app is in, not others', async () => {
    expect(await members(botCreated, {}, tokens.bot)).toEqual([max, mia])
    await expectApiError(list(design, {}, tokens.bot), 404, 'NOT_FOUND')
  })

  it('accepts a filter', async () => {
    expect(await members(engineering, { filter: 'role = "ROLE_MANAGER"' }, tokens.bot)).toEqual([olivia, oscar])
  })
})

describe('visibility and scopes', () => {
  it('a user lists only spaces they have joined', async () => {
    await expectApiError(list(botCreated), 404, 'NOT_FOUND')
    await expectApiError(list(engineering, {}, tokens.ivy), 404, 'NOT_FOUND')
    await expectApiError(list('AAAAnosuchspace'), 404, 'NOT_FOUND')
  })

  it('accepts chat.memberships.readonly', async () => {
    expect(await members(design, {}, userToken(max, 'chat.memberships.readonly'))).toEqual([olivia, max, mia])
  })

  it('accepts chat.import in import-mode spaces only', async () => {
    const token = userToken(olivia, 'chat.import')
    expect(await members(legacyImport, {}, token)).toEqual([olivia, max])
    await expectApiError(list(design, {}, token), 403, 'PERMISSION_DENIED')
  })

  it.each([userToken(olivia, 'chat.spaces'), appToken(bot, 'chat.app.spaces')])(
    '%s lacks the scopes: 403',
    async token => {
      const error = await expectApiError(list(engineering, {}, token), 403, 'PERMISSION_DENIED')
      expect(error.details?.[0]).toMatchObject({
        reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
        metadata: { method: 'google.chat.v1.ChatService.ListMemberships' },
      })
    },
  )
})
