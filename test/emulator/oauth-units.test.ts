// Unit tests of the OAuth side's pure parts: scopes, redirect URIs, the denial knob, the token store.
import { describe, expect, it } from 'vitest'
import { isDenyHint, isLoopbackRedirectUri } from '../../src/emulator/oauth/authorization-endpoint.js'
import { isLoopbackAddress } from '../../src/emulator/oauth/http.js'
import { redactOAuthQuery } from '../../src/emulator/oauth/service.js'
import { parseJws, projectOf, serviceAccountClientId } from '../../src/emulator/oauth/keys.js'
import { coversScopes, parseScopes } from '../../src/emulator/oauth/scopes.js'
import { consentKeyOf, createTokenStore, CODE_TTL_MS } from '../../src/emulator/oauth/token-store.js'
import { manualClock } from './oauth-harness.js'

const P = 'https://www.googleapis.com/auth/'

describe('parseScopes', () => {
  it.each([
    [`${P}chat.memberships ${P}chat.spaces`, false, [`${P}chat.memberships`, `${P}chat.spaces`], []],
    [`  ${P}chat.memberships\t${P}chat.memberships  `, false, [`${P}chat.memberships`], []],
    ['openid email profile', false, ['openid', `${P}userinfo.email`, `${P}userinfo.profile`], []],
    ['chat.memberships', false, [], ['chat.memberships']],
    [
      'chat.memberships chat.admin.spaces.readonly',
      true,
      [`${P}chat.memberships`, `${P}chat.admin.spaces.readonly`],
      [],
    ],
    [`${P}chat.nope chat.nope`, true, [], [`${P}chat.nope`, 'chat.nope']],
    ['https://example.com/chat.memberships', true, [], ['https://example.com/chat.memberships']],
    ['', false, [], []],
  ])('%j (short names: %s)', (input, short, scopes, unknown) => {
    expect(parseScopes(input, short)).toEqual({ scopes, unknown })
  })

  it('takes arrays of space-separated words', () => {
    expect(parseScopes(['chat.memberships chat.spaces', 'chat.memberships'], true).scopes).toEqual([
      `${P}chat.memberships`,
      `${P}chat.spaces`,
    ])
  })

  it('checks coverage', () => {
    expect(coversScopes([`${P}a`, `${P}b`], [`${P}a`])).toBe(true)
    expect(coversScopes([`${P}a`], [`${P}a`, `${P}b`])).toBe(false)
    expect(coversScopes([], [])).toBe(true)
  })
})

describe('redirect URIs and addresses', () => {
  it.each([
    ['http://127.0.0.1:53682/', true],
    ['http://127.0.0.1/', true],
    ['http://localhost:8080/callback?x=1', true],
    ['http://[::1]:8080/', true],
    ['https://127.0.0.1:53682/', false],
    ['http://127.0.0.2:53682/', false],
    ['http://localhost.evil.com:80/', false],
    ['http://user:pw@127.0.0.1:1/', false],
    ['http://127.0.0.1:1/#frag', false],
    ['urn:ietf:wg:oauth:2.0:oob', false],
    ['not a url', false],
  ])('%s → %s', (uri, ok) => {
    expect(isLoopbackRedirectUri(uri)).toBe(ok)
  })

  it.each([
    ['127.0.0.1', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.5', false],
    [undefined, false],
  ])('loopback caller %s → %s', (address, ok) => {
    expect(isLoopbackAddress(address)).toBe(ok)
  })

  it.each([
    ['deny@example.com', true],
    ['DENY@corp.example', true],
    ['deny', true],
    ['denying@example.com', false],
    ['alice@example.com', false],
    [undefined, false],
  ])('denial knob %s → %s', (hint, deny) => {
    expect(isDenyHint(hint)).toBe(deny)
  })
})

describe('service-account identities', () => {
  it('derives the project from the account email, with a fallback', () => {
    expect(projectOf('app@my-project-42.iam.gserviceaccount.com')).toBe('my-project-42')
    expect(projectOf('app@example.com')).toBe('chat-role-emulator')
  })

  it('gives each account a stable 21-digit client id', () => {
    const id = serviceAccountClientId('app@my-project.iam.gserviceaccount.com')
    expect(id).toMatch(/^1\d{20}$/)
    expect(serviceAccountClientId('APP@my-project.iam.gserviceaccount.com')).toBe(id)
    expect(serviceAccountClientId('other@my-project.iam.gserviceaccount.com')).not.toBe(id)
  })

  it('parses compact JWS and refuses anything else', () => {
    const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
    expect(parseJws(`${part({ alg: 'RS256' })}.${part({ iss: 'a' })}.c2ln`)).toMatchObject({
      header: { alg: 'RS256' },
      claims: { iss: 'a' },
    })
    for (const bad of [
      '',
      'a.b',
      'a.b.c.d',
      `${part([1])}.${part({})}.x`,
      `${part({})}.${part('s')}.x`,
      `%%.${part({})}.x`,
    ]) {
      expect(parseJws(bad), bad).toBeUndefined()
    }
  })
})

describe('token store', () => {
  const user = { kind: 'user', userId: 'users/1' } as const

  it('expires access tokens at their TTL', () => {
    const clock = manualClock(1_000_000)
    const store = createTokenStore(clock.now)
    const { accessToken, record } = store.mintAccessToken({
      principal: user,
      scopes: ['s'],
      clientId: 'c',
      ttlSeconds: 10,
    })
    expect(record.expiresAt).toBe(1_010_000)
    expect(store.lookupAccessToken(accessToken).ok).toBe(true)
    clock.advance(10_000)
    expect(store.lookupAccessToken(accessToken)).toEqual({ ok: false, reason: 'expired' })
    expect(store.lookupAccessToken('ya29.other')).toEqual({ ok: false, reason: 'unknown' })
  })

  it('revokes a refresh token with every access token it minted, and forgets the consent', () => {
    const store = createTokenStore(manualClock().now)
    const consentKey = consentKeyOf('users/1', 'c')
    store.recordConsent(consentKey, ['s'])
    const refreshToken = store.mintRefreshToken({ principal: user, scopes: ['s'], clientId: 'c', consentKey })
    const first = store.mintAccessToken({ principal: user, scopes: ['s'], clientId: 'c', ttlSeconds: 60, refreshToken })
    const second = store.mintAccessToken({
      principal: user,
      scopes: ['s'],
      clientId: 'c',
      ttlSeconds: 60,
      refreshToken,
    })
    const unrelated = store.mintAccessToken({ principal: user, scopes: ['s'], clientId: 'c', ttlSeconds: 60 })
    expect(store.revoke(refreshToken)).toBe('revoked')
    expect(store.lookupAccessToken(first.accessToken)).toEqual({ ok: false, reason: 'revoked' })
    expect(store.lookupAccessToken(second.accessToken)).toEqual({ ok: false, reason: 'revoked' })
    expect(store.lookupAccessToken(unrelated.accessToken).ok).toBe(true)
    expect(store.liveRefreshToken(refreshToken)).toBeUndefined()
    expect(store.consentedScopes(consentKey)).toBeUndefined()
    expect(store.revoke(refreshToken)).toBe('unknown')
    expect(store.revoke('nothing')).toBe('unknown')
  })

  it('revoking an online access token touches nothing else', () => {
    const store = createTokenStore(manualClock().now)
    const a = store.mintAccessToken({ principal: user, scopes: ['s'], clientId: 'c', ttlSeconds: 60 })
    const b = store.mintAccessToken({ principal: user, scopes: ['s'], clientId: 'c', ttlSeconds: 60 })
    expect(store.revoke(a.accessToken)).toBe('revoked')
    expect(store.lookupAccessToken(b.accessToken).ok).toBe(true)
  })

  it('burns codes on first redemption and expires them after ten minutes', () => {
    const clock = manualClock()
    const store = createTokenStore(clock.now)
    const base = {
      clientId: 'c',
      redirectUri: 'http://127.0.0.1/',
      userId: 'users/1',
      scopes: ['s'],
      accessType: 'online',
      issueRefreshToken: false,
      consentKey: 'k',
    } as const
    const code = store.issueCode(base)
    expect(store.redeemCode(code).ok).toBe(true)
    expect(store.redeemCode(code)).toEqual({ ok: false, reason: 'used' })
    const late = store.issueCode(base)
    clock.advance(CODE_TTL_MS)
    expect(store.redeemCode(late)).toEqual({ ok: false, reason: 'expired' })
    expect(store.redeemCode('4/0nope')).toEqual({ ok: false, reason: 'unknown' })
  })

  it('forgets everything on reset', () => {
    const store = createTokenStore(manualClock().now)
    const refreshToken = store.mintRefreshToken({ principal: user, scopes: ['s'] })
    const { accessToken } = store.mintAccessToken({ principal: user, scopes: ['s'], clientId: 'c', ttlSeconds: 60 })
    store.recordConsent('k', ['s'])
    store.reset()
    expect(store.lookupAccessToken(accessToken)).toEqual({ ok: false, reason: 'unknown' })
    expect(store.liveRefreshToken(refreshToken)).toBeUndefined()
    expect(store.consentedScopes('k')).toBeUndefined()
  })

  it('makes opaque, distinct, Google-shaped values', () => {
    const store = createTokenStore(manualClock().now)
    const values = new Set(
      Array.from(
        { length: 50 },
        () => store.mintAccessToken({ principal: user, scopes: [], clientId: 'c', ttlSeconds: 1 }).accessToken,
      ),
    )
    expect(values.size).toBe(50)
    for (const value of values) expect(value).toMatch(/^ya29\.a0[A-Za-z0-9_-]{100,}$/)
  })
})

describe('token store pruning', () => {
  const user = { kind: 'user', userId: 'users/1' } as const
  const mint = (store: ReturnType<typeof createTokenStore>, ttlSeconds: number, refreshToken?: string) =>
    store.mintAccessToken({
      principal: user,
      scopes: ['s'],
      clientId: 'c',
      ttlSeconds,
      ...(refreshToken === undefined ? {} : { refreshToken }),
    }).accessToken
  const codeRequest = {
    clientId: 'c',
    redirectUri: 'http://127.0.0.1/',
    userId: 'users/1',
    scopes: ['s'],
    accessType: 'online',
    issueRefreshToken: false,
    consentKey: 'k',
  } as const

  it('stays bounded while many short-lived tokens are issued', () => {
    const clock = manualClock(1_000_000)
    const store = createTokenStore(clock.now)
    let largest = 0
    for (let index = 0; index < 20_000; index += 1) {
      mint(store, 1)
      clock.advance(2000)
      largest = Math.max(largest, store.size().accessTokens)
    }
    // Without pruning the store would hold all 20,000; a sweep runs when it reaches 256.
    expect(largest).toBeLessThanOrEqual(256)
    expect(store.size().accessTokens).toBeLessThanOrEqual(256)
  })

  it('keeps the live tokens: the bound follows the number alive, not the number issued', () => {
    const clock = manualClock(1_000_000)
    const store = createTokenStore(clock.now)
    const long = Array.from({ length: 300 }, () => mint(store, 3600 * 24))
    let largest = 0
    for (let index = 0; index < 5000; index += 1) {
      mint(store, 1)
      clock.advance(2000)
      largest = Math.max(largest, store.size().accessTokens)
    }
    expect(largest).toBeLessThanOrEqual(2 * 300 + 2)
    for (const token of long) expect(store.lookupAccessToken(token).ok).toBe(true)
  })

  it('drops the links a long-lived refresh token keeps to the access tokens it minted', () => {
    const clock = manualClock(1_000_000)
    const store = createTokenStore(clock.now)
    const refreshToken = store.mintRefreshToken({ principal: user, scopes: ['s'], clientId: 'c' })
    let last = ''
    for (let index = 0; index < 5000; index += 1) {
      last = mint(store, 3600, refreshToken)
      clock.advance(3601 * 1000)
    }
    expect(store.size().refreshLinks).toBeLessThanOrEqual(256)
    expect(store.size().refreshTokens).toBe(1)
    expect(store.liveRefreshToken(refreshToken)).toBeDefined()
    expect(store.lookupAccessToken(last)).toEqual({ ok: false, reason: 'expired' })
  })

  it('answers a dropped expired token as expired, not unknown', () => {
    const clock = manualClock(1_000_000)
    const store = createTokenStore(clock.now)
    const first = mint(store, 1)
    clock.advance(2000)
    for (let index = 0; index < 600; index += 1) mint(store, 1)
    expect(store.accessTokenRecord(first)).toBeUndefined()
    expect(store.lookupAccessToken(first)).toEqual({ ok: false, reason: 'expired' })
    expect(store.revoke(first)).toBe('unknown')
  })

  it('drops revoked tokens at once; they answer revoked until their expiry, then expired', () => {
    const clock = manualClock(1_000_000)
    const store = createTokenStore(clock.now)
    const consentKey = consentKeyOf('users/1', 'c')
    store.recordConsent(consentKey, ['s'])
    const refreshToken = store.mintRefreshToken({ principal: user, scopes: ['s'], clientId: 'c', consentKey })
    const child = mint(store, 60, refreshToken)
    const online = mint(store, 60)
    expect(store.size()).toMatchObject({ accessTokens: 2, refreshTokens: 1, refreshLinks: 1, consents: 1 })
    expect(store.revoke(refreshToken)).toBe('revoked')
    expect(store.revoke(online)).toBe('revoked')
    expect(store.size()).toEqual({ accessTokens: 0, refreshTokens: 0, codes: 0, consents: 0, refreshLinks: 0 })
    expect(store.lookupAccessToken(child)).toEqual({ ok: false, reason: 'revoked' })
    expect(store.lookupAccessToken(online)).toEqual({ ok: false, reason: 'revoked' })
    expect(store.revoke(online)).toBe('unknown')
    clock.advance(60_000)
    expect(store.lookupAccessToken(online)).toEqual({ ok: false, reason: 'expired' })
  })

  it('drops codes when redeemed and when expired, and still tells used and expired apart from unknown', () => {
    const clock = manualClock(1_000_000)
    const store = createTokenStore(clock.now)
    const used = store.issueCode(codeRequest)
    expect(store.redeemCode(used).ok).toBe(true)
    expect(store.size().codes).toBe(0)
    expect(store.redeemCode(used)).toEqual({ ok: false, reason: 'used' })
    const stale = store.issueCode(codeRequest)
    let largest = 0
    for (let index = 0; index < 5000; index += 1) {
      store.issueCode(codeRequest)
      clock.advance(CODE_TTL_MS)
      largest = Math.max(largest, store.size().codes)
    }
    expect(largest).toBeLessThanOrEqual(256)
    expect(store.redeemCode(stale)).toEqual({ ok: false, reason: 'expired' })
  })

  it('trusts only values it minted since its last reset', () => {
    const clock = manualClock(1_000_000)
    const store = createTokenStore(clock.now)
    const token = mint(store, 1)
    const other = createTokenStore(clock.now)
    clock.advance(2000)
    // Same shape, another store's key: unknown, not expired.
    expect(other.lookupAccessToken(token)).toEqual({ ok: false, reason: 'unknown' })
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'AB' : 'AA'}`
    expect(store.lookupAccessToken(tampered)).toEqual({ ok: false, reason: 'unknown' })
    expect(store.lookupAccessToken(token)).toEqual({ ok: false, reason: 'expired' })
    const code = store.issueCode(codeRequest)
    store.reset()
    expect(store.lookupAccessToken(token)).toEqual({ ok: false, reason: 'unknown' })
    expect(store.redeemCode(code)).toEqual({ ok: false, reason: 'unknown' })
  })
})

describe('redactOAuthQuery', () => {
  it('hides the values that carry secrets', () => {
    const url = new URL('http://x/revoke?token=ya29.secret&state=s&code=4%2F0c&access_token=a&assertion=j')
    expect(redactOAuthQuery(url)).toEqual({
      token: '[redacted]',
      state: 's',
      code: '[redacted]',
      access_token: '[redacted]',
      assertion: '[redacted]',
    })
  })
})
