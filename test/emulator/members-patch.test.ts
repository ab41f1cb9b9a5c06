// spaces.members.patch through @googleapis/chat: every row of the spec's §3.3 edge-case matrix
// (row 25, quotas, lives in quota.test.ts), on the demo domain.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DemoSpaces, DemoUsers, type Emulator } from '../../src/emulator/index.js'
import {
  EXPIRED_TOKEN,
  appToken,
  chatClient,
  expectApiError,
  membershipName,
  roleOf,
  startTestEmulator,
  tokens,
  userToken,
} from './chat-harness.js'

const { engineering, design, groupChat, directMessage, legacyImport, botCreated } = DemoSpaces
const { olivia, max, ivy, mia, oscar, bot } = DemoUsers

let emulator: Emulator

beforeEach(async () => {
  emulator = await startTestEmulator()
})
afterEach(async () => {
  await emulator.close()
})

function patch(
  token: string,
  name: string,
  role: unknown,
  extra: { updateMask?: string; useAdminAccess?: boolean } = { updateMask: 'role' },
) {
  return chatClient(emulator, token).spaces.members.patch({ name, ...extra, requestBody: { role } as never })
}

describe('row 1: an owner changes a joined human in a SPACE', () => {
  it.each(['ROLE_ASSISTANT_MANAGER', 'ROLE_MANAGER', 'ROLE_MEMBER'] as const)(
    'to %s: 200 with the full Membership',
    async role => {
      const response = await patch('owner', membershipName(engineering, max), role)
      expect(response.status).toBe(200)
      expect(response.data).toEqual({
        name: membershipName(engineering, max),
        state: 'JOINED',
        role,
        member: { name: `users/${max}`, displayName: 'Max Member', email: 'max@example.com', type: 'HUMAN' },
        createTime: '2025-01-06T09:00:00Z',
        affiliation: 'INTERNAL',
      })
      expect(roleOf(emulator, engineering, max)).toBe(role)
    },
  )

  it('sends exactly what the guide shows and is recorded', async () => {
    await patch('owner', membershipName(engineering, max), 'ROLE_ASSISTANT_MANAGER')
    const [request] = emulator.requests()
    expect(request).toMatchObject({
      method: 'PATCH',
      path: `/v1/spaces/${engineering}/members/${max}`,
      query: { updateMask: 'role' },
      caller: olivia,
      status: 200,
      body: { role: 'ROLE_ASSISTANT_MANAGER' },
    })
  })
})

describe('row 2: updateMask missing', () => {
  it('is 400 INVALID_ARGUMENT naming update_mask, and changes nothing', async () => {
    const error = await expectApiError(
      patch('owner', membershipName(engineering, max), 'ROLE_MANAGER', {}),
      400,
      'INVALID_ARGUMENT',
    )
    expect(error.message).toBe('The update_mask is required. Set updateMask to "role".')
    expect(error.details).toEqual([
      {
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: [{ field: 'update_mask', description: error.message }],
      },
    ])
    expect(roleOf(emulator, engineering, max)).toBe('ROLE_MEMBER')
  })

  it('counts an empty updateMask as missing', async () => {
    await expectApiError(
      patch('owner', membershipName(engineering, max), 'ROLE_MANAGER', { updateMask: '' }),
      400,
      'INVALID_ARGUMENT',
    )
  })
})

describe('row 3: updateMask *', () => {
  it.each(['*', 'role,*', ' role '])('%j behaves like role', async updateMask => {
    const response = await patch('owner', membershipName(engineering, max), 'ROLE_MANAGER', { updateMask })
    expect(response.data.role).toBe('ROLE_MANAGER')
  })
})

describe('row 4: updateMask names another field', () => {
  it.each(['state', 'member', 'createTime', 'name', 'displayName', 'role,state'])(
    '%s is 400 INVALID_ARGUMENT',
    async updateMask => {
      const error = await expectApiError(
        patch('owner', membershipName(engineering, max), 'ROLE_MANAGER', { updateMask }),
        400,
        'INVALID_ARGUMENT',
      )
      expect(error.message).toMatch(/^Unsupported field path "\w+" in update_mask/)
      expect(roleOf(emulator, engineering, max)).toBe('ROLE_MEMBER')
    },
  )
})

describe('row 5: role missing or unspecified', () => {
  it.each([undefined, 'MEMBERSHIP_ROLE_UNSPECIFIED', 0, null])('role %j is 400 INVALID_ARGUMENT', async role => {
    const error = await expectApiError(patch('owner', membershipName(engineering, max), role), 400, 'INVALID_ARGUMENT')
    expect(error.message).toContain('The membership role is required')
  })
})

describe('row 6: role not a valid enum value', () => {
  it.each([
    ['ROLE_FOO', '"ROLE_FOO"'],
    [3, '3'],
    ['role_member', '"role_member"'],
    [true, 'true'],
  ])('%j is 400 INVALID_ARGUMENT with a BadRequest detail', async (role, shown) => {
    const error = await expectApiError(patch('owner', membershipName(engineering, max), role), 400, 'INVALID_ARGUMENT')
    const message = `Invalid value at 'membership.role' (type.googleapis.com/google.chat.v1.Membership.MembershipRole), ${shown}`
    expect(error.message).toBe(message)
    expect(error.details).toEqual([
      {
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: [{ field: 'membership.role', description: message }],
      },
    ])
  })

  it('accepts the proto3 number of a valid role', async () => {
    const response = await patch('owner', membershipName(engineering, max), 4)
    expect(response.data.role).toBe('ROLE_ASSISTANT_MANAGER')
  })
})

describe('row 7: the membership does not exist', () => {
  it('an unknown member is 404 NOT_FOUND', async () => {
    const error = await expectApiError(
      patch('owner', membershipName(engineering, '100000000000000000099'), 'ROLE_MANAGER'),
      404,
      'NOT_FOUND',
    )
    expect(error).toEqual({ code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' })
  })

  it('a user of the domain who is not in the space is 404', async () => {
    await expectApiError(patch('owner', membershipName(design, oscar), 'ROLE_MANAGER'), 404, 'NOT_FOUND')
  })
})

describe('row 8: the space does not exist, or the caller is not in it', () => {
  it('an unknown space is 404', async () => {
    await expectApiError(patch('owner', membershipName('AAAAnosuchspace', max), 'ROLE_MANAGER'), 404, 'NOT_FOUND')
  })

  it('a space the caller is not in is 404 by default', async () => {
    const error = await expectApiError(
      patch('owner', membershipName(botCreated, max), 'ROLE_MANAGER'),
      404,
      'NOT_FOUND',
    )
    expect(error.message).toBe('Requested entity was not found.')
  })

  it('is 403 with nonMemberStatus 403', async () => {
    await emulator.close()
    emulator = await startTestEmulator({ nonMemberStatus: 403 })
    const error = await expectApiError(
      patch('owner', membershipName(botCreated, max), 'ROLE_MANAGER'),
      403,
      'PERMISSION_DENIED',
    )
    expect(error.message).toContain('not a member of the space')
    await expectApiError(patch('owner', membershipName('AAAAnosuchspace', max), 'ROLE_MANAGER'), 404, 'NOT_FOUND')
  })

  it('an invited caller is not in the space', async () => {
    await expectApiError(patch(tokens.ivy, membershipName(engineering, max), 'ROLE_MANAGER'), 404, 'NOT_FOUND')
  })
})

describe('row 9: the caller is ROLE_MEMBER', () => {
  it('is 403 PERMISSION_DENIED, even for a no-op', async () => {
    for (const role of ['ROLE_ASSISTANT_MANAGER', 'ROLE_MEMBER']) {
      const error = await expectApiError(
        patch(tokens.max, membershipName(engineering, max), role),
        403,
        'PERMISSION_DENIED',
      )
      expect(error.message).toContain('does not have permission to change membership roles')
    }
    await expectApiError(
      patch(tokens.max, membershipName(design, mia), 'ROLE_ASSISTANT_MANAGER'),
      403,
      'PERMISSION_DENIED',
    )
  })
})

describe('row 10: a manager (ROLE_ASSISTANT_MANAGER) and owners', () => {
  it('cannot make a member an owner', async () => {
    const error = await expectApiError(
      patch(tokens.mia, membershipName(engineering, max), 'ROLE_MANAGER'),
      403,
      'PERMISSION_DENIED',
    )
    expect(error.message).toContain("can't make a member an owner")
    expect(roleOf(emulator, engineering, max)).toBe('ROLE_MEMBER')
  })

  it("cannot change an owner's role", async () => {
    const error = await expectApiError(
      patch(tokens.mia, membershipName(engineering, oscar), 'ROLE_MEMBER'),
      403,
      'PERMISSION_DENIED',
    )
    expect(error.message).toContain("can't change the role of a space owner")
    expect(roleOf(emulator, engineering, oscar)).toBe('ROLE_MANAGER')
  })
})

describe('row 11: a manager toggles member and manager', () => {
  it('is 200 both ways, and a manager may step down', async () => {
    expect((await patch(tokens.mia, membershipName(engineering, max), 'ROLE_ASSISTANT_MANAGER')).data.role).toBe(
      'ROLE_ASSISTANT_MANAGER',
    )
    expect((await patch(tokens.mia, membershipName(engineering, max), 'ROLE_MEMBER')).data.role).toBe('ROLE_MEMBER')
    expect((await patch(tokens.mia, membershipName(engineering, mia), 'ROLE_MEMBER')).data.role).toBe('ROLE_MEMBER')
  })
})

describe('row 12: the last owner', () => {
  it('cannot be demoted, by themselves either: 400 FAILED_PRECONDITION', async () => {
    for (const role of ['ROLE_MEMBER', 'ROLE_ASSISTANT_MANAGER']) {
      const error = await expectApiError(
        patch('owner', membershipName(design, olivia), role),
        400,
        'FAILED_PRECONDITION',
      )
      expect(error.message).toContain('last owner')
    }
    expect(roleOf(emulator, design, olivia)).toBe('ROLE_MANAGER')
  })

  it('is counted live: with two owners one may go, then the other is the last', async () => {
    expect((await patch('owner', membershipName(engineering, oscar), 'ROLE_MEMBER')).data.role).toBe('ROLE_MEMBER')
    await expectApiError(patch('owner', membershipName(engineering, olivia), 'ROLE_MEMBER'), 400, 'FAILED_PRECONDITION')
    await patch('owner', membershipName(engineering, max), 'ROLE_MANAGER')
    expect((await patch('owner', membershipName(engineering, olivia), 'ROLE_MEMBER')).data.role).toBe('ROLE_MEMBER')
  })

  it('binds admins too', async () => {
    const error = await expectApiError(
      patch(tokens.olivia, membershipName(botCreated, mia), 'ROLE_MEMBER', {
        updateMask: 'role',
        useAdminAccess: true,
      }),
      400,
      'FAILED_PRECONDITION',
    )
    expect(error.message).toContain('last owner')
  })
})

describe('row 13: GROUP_CHAT and DIRECT_MESSAGE', () => {
  it.each([
    [groupChat, 'GROUP_CHAT', 'ROLE_MANAGER'],
    [groupChat, 'GROUP_CHAT', 'ROLE_ASSISTANT_MANAGER'],
    [directMessage, 'DIRECT_MESSAGE', 'ROLE_MANAGER'],
  ])('%s (%s) to %s is 400 INVALID_ARGUMENT', async (space, type, role) => {
    const error = await expectApiError(patch('owner', membershipName(space, max), role), 400, 'INVALID_ARGUMENT')
    expect(error.message).toBe(
      `Membership roles can only be changed in spaces (spaceType SPACE); this space is a ${type}, where every member has ROLE_MEMBER.`,
    )
  })

  it('ROLE_MEMBER there is a 200 no-op', async () => {
    const response = await patch(tokens.max, membershipName(groupChat, olivia), 'ROLE_MEMBER')
    expect(response.data.role).toBe('ROLE_MEMBER')
  })
})

describe('row 14: the target is a Chat app', () => {
  it.each(['app', bot])('members/%s is 400 INVALID_ARGUMENT', async member => {
    const error = await expectApiError(
      patch('owner', membershipName(engineering, member), 'ROLE_ASSISTANT_MANAGER'),
      400,
      'INVALID_ARGUMENT',
    )
    expect(error.message).toContain('belongs to a Chat app')
  })
})

describe('row 15: the target is a Google Group', () => {
  it('is 400 INVALID_ARGUMENT', async () => {
    const error = await expectApiError(
      patch('owner', membershipName(engineering, 'eng-all'), 'ROLE_MEMBER'),
      400,
      'INVALID_ARGUMENT',
    )
    expect(error.message).toContain('Google Group')
  })
})

describe('row 16: the target is INVITED', () => {
  it('is 400 FAILED_PRECONDITION by default', async () => {
    const error = await expectApiError(
      patch('owner', membershipName(engineering, ivy), 'ROLE_ASSISTANT_MANAGER'),
      400,
      'FAILED_PRECONDITION',
    )
    expect(error.message).toContain('INVITED')
  })

  it('is allowed with allowInvitedRoleChange, and an invited owner is not counted as an owner', async () => {
    await emulator.close()
    emulator = await startTestEmulator({ allowInvitedRoleChange: true })
    expect((await patch('owner', membershipName(engineering, ivy), 'ROLE_MANAGER')).data).toMatchObject({
      state: 'INVITED',
      role: 'ROLE_MANAGER',
    })
    await patch('owner', membershipName(engineering, oscar), 'ROLE_MEMBER')
    await expectApiError(patch('owner', membershipName(engineering, olivia), 'ROLE_MEMBER'), 400, 'FAILED_PRECONDITION')
  })

  it('can be allowed from the seed too', async () => {
    await emulator.close()
    const { demoSeed } = await import('../../src/emulator/index.js')
    emulator = await startTestEmulator({ seed: { ...demoSeed, settings: { allowInvitedRoleChange: true } } })
    expect((await patch('owner', membershipName(engineering, ivy), 'ROLE_MANAGER')).status).toBe(200)
  })
})

describe('row 17: the role the member already has', () => {
  it('is 200 and unchanged', async () => {
    const response = await patch('owner', membershipName(engineering, oscar), 'ROLE_MANAGER')
    expect(response.status).toBe(200)
    expect(response.data.role).toBe('ROLE_MANAGER')
  })
})

describe('row 18: app authentication', () => {
  it('is 403 in a space the app did not create, even where it is a member', async () => {
    const error = await expectApiError(
      patch(tokens.botMemberships, membershipName(engineering, max), 'ROLE_ASSISTANT_MANAGER'),
      403,
      'PERMISSION_DENIED',
    )
    expect(error.message).toContain('spaces created by the calling Chat app')
  })

  it("works in the space the app created, with an owner's rights", async () => {
    const response = await patch(tokens.botMemberships, membershipName(botCreated, max), 'ROLE_MANAGER')
    expect(response.data.role).toBe('ROLE_MANAGER')
    expect(emulator.requests().at(-1)?.caller).toBe('app')
  })

  it('another app cannot patch in it', async () => {
    await expectApiError(
      patch(appToken('app-2', 'chat.app.memberships'), membershipName(botCreated, max), 'ROLE_MANAGER'),
      404,
      'NOT_FOUND',
    )
  })
})

describe('row 19: scopes that do not allow patch', () => {
  it.each([
    ['chat.memberships.readonly', userToken(olivia, 'chat.memberships.readonly')],
    ['chat.spaces', userToken(olivia, 'chat.spaces')],
    ['chat.admin.memberships.readonly', userToken(olivia, 'chat.admin.memberships.readonly')],
    ['chat.bot (app)', appToken(bot, 'chat.bot')],
    ['chat.memberships under app auth', appToken(bot, 'chat.memberships')],
  ])('%s is 403 ACCESS_TOKEN_SCOPE_INSUFFICIENT', async (_label, token) => {
    const error = await expectApiError(
      patch(token, membershipName(engineering, max), 'ROLE_MANAGER'),
      403,
      'PERMISSION_DENIED',
    )
    expect(error).toEqual({
      code: 403,
      message: 'Request had insufficient authentication scopes.',
      status: 'PERMISSION_DENIED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
          domain: 'googleapis.com',
          metadata: { service: 'chat.googleapis.com', method: 'google.chat.v1.ChatService.UpdateMembership' },
        },
      ],
    })
  })

  it('admin scope without useAdminAccess does not authorize a user call', async () => {
    await expectApiError(
      patch(userToken(olivia, 'chat.admin.memberships'), membershipName(engineering, max), 'ROLE_MANAGER'),
      403,
      'PERMISSION_DENIED',
    )
  })
})

describe('row 20: useAdminAccess without the scope or the privilege', () => {
  const admin = { updateMask: 'role', useAdminAccess: true }

  it('without chat.admin.memberships is 403 (scope)', async () => {
    const error = await expectApiError(
      patch(userToken(olivia, 'chat.memberships'), membershipName(engineering, max), 'ROLE_MANAGER', admin),
      403,
      'PERMISSION_DENIED',
    )
    expect(error.details?.[0]).toMatchObject({ reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' })
  })

  it('by a user who is not an administrator is 403', async () => {
    const error = await expectApiError(
      patch(userToken(max, 'chat.admin.memberships'), membershipName(engineering, max), 'ROLE_MANAGER', admin),
      403,
      'PERMISSION_DENIED',
    )
    expect(error.message).toContain('not a Google Workspace administrator')
  })

  it('under app authentication is 403', async () => {
    const error = await expectApiError(
      patch(tokens.botMemberships, membershipName(botCreated, max), 'ROLE_MANAGER', admin),
      403,
      'PERMISSION_DENIED',
    )
    expect(error.message).toContain('requires user authentication')
  })
})

describe('row 21: an administrator with useAdminAccess', () => {
  it('changes roles in any space without being a member', async () => {
    const token = userToken(olivia, 'chat.admin.memberships')
    const response = await patch(token, membershipName(botCreated, max), 'ROLE_MANAGER', {
      updateMask: 'role',
      useAdminAccess: true,
    })
    expect(response.data.role).toBe('ROLE_MANAGER')
    expect(roleOf(emulator, botCreated, max)).toBe('ROLE_MANAGER')
  })

  it('still gets 404 for a space that does not exist', async () => {
    await expectApiError(
      patch(tokens.olivia, membershipName('AAAAnosuchspace', max), 'ROLE_MANAGER', {
        updateMask: 'role',
        useAdminAccess: true,
      }),
      404,
      'NOT_FOUND',
    )
  })
})

describe('row 22: chat.import', () => {
  it('is 403 outside import mode', async () => {
    const error = await expectApiError(
      patch(userToken(olivia, 'chat.import'), membershipName(design, max), 'ROLE_MANAGER'),
      403,
      'PERMISSION_DENIED',
    )
    expect(error.message).toContain('import mode')
  })

  it('works in an import-mode space', async () => {
    const response = await patch(userToken(olivia, 'chat.import'), membershipName(legacyImport, max), 'ROLE_MANAGER')
    expect(response.data.role).toBe('ROLE_MANAGER')
  })
})

describe('row 23: an email alias in the patch path', () => {
  it('is refused by default with 400 INVALID_ARGUMENT', async () => {
    const error = await expectApiError(
      patch('owner', membershipName(engineering, 'max@example.com'), 'ROLE_MANAGER'),
      400,
      'INVALID_ARGUMENT',
    )
    expect(error.message).toContain('An email address is not accepted')
    expect(emulator.requests()[0]?.path).toBe(`/v1/spaces/${engineering}/members/max%40example.com`)
  })

  it('is accepted with allowPatchEmailAlias, and the answer carries the canonical name', async () => {
    await emulator.close()
    emulator = await startTestEmulator({ allowPatchEmailAlias: true })
    const response = await patch('owner', membershipName(engineering, 'MAX@example.com'), 'ROLE_MANAGER')
    expect(response.data.name).toBe(membershipName(engineering, max))
    await expectApiError(
      patch('owner', membershipName(engineering, 'nobody@example.com'), 'ROLE_MANAGER'),
      404,
      'NOT_FOUND',
    )
  })
})

describe('row 24: missing or invalid token', () => {
  it.each([
    ['unknown', 'nonsense', 'ACCESS_TOKEN_TYPE_UNSUPPORTED'],
    ['expired', EXPIRED_TOKEN, 'ACCESS_TOKEN_EXPIRED'],
  ])('%s token is 401 UNAUTHENTICATED and changes nothing', async (_label, token, reason) => {
    const error = await expectApiError(
      patch(token, membershipName(engineering, max), 'ROLE_MANAGER'),
      401,
      'UNAUTHENTICATED',
    )
    expect(error.message).toMatch(/^Request had invalid authentication credentials\. Expected OAuth 2 access token/)
    expect(error.details?.[0]).toMatchObject({ reason, domain: 'googleapis.com' })
    expect(roleOf(emulator, engineering, max)).toBe('ROLE_MEMBER')
  })
})

describe('check order', () => {
  it('validates the request before looking at the space', async () => {
    await expectApiError(patch(tokens.max, membershipName('AAAAnosuchspace', max), 'ROLE_FOO'), 400, 'INVALID_ARGUMENT')
  })

  it('hides the space before judging the target', async () => {
    await expectApiError(patch('owner', membershipName(botCreated, bot), 'ROLE_MANAGER'), 404, 'NOT_FOUND')
  })
})
