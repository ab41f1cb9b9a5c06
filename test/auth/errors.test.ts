import { describe, expect, it } from 'vitest'
import { authErrorOf } from '../../src/auth/errors.js'
import { ChatRoleError } from '../../src/errors.js'

const oauth = (error: string, description = '', data?: URLSearchParams) => ({
  message: error,
  status: 400,
  response: { status: 400, data: { error, error_description: description } },
  ...(data !== undefined && { config: { data } }),
})

describe('authErrorOf', () => {
  it('says an expired or revoked sign-in needs a new login, naming the profile (exit 4)', () => {
    const error = authErrorOf(oauth('invalid_grant', 'Token has been expired or revoked.'), {
      subject: 'the sign-in for profile "work"',
      loginCommand: 'chat-role auth login --profile work',
    })
    expect(error?.code).toBe('AUTH_EXPIRED')
    expect(error?.message).toBe('the sign-in for profile "work" has expired or was revoked')
    expect(error?.hint).toBe('run chat-role auth login --profile work')
    expect(error?.exitCode).toBe(4)
  })

  it('works without context, and tells the grant from the parameter names sent', () => {
    expect(authErrorOf(oauth('invalid_grant'))?.message).toBe('the sign-in has expired or was revoked')
    const code = authErrorOf(oauth('invalid_grant', 'Bad Request', new URLSearchParams({ code: 'x', grant_type: 'r' })))
    expect(code?.message).toContain('did not accept the authorization code')
  })

  it('explains domain-wide delegation that was not granted, with the client ID and scope', () => {
    const error = authErrorOf(oauth('unauthorized_client', 'Client is unauthorized'), {
      subject: 'the service account sa@p.iam.gserviceaccount.com',
      loginCommand: 'chat-role auth login',
      grant: 'service-account',
      serviceAccount: {
        clientEmail: 'sa@p.iam.gserviceaccount.com',
        clientId: '1234',
        subject: 'olivia@example.com',
        scopes: ['https://www.googleapis.com/auth/chat.memberships'],
      },
    })
    expect(error?.code).toBe('SCOPE_MISSING')
    expect(error?.message).toBe(
      'sa@p.iam.gserviceaccount.com may not act as olivia@example.com: domain-wide delegation is not granted for chat.memberships',
    )
    expect(error?.hint).toContain('client ID 1234')
    expect(error?.hint).toContain('Manage domain-wide delegation')
  })

  it('names an unknown user to impersonate, a bad clock and a dead key', () => {
    const context = {
      subject: 'x',
      loginCommand: 'y',
      grant: 'service-account' as const,
      serviceAccount: { clientEmail: 'sa@p', subject: 'who@example.com', scopes: [] },
    }
    expect(authErrorOf(oauth('invalid_grant', 'Invalid email or User ID'), context)?.message).toBe(
      'Google knows no user who@example.com to act as',
    )
    expect(
      authErrorOf(
        oauth('invalid_grant', 'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe'),
        context,
      )?.message,
    ).toContain('clock')
    expect(authErrorOf(oauth('invalid_grant', 'Invalid JWT Signature.'), context)?.code).toBe('AUTH_EXPIRED')
  })

  it('leaves Chat API errors and network failures to the caller, and passes auth ChatRoleErrors through', () => {
    expect(
      authErrorOf({
        response: { status: 403, data: { error: { code: 403, message: 'denied', status: 'PERMISSION_DENIED' } } },
      }),
    ).toBeUndefined()
    expect(authErrorOf(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBeUndefined()
    expect(authErrorOf('text')).toBeUndefined()
    const expired = new ChatRoleError('AUTH_EXPIRED', 'x')
    expect(authErrorOf(expired)).toBe(expired)
    expect(authErrorOf(new ChatRoleError('NOT_FOUND', 'x'))).toBeUndefined()
  })
})
