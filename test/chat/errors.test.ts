import { describe, expect, it } from 'vitest'
import { attemptFailureOf, readApiError, SPACE_ID_HINT, toChatRoleError } from '../../src/chat/errors.js'

/** What gaxios throws for an HTTP error: status, headers and the parsed Google error body. */
function apiError(status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) {
  return Object.assign(new Error(String(error.message)), {
    status,
    response: { status, data: { error: { code: status, ...error } }, headers: new Headers(headers) },
  })
}

const context = { subject: 'spaces/A/members/1', space: 'spaces/A', admin: false, asApp: false, attempts: 1 }

describe('readApiError', () => {
  it('reads status, reason and Retry-After', () => {
    const info = readApiError(
      apiError(
        429,
        {
          status: 'RESOURCE_EXHAUSTED',
          message: 'Quota exceeded',
          details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED' }],
        },
        { 'retry-after': '3' },
      ),
    )
    expect(info).toMatchObject({
      httpStatus: 429,
      status: 'RESOURCE_EXHAUSTED',
      reason: 'RATE_LIMIT_EXCEEDED',
      retryAfterMs: 3000,
    })
  })

  it('reads google.rpc.RetryInfo when there is no header', () => {
    const info = readApiError(
      apiError(503, {
        status: 'UNAVAILABLE',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }],
      }),
    )
    expect(info.retryAfterMs).toBe(1500)
  })

  it('treats a failure without a response as a network error', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
    expect(readApiError(reset)).toMatchObject({ httpStatus: undefined, networkCode: 'ECONNRESET' })
    expect(attemptFailureOf(reset)).toEqual({ status: undefined, retryAfterMs: undefined })
  })

  it('survives anything being thrown', () => {
    for (const thrown of [undefined, null, 'text', 42, {}]) expect(() => readApiError(thrown)).not.toThrow()
  })
})

describe('toChatRoleError', () => {
  it.each([
    [apiError(401, { status: 'UNAUTHENTICATED' }), 'AUTH_EXPIRED', 4],
    [
      apiError(403, {
        status: 'PERMISSION_DENIED',
        message: 'Request had insufficient authentication scopes.',
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' }],
      }),
      'SCOPE_MISSING',
      4,
    ],
    [
      apiError(403, { status: 'PERMISSION_DENIED', message: 'The caller does not have permission' }),
      'PERMISSION_DENIED',
      1,
    ],
    [apiError(404, { status: 'NOT_FOUND', message: 'Requested entity was not found.' }), 'NOT_FOUND', 1],
    [
      apiError(404, {
        status: 'NOT_FOUND',
        message:
          'Google Chat app not found. To create a Chat app, you must turn on the Chat API and configure the app in the Google Cloud console.',
      }),
      'CHAT_APP_MISSING',
      4,
    ],
    [
      apiError(400, { status: 'FAILED_PRECONDITION', message: 'The last owner cannot be demoted.' }),
      'FAILED_PRECONDITION',
      1,
    ],
    [apiError(429, { status: 'RESOURCE_EXHAUSTED' }), 'RATE_LIMITED', 1],
    [apiError(503, { status: 'UNAVAILABLE' }), 'UNAVAILABLE', 1],
  ])('maps %# to %s (exit %i)', (error, code, exit) => {
    const mapped = toChatRoleError(error, context)
    expect(mapped.code).toBe(code)
    expect(mapped.exitCode).toBe(exit)
    expect(mapped.message).not.toContain('\n')
    expect(mapped.hint).toBeDefined()
  })

  it('counts attempts in words that agree: 1 attempt, 6 attempts', () => {
    expect(toChatRoleError(apiError(503, { status: 'UNAVAILABLE' }), context).message).toContain(
      'after 1 attempt (HTTP 503)',
    )
    expect(
      toChatRoleError(apiError(429, { status: 'RESOURCE_EXHAUSTED' }), { ...context, attempts: 6 }).message,
    ).toContain('for quota after 6 attempts')
  })

  it('recognises a revoked sign-in at the token endpoint', () => {
    const revoked = Object.assign(new Error('invalid_grant'), {
      status: 400,
      response: {
        status: 400,
        data: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
      },
    })
    const mapped = toChatRoleError(revoked, context)
    expect(mapped.code).toBe('AUTH_EXPIRED')
    expect(mapped.exitCode).toBe(4)
    expect(attemptFailureOf(revoked).status).toBe(400)
  })

  it("names the session's own sign-in command when a sign-in is refused", () => {
    const expired = apiError(401, { status: 'UNAUTHENTICATED' })
    const loginCommand = 'chat-role auth login --profile work --admin'
    expect(toChatRoleError(expired, { ...context, loginCommand }).hint).toBe(`run ${loginCommand}`)
    expect(toChatRoleError(expired, { ...context, admin: true }).hint).toBe('run chat-role auth login --admin')
  })

  it('points app authentication and admins at their own fixes', () => {
    const denied = apiError(403, { status: 'PERMISSION_DENIED' })
    expect(toChatRoleError(denied, { ...context, asApp: true }).hint).toContain('spaces it created')
    expect(toChatRoleError(denied, { ...context, admin: true }).hint).toContain('Manage Chat and spaces conversations')
  })

  it('hints at the rule behind a refusal', () => {
    const groupChat = apiError(400, {
      status: 'INVALID_ARGUMENT',
      message: 'Roles exist only in spaces, not in a GROUP_CHAT.',
    })
    expect(toChatRoleError(groupChat, context).hint).toContain('group chats and direct messages have no roles')
  })
})

describe('not found, for each subject', () => {
  const notFound = apiError(404, { status: 'NOT_FOUND', message: 'Requested entity was not found.' })
  const space = { ...context, subject: 'spaces/NOPE', space: 'spaces/NOPE' }

  it('says which space, why it may be, and where its id is: never the list that just failed', () => {
    const mapped = toChatRoleError(notFound, space)
    expect(mapped.message).toBe(
      'spaces/NOPE was not found: the space id may be wrong, or you are not a member of it (with --admin, a Workspace admin sees every space)',
    )
    expect(mapped.hint).toBe(SPACE_ID_HINT)
    expect(SPACE_ID_HINT).toBe("find the space id in the space's Chat URL (after /room/ or #chat/space/)")
    expect(toChatRoleError(notFound, { ...space, admin: true }).message).toBe(
      'spaces/NOPE was not found, even with admin access: the space id may be wrong, or the space was deleted',
    )
    expect(toChatRoleError(notFound, { ...space, asApp: true }).message).toBe(
      'spaces/NOPE was not found: the space id may be wrong, or the Chat app is not a member of it',
    )
    for (const admin of [false, true]) {
      const hint = toChatRoleError(notFound, { ...space, admin }).hint ?? ''
      expect(hint).not.toContain('chat-role list')
    }
  })

  it('points a missing membership at the members of its space, with the real names', () => {
    const named = toChatRoleError(notFound, {
      ...context,
      subject: 'spaces/A/members/x@example.com',
      space: 'spaces/A',
    })
    expect(named.message).toBe(
      'spaces/A/members/x@example.com was not found: no such member in spaces/A, or you cannot see spaces/A',
    )
    expect(named.hint).toBe('see who is in the space with chat-role list spaces/A')
    const admin = toChatRoleError(notFound, { ...context, subject: 'this membership', admin: true })
    expect(admin.message).toBe('this membership was not found: no such member in spaces/A, or no such space')
    expect(admin.hint).toBe('see who is in the space with chat-role list spaces/A --admin')
    for (const mapped of [named, admin]) expect(mapped.hint).not.toMatch(/\bNAME\b|SPACE\b/)
  })

  it("drops Google's generic sentence and keeps any other", () => {
    expect(toChatRoleError(notFound, space).message).not.toContain('Requested entity')
    const specific = apiError(404, { status: 'NOT_FOUND', message: 'Space is being deleted.' })
    expect(toChatRoleError(specific, space).message).toMatch(/ \(Google Chat: Space is being deleted\.\)$/)
  })

  it('says a refused listing is about seeing the members, not about changing roles', () => {
    const denied = apiError(403, { status: 'PERMISSION_DENIED', message: 'The caller does not have permission' })
    const mapped = toChatRoleError(denied, space)
    expect(mapped.message).toBe('not allowed to see the members of spaces/NOPE: The caller does not have permission')
    expect(mapped.hint).toBe('only members of spaces/NOPE can list its members; a Workspace admin can use --admin')
    expect(toChatRoleError(denied, context).message).toBe(
      'not allowed to change spaces/A/members/1: The caller does not have permission',
    )
  })
})
