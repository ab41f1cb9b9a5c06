// Acting as any seeded user without a browser: POST /emulator/v1/tokens, the `owner` token, and the
// authorized_user files a script writes from minted tokens.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GoogleAuth, OAuth2Client, UserRefreshClient } from 'google-auth-library'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { USER_SCOPES } from '../../src/emulator/oauth/service.js'
import { ALICE, BOB, emulatorEndpoints, postForm, postJson, startHarness, type Harness } from './oauth-harness.js'

const MEMBERSHIPS = 'https://www.googleapis.com/auth/chat.memberships'
const ADMIN_MEMBERSHIPS = 'https://www.googleapis.com/auth/chat.admin.memberships'

let harness: Harness

beforeEach(async () => {
  vi.stubEnv('NO_PROXY', '127.0.0.1,localhost')
  harness = await startHarness()
})
afterEach(async () => {
  await harness.close()
})

interface Minted {
  readonly access_token: string
  readonly refresh_token: string
  readonly expires_in: number
  readonly scope: string
  readonly token_type: string
}

async function mint(request: Record<string, unknown>): Promise<Minted> {
  const response = await postJson(`${harness.baseUrl}/emulator/v1/tokens`, request)
  expect(response.status, JSON.stringify(response.body)).toBe(200)
  return response.body as unknown as Minted
}

describe('POST /emulator/v1/tokens', () => {
  it('mints an access and a refresh token for a seeded user, with full or short scope names', async () => {
    const minted = await mint({ user: BOB.email, scopes: [MEMBERSHIPS, 'chat.admin.memberships', 'chat.memberships'] })
    expect(minted).toEqual({
      access_token: expect.stringMatching(/^ya29\./) as unknown,
      refresh_token: expect.stringMatching(/^1\/\/0/) as unknown,
      expires_in: 3600,
      scope: `${MEMBERSHIPS} ${ADMIN_MEMBERSHIPS}`,
      token_type: 'Bearer',
    })
    expect(harness.service.authenticate(minted.access_token)).toEqual({
      ok: true,
      grant: {
        principal: { kind: 'user', userId: BOB.id },
        scopes: [MEMBERSHIPS, ADMIN_MEMBERSHIPS],
        expiresAt: harness.clock.now() + 3600_000,
      },
    })
    const byId = await mint({ user: BOB.id, scopes: 'chat.spaces.readonly email' })
    expect(byId.scope).toBe(
      'https://www.googleapis.com/auth/chat.spaces.readonly https://www.googleapis.com/auth/userinfo.email',
    )
  })

  it('gives the tokens a chosen lifetime, refreshes included', async () => {
    const minted = await mint({ user: ALICE.id, scopes: ['chat.memberships'], ttlSeconds: 30 })
    expect(minted.expires_in).toBe(30)
    harness.clock.advance(30_000)
    expect(harness.service.authenticate(minted.access_token)).toEqual({ ok: false, reason: 'expired' })
    const refreshed = await postForm(`${harness.baseUrl}/token`, {
      grant_type: 'refresh_token',
      refresh_token: minted.refresh_token,
      client_id: 'any-client',
      client_secret: 'any-secret',
    })
    expect(refreshed.status).toBe(200)
    expect(refreshed.body.expires_in).toBe(30)
  })

  it('binds the refresh token to clientId when one is given; otherwise any client may refresh it', async () => {
    const bound = await mint({
      user: ALICE.id,
      scopes: ['chat.memberships'],
      clientId: 'cli.apps.googleusercontent.com',
    })
    const refresh = (refreshToken: string, clientId: string) =>
      postForm(`${harness.baseUrl}/token`, {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: clientId,
        client_secret: 's',
      })
    expect((await refresh(bound.refresh_token, 'cli.apps.googleusercontent.com')).status).toBe(200)
    expect((await refresh(bound.refresh_token, 'other')).body.error).toBe('unauthorized_client')
    const unbound = await mint({ user: ALICE.id, scopes: ['chat.memberships'] })
    expect((await refresh(unbound.refresh_token, 'first')).status).toBe(200)
    expect((await refresh(unbound.refresh_token, 'second')).status).toBe(200)
  })

  it('turns into an authorized_user file that google-auth-library loads, directly and through ADC', async () => {
    const minted = await mint({ user: BOB.email, scopes: ['chat.memberships'] })
    const file = {
      type: 'authorized_user',
      client_id: 'script-client',
      client_secret: 'script-secret',
      refresh_token: minted.refresh_token,
    }

    const client = new UserRefreshClient({
      clientId: file.client_id,
      clientSecret: file.client_secret,
      refreshToken: file.refresh_token,
      endpoints: emulatorEndpoints(harness.baseUrl),
    })
    const response = await client.request<{ grant: { principal: unknown } }>({ url: `${harness.baseUrl}/v1/whoami` })
    expect(response.data.grant.principal).toEqual({ kind: 'user', userId: BOB.id })

    const dir = await mkdtemp(join(tmpdir(), 'chat-role-oauth-'))
    try {
      const path = join(dir, 'credentials.json')
      await writeFile(path, JSON.stringify(file), { mode: 0o600 })
      vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', path)
      // projectId spares google-auth-library a ~1 s probe of the gcloud CLI for a project id.
      const auth = new GoogleAuth({
        projectId: 'chat-role-test',
        scopes: [MEMBERSHIPS],
        clientOptions: { endpoints: emulatorEndpoints(harness.baseUrl) },
      })
      const { token } = await (await auth.getClient()).getAccessToken()
      const lookup = harness.service.authenticate(token ?? '')
      expect(lookup.ok && lookup.grant.principal).toEqual({ kind: 'user', userId: BOB.id })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('refuses unknown users, BOT users, missing or unknown scopes and bad lifetimes', async () => {
    const post = (body: unknown) => postJson(`${harness.baseUrl}/emulator/v1/tokens`, body)
    expect(await post({ user: 'ghost@example.com', scopes: ['chat.memberships'] })).toMatchObject({
      status: 404,
      body: { error: { code: 404, status: 'NOT_FOUND' } },
    })
    expect((await post({ user: 'users/app-chat-role', scopes: ['chat.memberships'] })).status).toBe(400)
    expect((await post({ scopes: ['chat.memberships'] })).status).toBe(400)
    expect((await post({ user: ALICE.id })).status).toBe(400)
    expect((await post({ user: ALICE.id, scopes: [] })).status).toBe(400)
    expect((await post({ user: ALICE.id, scopes: [42] })).status).toBe(400)
    const unknown = await post({ user: ALICE.id, scopes: ['chat.memberships', 'chat.everything'] })
    expect(unknown.status).toBe(400)
    expect(JSON.stringify(unknown.body)).toContain('chat.everything')
    expect((await post({ user: ALICE.id, scopes: ['chat.memberships'], ttlSeconds: 0 })).status).toBe(400)
    expect((await post({ user: ALICE.id, scopes: ['chat.memberships'], ttlSeconds: 1.5 })).status).toBe(400)
    expect((await post({ user: ALICE.id, scopes: ['chat.memberships'], clientId: 7 })).status).toBe(400)
    expect((await post([1, 2])).status).toBe(400)
    const garbage = await fetch(`${harness.baseUrl}/emulator/v1/tokens`, { method: 'POST', body: '{not json' })
    expect(garbage.status).toBe(400)
    expect((await fetch(`${harness.baseUrl}/emulator/v1/tokens`)).status).toBe(405)
  })
})

describe('the owner token', () => {
  it('is the default caller with every user scope, and never expires', async () => {
    expect(USER_SCOPES).toEqual([
      'https://www.googleapis.com/auth/chat.memberships',
      'https://www.googleapis.com/auth/chat.memberships.readonly',
      'https://www.googleapis.com/auth/chat.admin.memberships',
      'https://www.googleapis.com/auth/chat.admin.memberships.readonly',
      'https://www.googleapis.com/auth/chat.spaces',
      'https://www.googleapis.com/auth/chat.spaces.readonly',
      'https://www.googleapis.com/auth/chat.admin.spaces',
      'https://www.googleapis.com/auth/chat.admin.spaces.readonly',
      'https://www.googleapis.com/auth/chat.import',
    ])
    const expected = {
      ok: true,
      grant: { principal: { kind: 'user', userId: ALICE.id }, scopes: USER_SCOPES, expiresAt: Infinity },
    }
    expect(harness.service.authenticate('owner')).toEqual(expected)
    harness.clock.advance(10 * 365 * 24 * 3600 * 1000)
    harness.service.reset()
    expect(harness.service.authenticate('owner')).toEqual(expected)

    const client = new OAuth2Client({ endpoints: emulatorEndpoints(harness.baseUrl) })
    const info = await client.getTokenInfo('owner')
    expect(info.scopes).toEqual([...USER_SCOPES])
    expect(info.sub).toBe('100000000000000000001')
    // It is not a Google token: it cannot be revoked.
    expect((await postForm(`${harness.baseUrl}/revoke`, { token: 'owner' })).status).toBe(400)
    expect(harness.service.authenticate('owner').ok).toBe(true)
  })
})

describe('routing', () => {
  it('leaves other paths to the Chat side without touching the request or the response', async () => {
    // Bare objects: any read of the body or write of an answer would throw.
    const request = Object.create(null) as IncomingMessage
    const response = Object.create(null) as ServerResponse
    for (const path of ['/v1/spaces/AAA/members/1', '/emulator/v1/reset', '/emulator/v1/tokens/x', '/']) {
      expect(await harness.service.handle(request, response, new URL(path, 'http://x'), 'http://x')).toBe(false)
    }
  })

  it('answers unknown tokens at tokeninfo with invalid_token, and a missing one with invalid_request', async () => {
    const unknown = await fetch(`${harness.baseUrl}/tokeninfo?access_token=ya29.nothing`)
    expect(unknown.status).toBe(400)
    expect(await unknown.json()).toEqual({ error: 'invalid_token', error_description: 'Invalid Value' })
    const missing = await fetch(`${harness.baseUrl}/tokeninfo`)
    expect(missing.status).toBe(400)
    expect(((await missing.json()) as { error: string }).error).toBe('invalid_request')
  })

  it('serves Google’s older paths too', async () => {
    const minted = await mint({ user: ALICE.id, scopes: ['chat.memberships'] })
    const info = await fetch(`${harness.baseUrl}/oauth2/v3/tokeninfo?access_token=${minted.access_token}`)
    expect(info.status).toBe(200)
    const revoke = await fetch(`${harness.baseUrl}/o/oauth2/revoke?token=${minted.refresh_token}`)
    expect(revoke.status).toBe(200)
    expect(harness.service.authenticate(minted.access_token)).toEqual({ ok: false, reason: 'revoked' })
  })

  it('refuses bodies over 64 KiB', async () => {
    const response = await fetch(`${harness.baseUrl}/token`, { method: 'POST', body: 'x'.repeat(70 * 1024) })
    expect(response.status).toBe(413)
  })
})
