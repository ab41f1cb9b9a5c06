import { describe, expect, it } from 'vitest'
import { authorizationCodeOf, parseRedirect } from '../../src/auth/authorization-response.js'
import { ChatRoleError } from '../../src/errors.js'

function refusal(params: string, state = 's1'): ChatRoleError {
  try {
    authorizationCodeOf(new URLSearchParams(params), state)
  } catch (error) {
    if (error instanceof ChatRoleError) return error
    throw error
  }
  throw new Error('accepted')
}

describe('authorization response', () => {
  it('takes the code when the state matches', () => {
    expect(authorizationCodeOf(new URLSearchParams('state=s1&code=abc&scope=x'), 's1')).toBe('abc')
  })

  it('refuses a state mismatch, or none, before anything else (exit 4)', () => {
    for (const params of ['state=other&code=abc', 'code=abc', 'state=other&error=access_denied']) {
      const error = refusal(params)
      expect(error.message).toContain('state mismatch')
      expect(error.exitCode).toBe(4)
    }
  })

  it('says access was not granted on access_denied', () => {
    const error = refusal('state=s1&error=access_denied')
    expect(error.message).toBe('access was not granted on the consent page; nothing was saved')
    expect(error.exitCode).toBe(4)
    expect(refusal('state=s1&error=invalid_scope&error_description=bad').message).toContain('(bad)')
    expect(refusal('state=s1').message).toContain('no authorization code')
  })

  it('recognises a pasted redirect address, or its query, and nothing else', () => {
    expect(parseRedirect('http://127.0.0.1:5000/?state=a&code=b')?.get('code')).toBe('b')
    expect(parseRedirect('  ?state=a&error=access_denied ')?.get('error')).toBe('access_denied')
    expect(parseRedirect('state=a&code=b')?.get('code')).toBe('b')
    expect(parseRedirect('hello')).toBeUndefined()
    expect(parseRedirect('http://127.0.0.1:5000/favicon.ico')).toBeUndefined()
    expect(parseRedirect('')).toBeUndefined()
  })
})
