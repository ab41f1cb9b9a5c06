// Service accounts: key files issued by the emulator, and the JWT bearer grant that google-auth-library's
// JWT client (its vendored gtoken) sends to the hard-coded https://oauth2.googleapis.com/token.
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto'
import { Gaxios } from 'gaxios'
import { JWT, type JWTOptions } from 'google-auth-library'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ServiceAccountKeyFile } from '../../src/emulator/oauth/keys.js'
import {
  ALICE,
  APP_SA,
  APP_USER,
  BARE_SA,
  DWD_SA,
  postForm,
  postJson,
  startHarness,
  type Harness,
} from './oauth-harness.js'

const MEMBERSHIPS = 'https://www.googleapis.com/auth/chat.memberships'
const APP_MEMBERSHIPS = 'https://www.googleapis.com/auth/chat.app.memberships'
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

let harness: Harness

beforeEach(async () => {
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) vi.stubEnv(name, '')
  harness = await startHarness()
})
afterEach(async () => {
  await harness.close()
})

async function createKey(clientEmail: string): Promise<ServiceAccountKeyFile> {
  const response = await postJson(
    `${harness.baseUrl}/emulator/v1/service-accounts/${encodeURIComponent(clientEmail)}/keys`,
    {},
  )
  expect(response.status).toBe(200)
  return response.body as unknown as ServiceAccountKeyFile
}

/** A transporter that sends Google's hard-coded token URL to the emulator (auth.md §4.2). */
function emulatorTransporter(): Gaxios {
  const transporter = new Gaxios()
  transporter.interceptors.request.add({
    resolved: config => {
      const url = new URL(config.url)
      if (url.hostname.endsWith('.googleapis.com')) config.url = new URL(url.pathname + url.search, harness.baseUrl)
      return Promise.resolve(config)
    },
  })
  return transporter
}

function jwtClient(key: ServiceAccountKeyFile, scopes: string[], subject?: string): JWT {
  return new JWT({
    email: key.client_email,
    key: key.private_key,
    scopes,
    ...(subject === undefined ? {} : { subject }),
    // This ESM test gets gaxios's ESM build, google-auth-library (CJS) declares the CJS one: the classes
    // are identical at run time but TypeScript sees two declarations (the dual-package hazard).
    transporter: emulatorTransporter() as unknown as JWTOptions['transporter'],
  })
}

async function refusal(client: JWT): Promise<unknown> {
  const error: unknown = await client.authorize().then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(Error)
  const { status, response } = error as { status?: number; response?: { data?: unknown } }
  return { status, data: response?.data }
}

function signAssertion(privateKey: string, claims: Record<string, unknown>): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  const input = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}`
}

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = Math.floor(harness.clock.now() / 1000)
  return {
    iss: APP_SA.clientEmail,
    scope: APP_MEMBERSHIPS,
    aud: 'https://oauth2.googleapis.com/token',
    iat,
    exp: iat + 3600,
    ...overrides,
  }
}

describe('service-account keys', () => {
  it('issues a Google Cloud-shaped JSON key file for a seeded service account', async () => {
    const key = await createKey(APP_SA.clientEmail)
    expect(Object.keys(key).sort()).toEqual(
      [
        'type',
        'project_id',
        'private_key_id',
        'private_key',
        'client_email',
        'client_id',
        'auth_uri',
        'token_uri',
        'auth_provider_x509_cert_url',
        'client_x509_cert_url',
        'universe_domain',
      ].sort(),
    )
    expect(key).toMatchObject({
      type: 'service_account',
      project_id: 'chat-role-test',
      client_email: APP_SA.clientEmail,
      token_uri: 'https://oauth2.googleapis.com/token',
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      universe_domain: 'googleapis.com',
    })
    expect(key.private_key_id).toMatch(/^[0-9a-f]{40}$/)
    expect(key.client_id).toMatch(/^\d{21}$/)
    expect(key.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/)
    const privateKey = createPrivateKey(key.private_key)
    expect(privateKey.asymmetricKeyType).toBe('rsa')
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048)
    // A second key: same account, same client id, different key id.
    const second = await createKey(APP_SA.clientEmail)
    expect(second.client_id).toBe(key.client_id)
    expect(second.private_key_id).not.toBe(key.private_key_id)
  })

  it('answers 404 for an account that is not seeded, and 405 for other methods', async () => {
    const response = await postJson(
      `${harness.baseUrl}/emulator/v1/service-accounts/ghost@chat-role-test.iam.gserviceaccount.com/keys`,
      {},
    )
    expect(response.status).toBe(404)
    expect(response.body).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } })
    const get = await fetch(`${harness.baseUrl}/emulator/v1/service-accounts/${APP_SA.clientEmail}/keys`)
    expect(get.status).toBe(405)
  })
})

describe('JWT bearer grant through google-auth-library', () => {
  it('authenticates the Chat app without a subject (app authentication)', async () => {
    const key = await createKey(APP_SA.clientEmail)
    const client = jwtClient(key, [APP_MEMBERSHIPS])
    const credentials = await client.authorize()
    expect(credentials.access_token).toMatch(/^ya29\./)
    expect(credentials.refresh_token).toBe('jwt-placeholder')
    expect(harness.service.authenticate(credentials.access_token ?? '')).toEqual({
      ok: true,
      grant: {
        principal: { kind: 'app', appUserId: APP_USER.id, serviceAccount: APP_SA.clientEmail },
        scopes: [APP_MEMBERSHIPS],
        expiresAt: harness.clock.now() + 3600_000,
      },
    })
    const info = await postForm(`${harness.baseUrl}/tokeninfo`, { access_token: credentials.access_token ?? '' })
    expect(info.status).toBe(200)
    expect(info.body).toMatchObject({ azp: key.client_id, aud: key.client_id, scope: APP_MEMBERSHIPS })
    expect(info.body.sub).toBeUndefined()
  })

  it('impersonates a seeded human with domain-wide delegation, by email or id', async () => {
    const key = await createKey(DWD_SA.clientEmail)
    for (const subject of [ALICE.email ?? '', ALICE.id]) {
      const credentials = await jwtClient(key, [MEMBERSHIPS], subject).authorize()
      const lookup = harness.service.authenticate(credentials.access_token ?? '')
      expect(lookup.ok && lookup.grant.principal).toEqual({
        kind: 'user',
        userId: ALICE.id,
        viaServiceAccount: DWD_SA.clientEmail,
      })
      expect(lookup.ok && lookup.grant.scopes).toEqual([MEMBERSHIPS])
    }
  })

  it('refuses a subject when the account has no domain-wide delegation', async () => {
    const key = await createKey(APP_SA.clientEmail)
    expect(await refusal(jwtClient(key, [MEMBERSHIPS], ALICE.email))).toEqual({
      status: 401,
      data: {
        error: 'unauthorized_client',
        error_description:
          'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
      },
    })
  })

  it('refuses a subject who is not a seeded human', async () => {
    const key = await createKey(DWD_SA.clientEmail)
    for (const subject of ['nobody@example.com', APP_USER.id]) {
      expect(await refusal(jwtClient(key, [MEMBERSHIPS], subject))).toEqual({
        status: 400,
        data: { error: 'invalid_grant', error_description: 'Invalid email or User ID' },
      })
    }
  })

  it('refuses app authentication for an account without a Chat app user', async () => {
    const key = await createKey(BARE_SA.clientEmail)
    const result = (await refusal(jwtClient(key, [APP_MEMBERSHIPS]))) as { status: number; data: { error: string } }
    expect(result.status).toBe(401)
    expect(result.data.error).toBe('unauthorized_client')
  })

  it('refuses a key the emulator did not issue (bad signature)', async () => {
    const issued = await createKey(APP_SA.clientEmail)
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const forged = { ...issued, private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }
    expect(await refusal(jwtClient(forged, [APP_MEMBERSHIPS]))).toEqual({
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
    })
  })

  it('refuses a key issued to another account', async () => {
    const other = await createKey(DWD_SA.clientEmail)
    const borrowed = { ...other, client_email: APP_SA.clientEmail }
    expect(await refusal(jwtClient(borrowed, [APP_MEMBERSHIPS]))).toEqual({
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
    })
  })

  it('forgets keys on reset', async () => {
    const key = await createKey(APP_SA.clientEmail)
    harness.service.reset()
    expect(await refusal(jwtClient(key, [APP_MEMBERSHIPS]))).toEqual({
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
    })
  })

  it('refuses unknown scopes', async () => {
    const key = await createKey(APP_SA.clientEmail)
    expect(await refusal(jwtClient(key, ['https://www.googleapis.com/auth/chat.everything']))).toEqual({
      status: 400,
      data: { error: 'invalid_scope', error_description: 'Invalid OAuth scope or ID token audience provided.' },
    })
  })

  it('expires the app token on the injected clock', async () => {
    const key = await createKey(APP_SA.clientEmail)
    const { access_token } = await jwtClient(key, [APP_MEMBERSHIPS]).authorize()
    harness.clock.advance(3600_000)
    expect(harness.service.authenticate(access_token ?? '')).toEqual({ ok: false, reason: 'expired' })
  })
})

describe('JWT assertions checked claim by claim', () => {
  let privateKey: string

  beforeEach(async () => {
    privateKey = (await createKey(APP_SA.clientEmail)).private_key
  })

  async function exchange(assertion: string): Promise<{ status: number; body: Record<string, unknown> }> {
    return postForm(`${harness.baseUrl}/token`, { grant_type: JWT_GRANT, assertion })
  }

  it('accepts Google’s audience and the emulator’s own token URL', async () => {
    expect((await exchange(signAssertion(privateKey, claims()))).status).toBe(200)
    expect((await exchange(signAssertion(privateKey, claims({ aud: `${harness.baseUrl}/token` })))).status).toBe(200)
    const other = await exchange(signAssertion(privateKey, claims({ aud: 'https://example.com/token' })))
    expect(other.status).toBe(400)
    expect(other.body.error).toBe('invalid_grant')
    expect(other.body.error_description).toMatch(/audience/)
  })

  it('refuses assertions out of their timeframe or living over an hour', async () => {
    const now = Math.floor(harness.clock.now() / 1000)
    for (const times of [
      { iat: now - 7200, exp: now - 3600 },
      { iat: now, exp: now + 7200 },
      { iat: now + 3600, exp: now + 4000 },
      { iat: now, exp: now },
      { iat: String(now), exp: now + 60 },
    ]) {
      const response = await exchange(signAssertion(privateKey, claims(times)))
      expect(response.status, JSON.stringify(times)).toBe(400)
      expect(response.body.error_description).toMatch(/^Invalid JWT: Token must be a short-lived token/)
    }
  })

  it('refuses unknown issuers, missing scopes, garbage, other algorithms and kid mismatches', async () => {
    const unknownIssuer = await exchange(signAssertion(privateKey, claims({ iss: 'ghost@x.iam.gserviceaccount.com' })))
    expect(unknownIssuer.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid grant: account not found',
    })
    const noScope = await exchange(signAssertion(privateKey, claims({ scope: undefined })))
    expect(noScope.body).toEqual({ error: 'invalid_scope', error_description: 'Empty or missing scope not allowed.' })
    expect((await exchange('not.a.jwt')).body.error).toBe('invalid_grant')
    expect((await exchange('')).body).toEqual({
      error: 'invalid_request',
      error_description: 'Missing required parameter: assertion',
    })

    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
    const unsigned = `${encode({ alg: 'none' })}.${encode(claims())}.`
    expect((await exchange(unsigned)).body.error_description).toBe('Invalid JWT Signature.')
    const input = `${encode({ alg: 'RS256', kid: 'not-a-key-id' })}.${encode(claims())}`
    const withKid = `${input}.${sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}`
    expect((await exchange(withKid)).body.error_description).toBe('Invalid JWT Signature.')
  })
})
