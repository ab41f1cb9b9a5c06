// spaces.members.get through @googleapis/chat: ids, email aliases, `app`, admin access, app auth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DemoSpaces, DemoUsers, type Emulator } from '../../src/emulator/index.js'
import {
  appToken,
  chatClient,
  expectApiError,
  membershipName,
  startTestEmulator,
  tokens,
  userToken,
} from './chat-harness.js'

const { engineering, design, botCreated, groupChat } = DemoSpaces
const { olivia, max, ivy, bot } = DemoUsers

let emulator: Emulator

beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(async () => {
  await emulator.close()
})

function get(name: string, token = 'owner', useAdminAccess?: boolean) {
  return chatClient(emulator, token).spaces.members.get({
    name,
    ...(useAdminAccess === undefined ? {} : { useAdminAccess }),
  })
}

describe('by member id', () => {
  it('returns the membership', async () => {
    const { data } = await get(membershipName(engineering, max))
    expect(data).toEqual({
      name: membershipName(engineering, max),
      state: 'JOINED',
      role: 'ROLE_MEMBER',
      member: { name: `users/${max}`, displayName: 'Max Member', email: 'max@example.com', type: 'HUMAN' },
      createTime: '2025-01-06T09:00:00Z',
      affiliation: 'INTERNAL',
    })
  })

  it('returns invited members and groups too', async () => {
    expect((await get(membershipName(engineering, ivy))).data.state).toBe('INVITED')
    expect((await get(membershipName(engineering, 'eng-all'))).data.groupMember).toEqual({ name: 'groups/eng-all' })
  })

  it('a member absent from the users list is a human without email or display name', async () => {
    await emulator.close()
    emulator = await startTestEmulator({
      seed: {
        users: [{ id: '1', email: 'a@example.com' }],
        spaces: [{ id: 'S', memberships: [{ user: '1', role: 'ROLE_MANAGER' }, { user: '3' }] }],
      },
    })
    expect((await get(membershipName('S', '3'))).data.member).toEqual({ name: 'users/3', type: 'HUMAN' })
    await emulator.close()
    emulator = await startTestEmulator()
  })
})

describe('by email alias', () => {
  it.each(['max@example.com', 'MAX@Example.com'])('%s resolves to the canonical name (sent as %%40)', async email => {
    const { data } = await get(membershipName(engineering, email))
    expect(data.name).toBe(membershipName(engineering, max))
    expect(data.member?.name).toBe(`users/${max}`)
    expect(emulator.requests().at(-1)?.path).toContain('%40')
  })

  it('an email that is not in the space is 404', async () => {
    await expectApiError(get(membershipName(engineering, 'nobody@example.com')), 404, 'NOT_FOUND')
    await expectApiError(get(membershipName(botCreated, 'olivia@example.com'), tokens.max), 404, 'NOT_FOUND')
  })
})

describe('members/app', () => {
  it("under user authentication is this project's Chat app", async () => {
    const { data } = await get(membershipName(engineering, 'app'))
    expect(data.name).toBe(membershipName(engineering, bot))
    expect(data.member?.type).toBe('BOT')
  })

  it('is 404 where the app is not a member', async () => {
    await expectApiError(get(membershipName(design, 'app')), 404, 'NOT_FOUND')
  })
})

describe('useAdminAccess', () => {
  const admin = userToken(olivia, 'chat.admin.memberships.readonly')

  it('reads any space without membership', async () => {
    expect((await get(membershipName(botCreated, max), admin, true)).data.role).toBe('ROLE_MEMBER')
  })

  it('does not get app memberships: 400 INVALID_ARGUMENT', async () => {
    const error = await expectApiError(get(membershipName(engineering, bot), admin, true), 400, 'INVALID_ARGUMENT')
    expect(error.message).toBe("Getting app memberships in a space isn't supported when using admin access.")
  })

  it('needs the admin privilege and an admin scope', async () => {
    await expectApiError(
      get(membershipName(engineering, max), userToken(max, 'chat.admin.memberships'), true),
      403,
      'PERMISSION_DENIED',
    )
    await expectApiError(
      get(membershipName(engineering, max), userToken(olivia, 'chat.memberships.readonly'), true),
      403,
      'PERMISSION_DENIED',
    )
  })

  it('useAdminAccess=false is ordinary user access', async () => {
    await expectApiError(get(membershipName(botCreated, max), 'owner', false), 404, 'NOT_FOUND')
  })
})

describe('app authentication', () => {
  it('gets human memberships in spaces the app is in', async () => {
    expect((await get(membershipName(engineering, max), tokens.bot)).data.member?.displayName).toBe('Max Member')
    expect((await get(membershipName(botCreated, max), tokens.botMemberships)).status).toBe(200)
  })

  it('does not see app memberships, its own included', async () => {
    await expectApiError(get(membershipName(engineering, bot), tokens.bot), 404, 'NOT_FOUND')
    await expectApiError(get(membershipName(engineering, 'app'), tokens.bot), 404, 'NOT_FOUND')
  })

  it('is refused group memberships: 403', async () => {
    const error = await expectApiError(
      get(membershipName(engineering, 'eng-all'), tokens.bot),
      403,
      'PERMISSION_DENIED',
    )
    expect(error.message).toBe('Reading or mutating memberships for Google Groups requires user authentication.')
  })

  it('is 404 in a space the app is not in', async () => {
    await expectApiError(get(membershipName(groupChat, max), tokens.bot), 404, 'NOT_FOUND')
  })
})

describe('scopes', () => {
  it.each(['chat.memberships', 'chat.memberships.readonly'])('%s reads', async scope => {
    expect((await get(membershipName(design, max), userToken(max, scope))).status).toBe(200)
  })

  it.each([userToken(max, 'chat.import'), userToken(max, 'chat.spaces'), appToken(bot, 'chat.app.spaces')])(
    '%s is 403',
    async token => {
      const error = await expectApiError(get(membershipName(design, max), token), 403, 'PERMISSION_DENIED')
      expect(error.details?.[0]).toMatchObject({ reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' })
    },
  )
})
