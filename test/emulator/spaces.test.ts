// spaces.get and spaces.list through @googleapis/chat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DemoSpaces, DemoUsers, type Emulator, generateSeed } from '../../src/emulator/index.js'
import { call, chatClient, expectApiError, startTestEmulator, tokens, userToken } from './chat-harness.js'

const { engineering, design, groupChat, directMessage, legacyImport, botCreated } = DemoSpaces
const { olivia, max } = DemoUsers

let emulator: Emulator

beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(async () => {
  await emulator.close()
})

function getSpace(space: string, token = 'owner', useAdminAccess?: boolean) {
  return chatClient(emulator, token).spaces.get({
    name: `spaces/${space}`,
    ...(useAdminAccess === undefined ? {} : { useAdminAccess }),
  })
}

function listSpaces(params: { filter?: string; pageSize?: number; pageToken?: string } = {}, token = 'owner') {
  return chatClient(emulator, token).spaces.list(params)
}

describe('spaces.get', () => {
  it('renders a named space', async () => {
    const { data } = await getSpace(engineering)
    expect(data).toEqual({
      name: `spaces/${engineering}`,
      type: 'ROOM',
      displayName: 'Engineering',
      spaceThreadingState: 'THREADED_MESSAGES',
      spaceType: 'SPACE',
      spaceHistoryState: 'HISTORY_ON',
      externalUserAllowed: true,
      createTime: '2025-01-06T09:00:00Z',
      lastActiveTime: '2025-01-06T09:00:00Z',
      membershipCount: { joinedDirectHumanUserCount: 5, joinedGroupCount: 1 },
      spaceUri: `https://chat.google.com/room/${engineering}`,
    })
  })

  it('renders a group chat and a DM without display names', async () => {
    expect((await getSpace(groupChat)).data).toMatchObject({
      spaceType: 'GROUP_CHAT',
      type: 'ROOM',
      spaceThreadingState: 'UNTHREADED_MESSAGES',
    })
    const dm = (await getSpace(directMessage)).data
    expect(dm).toMatchObject({ spaceType: 'DIRECT_MESSAGE', membershipCount: { joinedDirectHumanUserCount: 2 } })
    expect(dm.displayName).toBeUndefined()
  })

  it('renders import mode with its expiry 90 days on', async () => {
    const { data } = await getSpace(legacyImport)
    expect(data).toMatchObject({ importMode: true, importModeExpireTime: '2025-04-06T09:00:00.000Z' })
  })

  it('a DM with an app is type DM and singleUserBotDm', async () => {
    await emulator.close()
    emulator = await startTestEmulator({
      seed: {
        users: [{ id: '1' }, { id: 'bot', type: 'BOT' }],
        spaces: [{ id: 'D', spaceType: 'DIRECT_MESSAGE', memberships: [{ user: '1' }, { user: 'bot' }] }],
      },
    })
    expect((await getSpace('D')).data).toMatchObject({ type: 'DM', singleUserBotDm: true, spaceType: 'DIRECT_MESSAGE' })
    await emulator.close()
    emulator = await startTestEmulator()
  })

  it('hides spaces the caller is not in, and unknown ones', async () => {
    await expectApiError(getSpace(botCreated), 404, 'NOT_FOUND')
    await expectApiError(getSpace('AAAAnosuchspace'), 404, 'NOT_FOUND')
    await expectApiError(getSpace(engineering, tokens.ivy), 404, 'NOT_FOUND')
  })

  it('admins see any space with useAdminAccess and an admin spaces scope', async () => {
    expect((await getSpace(botCreated, userToken(olivia, 'chat.admin.spaces.readonly'), true)).data.displayName).toBe(
      'Bot Announcements',
    )
    await expectApiError(getSpace(botCreated, userToken(olivia, 'chat.spaces'), true), 403, 'PERMISSION_DENIED')
    await expectApiError(getSpace(botCreated, userToken(max, 'chat.admin.spaces'), true), 403, 'PERMISSION_DENIED')
  })

  it('apps see the spaces they are in', async () => {
    expect((await getSpace(botCreated, tokens.bot)).status).toBe(200)
    await expectApiError(getSpace(design, tokens.bot), 404, 'NOT_FOUND')
  })

  it('needs a spaces scope', async () => {
    const error = await expectApiError(
      getSpace(engineering, userToken(olivia, 'chat.memberships')),
      403,
      'PERMISSION_DENIED',
    )
    expect(error.details?.[0]).toMatchObject({ metadata: { method: 'google.chat.v1.ChatService.GetSpace' } })
  })
})

describe('spaces.list', () => {
  const names = async (params: Parameters<typeof listSpaces>[0] = {}, token = 'owner') =>
    ((await listSpaces(params, token)).data.spaces ?? []).map(space => space.name?.slice('spaces/'.length))

  it('lists the spaces the caller joined, sorted by id', async () => {
    expect(await names()).toEqual([design, directMessage, engineering, groupChat, legacyImport])
    expect(await names({}, userToken(max, 'chat.spaces.readonly'))).toEqual([
      botCreated,
      design,
      directMessage,
      engineering,
      groupChat,
      legacyImport,
    ])
  })

  it("lists an app's spaces under app authentication", async () => {
    expect(await names({}, tokens.bot)).toEqual([botCreated, engineering])
  })

  it.each([
    ['spaceType = "SPACE"', [design, engineering, legacyImport]],
    ['space_type = "SPACE"', [design, engineering, legacyImport]],
    ['spaceType = "GROUP_CHAT" OR spaceType = "DIRECT_MESSAGE"', [directMessage, groupChat]],
    ['space_type = "DIRECT_MESSAGE" OR spaceType = "GROUP_CHAT"', [directMessage, groupChat]],
  ])('filter %j', async (filter, expected) => {
    expect(await names({ filter })).toEqual(expected)
  })

  it.each([
    'spaceType = "SPACE_TYPE_UNSPECIFIED"',
    'spaceType = "SPACE" AND spaceType = "GROUP_CHAT"',
    'spaceType != "SPACE"',
    'displayName = "Engineering"',
    'spaceType = SPACE',
  ])('filter %j is 400 INVALID_ARGUMENT', async filter => {
    await expectApiError(listSpaces({ filter }), 400, 'INVALID_ARGUMENT')
  })

  it('pages with pageSize and pageToken; negative pageSize is 400', async () => {
    const first = await listSpaces({ pageSize: 2 })
    expect(first.data.spaces).toHaveLength(2)
    const second = await listSpaces({ pageSize: 2, pageToken: first.data.nextPageToken ?? '' })
    const third = await listSpaces({ pageSize: 2, pageToken: second.data.nextPageToken ?? '' })
    expect(third.data.spaces?.map(space => space.name)).toEqual([`spaces/${legacyImport}`])
    expect(third.data.nextPageToken).toBeUndefined()
    await expectApiError(
      listSpaces({ pageToken: first.data.nextPageToken ?? '', filter: 'spaceType = "SPACE"' }),
      400,
      'INVALID_ARGUMENT',
    )
    await expectApiError(listSpaces({ pageSize: -5 }), 400, 'INVALID_ARGUMENT')
  })

  it('leaves out spaces the caller is only invited to', async () => {
    expect((await listSpaces({}, tokens.ivy)).data).toEqual({})
  })

  it('an empty filter lists everything', async () => {
    expect(await names({ filter: '' })).toEqual([design, directMessage, engineering, groupChat, legacyImport])
  })

  it('gives a nextPageToken only when more matching spaces follow', async () => {
    const filter = 'spaceType = "GROUP_CHAT" OR spaceType = "DIRECT_MESSAGE"'
    const first = await listSpaces({ filter, pageSize: 1 })
    expect(first.data.spaces?.map(space => space.name)).toEqual([`spaces/${directMessage}`])
    const second = await listSpaces({ filter, pageSize: 1, pageToken: first.data.nextPageToken ?? '' })
    // legacyImport follows groupChat by id, but it is not a group chat or a DM.
    expect(second.data.spaces?.map(space => space.name)).toEqual([`spaces/${groupChat}`])
    expect(second.data.nextPageToken).toBeUndefined()
  })

  it.each([
    'spaceType = "space"',
    'spaceType = "ROOM"',
    'type = "ROOM"',
    'spaceType = "SPACE" OR displayName = "Design"',
    '(spaceType = "SPACE" OR spaceType = "GROUP_CHAT")',
    'NOT spaceType = "SPACE"',
    'spaceType:"SPACE"',
    'spaceType = "SPACE" or spaceType = "GROUP_CHAT"',
  ])("filter %j is 400 INVALID_ARGUMENT with Google's BadRequest detail", async filter => {
    const error = await expectApiError(listSpaces({ filter }), 400, 'INVALID_ARGUMENT')
    expect(error.message).toMatch(/^Invalid filter: /)
    expect(error.details?.[0]).toMatchObject({ fieldViolations: [{ field: 'filter' }] })
  })

  it('answers 100 spaces by default, at most 1000, and reads page_size too', async () => {
    const big = await startTestEmulator({ seed: generateSeed({ spaces: 1005, membersPerSpace: 1 }) })
    try {
      const page = async (query: string) =>
        (await (await call(big, `/v1/spaces${query}`)).json()) as { spaces?: unknown[]; nextPageToken?: string }
      expect((await page('')).spaces).toHaveLength(100)
      expect((await page('?pageSize=0')).spaces).toHaveLength(100)
      const capped = await page('?pageSize=1001')
      expect(capped.spaces).toHaveLength(1000)
      expect((await page('?page_size=7')).spaces).toHaveLength(7)
      const rest = await page(`?pageSize=1000&pageToken=${encodeURIComponent(capped.nextPageToken ?? '')}`)
      expect(rest.spaces).toHaveLength(5)
      expect(rest.nextPageToken).toBeUndefined()
    } finally {
      await big.close()
    }
  })

  it('has no useAdminAccess parameter', async () => {
    const response = await fetch(`${emulator.url}/v1/spaces?useAdminAccess=true`, {
      headers: { authorization: 'Bearer owner' },
    })
    expect(response.status).toBe(400)
  })

  it('needs chat.spaces, chat.spaces.readonly or chat.bot', async () => {
    await expectApiError(listSpaces({}, userToken(olivia, 'chat.admin.spaces')), 403, 'PERMISSION_DENIED')
  })
})
