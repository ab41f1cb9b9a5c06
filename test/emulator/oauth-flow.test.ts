// The loopback sign-in flow of a Desktop client, driven by the real google-auth-library against the
// emulator's authorization, token, revoke and tokeninfo endpoints.
import { GaxiosError } from 'gaxios'
import { OAuth2Client, UserRefreshClient } from 'google-auth-library'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ALICE, BOB, emulatorEndpoints, postForm, postJson, startHarness, type Harness } from './oauth-harness.js'

const CLIENT_ID = '123456789012-chatrole.apps.googleusercontent.com'
const CLIENT_SECRET = 'GOCSPX-emulator-secret'
const REDIRECT_URI = 'http://127.0.0.1:53682/'
const MEMBERSHIPS = 'https://www.googleapis.com/auth/chat.memberships'
const SPACES_READONLY = 'https://www.googleapis.com/auth/chat.spaces.readonly'

let harness: Harness

beforeEach(async () => {
  vi.stubEnv('NO_PROXY', '127.0.0.1,localhost')
  harness = await startHarness()
})
afterEach(async () => {
  await harness.close()
})

function oauthClient(clientId = CLIENT_ID): OAuth2Client {
  return new OAuth2Client({
    clientId,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    endpoints: emulatorEndpoints(harness.baseUrl),
  })
}

interface Consent {
  readonly client: OAuth2Client
  readonly codeVerifier: string
  readonly redirect: URL
}

/** Generates the authorization URL as a CLI would, follows it and returns where the browser lands. */
async function consent(
  extra: Record<string, string> = {},
  scope: string[] = [MEMBERSHIPS, SPACES_READONLY],
  client = oauthClient(),
): Promise<Consent> {
  const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync()
  const url = client.generateAuthUrl({
    access_type: 'offline',
    prompt: 'consent',
    scope,
    state: 'state-123',
    code_challenge: codeChallenge,
    code_challenge_method: 'S256' as never,
    redirect_uri: REDIRECT_URI,
    ...extra,
  })
  const response = await fetch(url, { redirect: 'manual' })
  expect(response.status).toBe(302)
  const location = response.headers.get('location')
  expect(location).toBeTruthy()
  return { client, codeVerifier, redirect: new URL(location ?? '') }
}

async function whoami(accessToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${harness.baseUrl}/v1/whoami`, { headers: { authorization: `Bearer ${accessToken}` } })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

async function gaxiosFailure(promise: Promise<unknown>): Promise<GaxiosError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  // google-auth-library (CJS) and this test (ESM) load different copies of gaxios: duck-type the error.
  expect(error).toBeInstanceOf(Error)
  expect(error).toHaveProperty('response')
  return error as GaxiosError
}

describe('authorization code flow with PKCE', () => {
  it('signs in, refreshes, revokes, and then refresh fails with invalid_grant', async () => {
    const { client, codeVerifier, redirect } = await consent()
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI)
    expect(redirect.searchParams.get('state')).toBe('state-123')
    const code = redirect.searchParams.get('code')
    expect(code).toMatch(/^4\/0/)
    expect(redirect.searchParams.get('scope')).toBe(`${MEMBERSHIPS} ${SPACES_READONLY}`)

    const { tokens } = await client.getToken({ code: code ?? '', codeVerifier, redirect_uri: REDIRECT_URI })
    expect(tokens.token_type).toBe('Bearer')
    expect(tokens.scope).toBe(`${MEMBERSHIPS} ${SPACES_READONLY}`)
    expect(tokens.refresh_token).toMatch(/^1\/\/0/)
    expect(tokens.access_token).toMatch(/^ya29\./)
    expect(tokens.expiry_date).toBeGreaterThan(Date.now() + 3500_000)

    const lookup = harness.service.authenticate(tokens.access_token ?? '')
    expect(lookup).toEqual({
      ok: true,
      grant: {
        principal: { kind: 'user', userId: ALICE.id },
        scopes: [MEMBERSHIPS, SPACES_READONLY],
        expiresAt: harness.clock.now() + 3600_000,
      },
    })

    // Refresh as a stored authorized_user credential would.
    const refresher = new UserRefreshClient({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      refreshToken: tokens.refresh_token ?? '',
      endpoints: emulatorEndpoints(harness.baseUrl),
    })
    const refreshed = await refresher.refreshAccessToken()
    expect(refreshed.credentials.access_token).toMatch(/^ya29\./)
    expect(refreshed.credentials.access_token).not.toBe(tokens.access_token)
    expect(refreshed.credentials.scope).toBe(`${MEMBERSHIPS} ${SPACES_READONLY}`)
    const response = await refresher.request<{ ok: boolean }>({ url: `${harness.baseUrl}/v1/whoami` })
    expect(response.data.ok).toBe(true)

    const info = await client.getTokenInfo(refreshed.credentials.access_token ?? '')
    expect(info.aud).toBe(CLIENT_ID)
    expect(info.azp).toBe(CLIENT_ID)
    expect(info.sub).toBe('100000000000000000001')
    expect(info.scopes).toEqual([MEMBERSHIPS, SPACES_READONLY])
    expect(info.access_type).toBe('offline')
    expect(info.expiry_date).toBeGreaterThan(Date.now() + 3500_000)
    expect(info.email).toBeUndefined()

    await client.revokeToken(tokens.refresh_token ?? '')
    // Every access token minted from the refresh token died with it.
    expect(harness.service.authenticate(tokens.access_token ?? '')).toEqual({ ok: false, reason: 'revoked' })
    expect(harness.service.authenticate(refreshed.credentials.access_token ?? '')).toEqual({
      ok: false,
      reason: 'revoked',
    })
    const failure = await gaxiosFailure(
      new UserRefreshClient({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        refreshToken: tokens.refresh_token ?? '',
        endpoints: emulatorEndpoints(harness.baseUrl),
      }).refreshAccessToken(),
    )
    expect(failure.message).toBe('invalid_grant')
    expect(failure.status).toBe(400)
    expect(failure.response?.data).toEqual({
      error: 'invalid_grant',
      error_description: 'Token has been expired or revoked.',
    })
    const tokenInfoFailure = await gaxiosFailure(client.getTokenInfo(tokens.access_token ?? ''))
    expect(tokenInfoFailure.response?.data).toEqual({ error: 'invalid_token', error_description: 'Invalid Value' })
  })

  it('accepts client authentication by HTTP Basic', async () => {
    const client = new OAuth2Client({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      endpoints: emulatorEndpoints(harness.baseUrl),
      clientAuthentication: 'ClientSecretBasic' as never,
    })
    const { codeVerifier, redirect } = await consent({}, [MEMBERSHIPS], client)
    const { tokens } = await client.getToken({
      code: redirect.searchParams.get('code') ?? '',
      codeVerifier,
      redirect_uri: REDIRECT_URI,
    })
    expect(tokens.access_token).toMatch(/^ya29\./)
  })

  it('includes the email in tokeninfo only with the email scope, as userinfo.email', async () => {
    const { client, codeVerifier, redirect } = await consent({}, [MEMBERSHIPS, 'email', 'openid'])
    expect(redirect.searchParams.get('scope')).toBe(
      `${MEMBERSHIPS} https://www.googleapis.com/auth/userinfo.email openid`,
    )
    const { tokens } = await client.getToken({
      code: redirect.searchParams.get('code') ?? '',
      codeVerifier,
      redirect_uri: REDIRECT_URI,
    })
    const info = await client.getTokenInfo(tokens.access_token ?? '')
    expect(info.email).toBe(ALICE.email)
    expect(info.email_verified).toBe('true')
  })

  it('revoking an access token also revokes its refresh token (Google documents this)', async () => {
    const { client, codeVerifier, redirect } = await consent()
    const { tokens } = await client.getToken({
      code: redirect.searchParams.get('code') ?? '',
      codeVerifier,
      redirect_uri: REDIRECT_URI,
    })
    await client.revokeToken(tokens.access_token ?? '')
    expect(harness.service.authenticate(tokens.access_token ?? '')).toEqual({ ok: false, reason: 'revoked' })
    const refresh = await postForm(`${harness.baseUrl}/token`, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    })
    expect(refresh).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
    })
    // A second revoke of the same token is refused like Google does.
    const again = await gaxiosFailure(client.revokeToken(tokens.access_token ?? ''))
    expect(again.status).toBe(400)
    expect(again.response?.data).toEqual({ error: 'invalid_token', error_description: 'Token expired or revoked' })
  })

  it('takes the token to revoke from a form body too', async () => {
    const { client, codeVerifier, redirect } = await consent()
    const { tokens } = await client.getToken({
      code: redirect.searchParams.get('code') ?? '',
      codeVerifier,
      redirect_uri: REDIRECT_URI,
    })
    const response = await fetch(`${harness.baseUrl}/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: tokens.refresh_token ?? '' }),
    })
    expect(response.status).toBe(200)
    expect(harness.service.authenticate(tokens.access_token ?? '')).toEqual({ ok: false, reason: 'revoked' })
    const missing = await postForm(`${harness.baseUrl}/revoke`, {})
    expect(missing.status).toBe(400)
    expect(missing.body.error).toBe('invalid_request')
  })
})

describe('refresh tokens follow Google: on the consent that creates the grant, and on prompt=consent', () => {
  async function exchange(extra: Record<string, string>): Promise<{ refresh_token?: string | null }> {
    const { client, codeVerifier, redirect } = await consent(extra)
    const { tokens } = await client.getToken({
      code: redirect.searchParams.get('code') ?? '',
      codeVerifier,
      redirect_uri: REDIRECT_URI,
    })
    return tokens
  }

  it('returns one on first offline consent, none on a silent re-consent, one again with prompt=consent', async () => {
    expect((await exchange({ prompt: '' })).refresh_token).toBeTruthy()
    expect((await exchange({ prompt: '' })).refresh_token).toBeFalsy()
    expect((await exchange({ prompt: 'consent' })).refresh_token).toBeTruthy()
    expect((await exchange({ prompt: 'select_account' })).refresh_token).toBeFalsy()
  })

  it('returns none for access_type=online', async () => {
    expect((await exchange({ access_type: 'online' })).refresh_token).toBeFalsy()
  })

  it('answers prompt=none with consent_required until the user has consented', async () => {
    const { redirect } = await consent({ prompt: 'none' })
    expect(redirect.searchParams.get('error')).toBe('consent_required')
    expect(redirect.searchParams.get('state')).toBe('state-123')
    await exchange({})
    const second = await consent({ prompt: 'none' })
    expect(second.redirect.searchParams.get('code')).toBeTruthy()
    expect(second.redirect.searchParams.get('prompt')).toBe('none')
  })

  it('adds earlier grants with include_granted_scopes=true', async () => {
    await consent({}, [MEMBERSHIPS])
    const { redirect } = await consent({ include_granted_scopes: 'true' }, [SPACES_READONLY])
    expect(redirect.searchParams.get('scope')).toBe(`${MEMBERSHIPS} ${SPACES_READONLY}`)
  })
})

describe('who consents', () => {
  async function signedInUser(extra: Record<string, string>): Promise<unknown> {
    const { client, codeVerifier, redirect } = await consent(extra)
    const { tokens } = await client.getToken({
      code: redirect.searchParams.get('code') ?? '',
      codeVerifier,
      redirect_uri: REDIRECT_URI,
    })
    const lookup = harness.service.authenticate(tokens.access_token ?? '')
    return lookup.ok ? lookup.grant.principal : lookup
  }

  it('is the default caller, or the seeded human a login_hint names', async () => {
    expect(await signedInUser({})).toEqual({ kind: 'user', userId: ALICE.id })
    expect(await signedInUser({ login_hint: 'bob@example.com' })).toEqual({ kind: 'user', userId: BOB.id })
    // A hint naming nobody seeded (or a BOT) falls back to the consenting user.
    expect(await signedInUser({ login_hint: 'nobody@example.com' })).toEqual({ kind: 'user', userId: ALICE.id })
    expect(await signedInUser({ login_hint: 'users/app-chat-role' })).toEqual({ kind: 'user', userId: ALICE.id })
  })

  it('is --consent-as when set', async () => {
    await harness.close()
    harness = await startHarness({ consentUser: BOB.id })
    expect(await signedInUser({})).toEqual({ kind: 'user', userId: BOB.id })
  })

  it('can be switched, and denial turned on, with POST /emulator/v1/consent until reset', async () => {
    expect(await postJson(`${harness.baseUrl}/emulator/v1/consent`, { user: 'bob@example.com' })).toEqual({
      status: 200,
      body: { deny: false, user: BOB.id },
    })
    expect(await signedInUser({})).toEqual({ kind: 'user', userId: BOB.id })
    expect((await postJson(`${harness.baseUrl}/emulator/v1/consent`, { deny: true })).body).toEqual({
      deny: true,
      user: BOB.id,
    })
    const denied = await consent()
    expect(denied.redirect.searchParams.get('error')).toBe('access_denied')
    harness.service.reset()
    expect(await signedInUser({})).toEqual({ kind: 'user', userId: ALICE.id })
    expect((await postJson(`${harness.baseUrl}/emulator/v1/consent`, { user: 'users/app-chat-role' })).status).toBe(400)
    expect((await postJson(`${harness.baseUrl}/emulator/v1/consent`, { deny: 'yes' })).status).toBe(400)
  })

  it('denies when login_hint is deny@…', async () => {
    const { redirect } = await consent({ login_hint: 'deny@example.com' })
    expect(redirect.searchParams.get('error')).toBe('access_denied')
    expect(redirect.searchParams.get('state')).toBe('state-123')
    expect(redirect.searchParams.get('code')).toBeNull()
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI)
  })
})

describe('authorization endpoint refusals', () => {
  async function authorize(params: Record<string, string>): Promise<Response> {
    const url = new URL(`${harness.baseUrl}/o/oauth2/v2/auth`)
    const defaults = {
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: MEMBERSHIPS,
      state: 's',
    }
    for (const [key, value] of Object.entries({ ...defaults, ...params })) {
      if (value !== '') url.searchParams.set(key, value)
    }
    return fetch(url, { redirect: 'manual' })
  }

  async function redirectError(params: Record<string, string>): Promise<string | null> {
    const response = await authorize(params)
    expect(response.status).toBe(302)
    const location = new URL(response.headers.get('location') ?? '')
    expect(location.searchParams.get('state')).toBe('s')
    return location.searchParams.get('error')
  }

  it('shows an error page, without redirecting, for a missing client or a non-loopback redirect URI', async () => {
    const cases: Record<string, string>[] = [
      { client_id: '' },
      { redirect_uri: '' },
      { redirect_uri: 'https://evil.example.com/callback' },
      { redirect_uri: 'https://127.0.0.1:8080/' },
      { redirect_uri: 'http://10.0.0.1:8080/' },
      { redirect_uri: 'urn:ietf:wg:oauth:2.0:oob' },
    ]
    for (const params of cases) {
      const response = await authorize(params)
      expect(response.status, JSON.stringify(params)).toBe(400)
      expect(response.headers.get('location')).toBeNull()
      expect(response.headers.get('content-type')).toContain('text/html')
      expect(await response.text()).toMatch(/Error 400: (invalid_request|redirect_uri_mismatch)/)
    }
  })

  it('accepts localhost and [::1] loopback redirect URIs, with any port and path', async () => {
    for (const redirectUri of ['http://localhost:8085/oauth2callback', 'http://[::1]:9000/', 'http://127.0.0.1/cb']) {
      const response = await authorize({ redirect_uri: redirectUri })
      expect(response.status).toBe(302)
      expect(response.headers.get('location')?.startsWith(redirectUri)).toBe(true)
    }
  })

  it('redirects with invalid_scope for unknown scopes and with invalid_request for a missing one', async () => {
    expect(await redirectError({ scope: `${MEMBERSHIPS} https://www.googleapis.com/auth/chat.everything` })).toBe(
      'invalid_scope',
    )
    expect(await redirectError({ scope: 'chat.memberships' })).toBe('invalid_scope')
    expect(await redirectError({ scope: '' })).toBe('invalid_request')
  })

  it('rejects plain PKCE, a challenge without S256, and a malformed challenge', async () => {
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
    expect(await redirectError({ code_challenge: challenge, code_challenge_method: 'plain' })).toBe('invalid_request')
    expect(await redirectError({ code_challenge: challenge })).toBe('invalid_request')
    expect(await redirectError({ code_challenge: 'short', code_challenge_method: 'S256' })).toBe('invalid_request')
    expect(await redirectError({ code_challenge_method: 'S256' })).toBe('invalid_request')
    expect(await redirectError({ code_challenge: challenge, code_challenge_method: 'S256' })).toBeNull()
  })

  it('rejects other response types, access types and prompts', async () => {
    expect(await redirectError({ response_type: 'token' })).toBe('unsupported_response_type')
    expect(await redirectError({ access_type: 'forever' })).toBe('invalid_request')
    expect(await redirectError({ prompt: 'login' })).toBe('invalid_request')
    expect(await redirectError({ prompt: 'none consent' })).toBe('invalid_request')
  })

  it('answers other methods with 405', async () => {
    const response = await fetch(`${harness.baseUrl}/o/oauth2/v2/auth`, { method: 'POST' })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET')
  })
})

describe('token endpoint refusals for the authorization code', () => {
  async function freshCode(): Promise<Consent & { code: string }> {
    const result = await consent()
    return { ...result, code: result.redirect.searchParams.get('code') ?? '' }
  }

  async function failure(promise: Promise<unknown>): Promise<unknown> {
    const error = await gaxiosFailure(promise)
    const data: unknown = error.response?.data
    return { status: error.status, data }
  }

  it('refuses a wrong PKCE verifier, and the code is then burnt', async () => {
    const { client, code, codeVerifier } = await freshCode()
    const wrong = (await client.generateCodeVerifierAsync()).codeVerifier
    expect(await failure(client.getToken({ code, codeVerifier: wrong, redirect_uri: REDIRECT_URI }))).toEqual({
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Invalid code verifier.' },
    })
    expect(await failure(client.getToken({ code, codeVerifier, redirect_uri: REDIRECT_URI }))).toEqual({
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Bad Request' },
    })
  })

  it('refuses a missing verifier when the code has a challenge', async () => {
    const { client, code } = await freshCode()
    expect(await failure(client.getToken({ code, redirect_uri: REDIRECT_URI }))).toEqual({
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Missing code verifier.' },
    })
  })

  it('refuses a reused code', async () => {
    const { client, code, codeVerifier } = await freshCode()
    await client.getToken({ code, codeVerifier, redirect_uri: REDIRECT_URI })
    expect(await failure(client.getToken({ code, codeVerifier, redirect_uri: REDIRECT_URI }))).toEqual({
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Bad Request' },
    })
  })

  it('refuses an unknown code', async () => {
    const client = oauthClient()
    expect(await failure(client.getToken({ code: '4/0nothing', redirect_uri: REDIRECT_URI }))).toEqual({
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Malformed auth code.' },
    })
  })

  it('refuses a code after ten minutes', async () => {
    const { client, code, codeVerifier } = await freshCode()
    harness.clock.advance(10 * 60 * 1000 + 1)
    expect(await failure(client.getToken({ code, codeVerifier, redirect_uri: REDIRECT_URI }))).toEqual({
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Bad Request' },
    })
  })

  it('refuses a different redirect_uri', async () => {
    const { client, code, codeVerifier } = await freshCode()
    expect(await failure(client.getToken({ code, codeVerifier, redirect_uri: 'http://127.0.0.1:53683/' }))).toEqual({
      status: 400,
      data: { error: 'redirect_uri_mismatch', error_description: 'Bad Request' },
    })
  })

  it('refuses a code issued to another client', async () => {
    const { code, codeVerifier } = await freshCode()
    const other = oauthClient('999999999999-other.apps.googleusercontent.com')
    expect(await failure(other.getToken({ code, codeVerifier, redirect_uri: REDIRECT_URI }))).toEqual({
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Bad Request' },
    })
  })

  it('requires the client secret and a grant type it knows', async () => {
    const { code, codeVerifier } = await freshCode()
    const base = { code, code_verifier: codeVerifier, redirect_uri: REDIRECT_URI, grant_type: 'authorization_code' }
    expect(await postForm(`${harness.baseUrl}/token`, { ...base, client_id: CLIENT_ID })).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'client_secret is missing.' },
    })
    expect(await postForm(`${harness.baseUrl}/token`, { ...base, client_secret: CLIENT_SECRET })).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'Could not determine client ID from request.' },
    })
    expect(
      await postForm(`${harness.baseUrl}/token`, { ...base, grant_type: 'password', client_id: CLIENT_ID }),
    ).toEqual({
      status: 400,
      body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: password' },
    })
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')
    const conflicting = await postForm(
      `${harness.baseUrl}/token`,
      { ...base, client_id: 'someone-else' },
      { authorization: `Basic ${basic}` },
    )
    expect(conflicting.status).toBe(401)
    expect(conflicting.body.error).toBe('invalid_client')
  })
})

describe('refresh grant', () => {
  async function signIn(): Promise<{ access_token: string; refresh_token: string }> {
    const { client, codeVerifier, redirect } = await consent()
    const { tokens } = await client.getToken({
      code: redirect.searchParams.get('code') ?? '',
      codeVerifier,
      redirect_uri: REDIRECT_URI,
    })
    return { access_token: tokens.access_token ?? '', refresh_token: tokens.refresh_token ?? '' }
  }

  it('narrows scopes on request and refuses widening them', async () => {
    const { refresh_token } = await signIn()
    const form = { grant_type: 'refresh_token', refresh_token, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }
    const narrowed = await postForm(`${harness.baseUrl}/token`, { ...form, scope: SPACES_READONLY })
    expect(narrowed.status).toBe(200)
    expect(narrowed.body.scope).toBe(SPACES_READONLY)
    expect(narrowed.body.refresh_token).toBeUndefined()
    const widened = await postForm(`${harness.baseUrl}/token`, {
      ...form,
      scope: 'https://www.googleapis.com/auth/chat.admin.memberships',
    })
    expect(widened).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: 'Bad Request' } })
  })

  it('refuses a refresh token presented by another client', async () => {
    const { refresh_token } = await signIn()
    const response = await postForm(`${harness.baseUrl}/token`, {
      grant_type: 'refresh_token',
      refresh_token,
      client_id: 'other.apps.googleusercontent.com',
      client_secret: CLIENT_SECRET,
    })
    expect(response).toEqual({ status: 401, body: { error: 'unauthorized_client', error_description: 'Unauthorized' } })
  })

  it('answers an unknown refresh token with invalid_grant', async () => {
    const response = await postForm(`${harness.baseUrl}/token`, {
      grant_type: 'refresh_token',
      refresh_token: '1//0unknown',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    })
    expect(response).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
    })
  })
})

describe('expiry on the injected clock', () => {
  it('expires access tokens after --token-ttl, and a refresh brings a fresh one', async () => {
    await harness.close()
    harness = await startHarness({ tokenTtlSeconds: 60 })
    const { client, codeVerifier, redirect } = await consent()
    const { tokens } = await client.getToken({
      code: redirect.searchParams.get('code') ?? '',
      codeVerifier,
      redirect_uri: REDIRECT_URI,
    })
    expect(tokens.expiry_date).toBeLessThanOrEqual(Date.now() + 60_000)
    const accessToken = tokens.access_token ?? ''
    expect((await whoami(accessToken)).status).toBe(200)
    harness.clock.advance(59_999)
    expect(harness.service.authenticate(accessToken).ok).toBe(true)
    harness.clock.advance(1)
    expect(harness.service.authenticate(accessToken)).toEqual({ ok: false, reason: 'expired' })
    expect(await whoami(accessToken)).toEqual({ status: 401, body: { ok: false, reason: 'expired' } })
    const tokenInfo = await gaxiosFailure(client.getTokenInfo(accessToken))
    expect(tokenInfo.response?.data).toEqual({ error: 'invalid_token', error_description: 'Invalid Value' })

    const refresher = new UserRefreshClient({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      refreshToken: tokens.refresh_token ?? '',
      endpoints: emulatorEndpoints(harness.baseUrl),
    })
    const { token } = await refresher.getAccessToken()
    expect(token).toBeTruthy()
    expect(harness.service.authenticate(token ?? '').ok).toBe(true)
    // Revoking an expired token is refused, as Google does.
    expect((await postForm(`${harness.baseUrl}/revoke`, { token: accessToken })).status).toBe(400)
  })

  it('forgets every token and code on reset', async () => {
    const { client, codeVerifier, redirect } = await consent()
    const code = redirect.searchParams.get('code') ?? ''
    const fresh = await consent()
    const { tokens } = await fresh.client.getToken({
      code: fresh.redirect.searchParams.get('code') ?? '',
      codeVerifier: fresh.codeVerifier,
      redirect_uri: REDIRECT_URI,
    })
    harness.service.reset()
    expect(harness.service.authenticate(tokens.access_token ?? '')).toEqual({ ok: false, reason: 'unknown' })
    const error = await gaxiosFailure(client.getToken({ code, codeVerifier, redirect_uri: REDIRECT_URI }))
    expect(error.response?.data).toEqual({ error: 'invalid_grant', error_description: 'Malformed auth code.' })
  })
})
