// End to end through the whole emulator (startEmulator, demo seed): every way of signing in ends in a
// Chat API call that the Chat side authorizes with the OAuth side's Grant.
import { Gaxios } from 'gaxios'
import { JWT, OAuth2Client, UserRefreshClient, type JWTOptions } from 'google-auth-library'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ServiceAccountKeyFile } from '../../src/emulator/oauth/keys.js'
import { DemoSpaces } from '../../src/emulator/domain/demo-seed.js'
import { startEmulator, type Emulator } from '../../src/emulator/http/server.js'
import { emulatorEndpoints, manualClock, postJson, type Clock } from './oauth-harness.js'

const MEMBERSHIPS = 'https://www.googleapis.com/auth/chat.memberships'
const BOT = 'https://www.googleapis.com/auth/chat.bot'
const HELPER_BOT = 'helper-bot@chat-role-demo.iam.gserviceaccount.com'
const REDIRECT_URI = 'http://127.0.0.1:53682/'

let emulator: Emulator
let clock: Clock

beforeEach(async () => {
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) vi.stubEnv(name, '')
  clock = manualClock()
  emulator = await startEmulator({ now: clock.now, tokenTtlSeconds: 600, quotas: false })
})
afterEach(async () => {
  await emulator.close()
})

function membersUrl(space: string): string {
  return `${emulator.url}/v1/spaces/${space}/members`
}

async function listMembers(accessToken: string, space: string = DemoSpaces.engineering): Promise<Response> {
  return fetch(membersUrl(space), { headers: { authorization: `Bearer ${accessToken}` } })
}

describe('through startEmulator', () => {
  it('signs in through the browser flow and lists members as the default caller', async () => {
    const endpoints = emulatorEndpoints(emulator.url)
    const client = new OAuth2Client({ clientId: 'cli.apps.googleusercontent.com', clientSecret: 's', endpoints })
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync()
    const authUrl = client.generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      scope: [MEMBERSHIPS],
      state: 'xyz',
      code_challenge: codeChallenge,
      code_challenge_method: 'S256' as never,
      redirect_uri: REDIRECT_URI,
    })
    const landing = new URL((await fetch(authUrl, { redirect: 'manual' })).headers.get('location') ?? '')
    expect(landing.searchParams.get('state')).toBe('xyz')
    const { tokens } = await client.getToken({
      code: landing.searchParams.get('code') ?? '',
      codeVerifier,
      redirect_uri: REDIRECT_URI,
    })
    const refresher = new UserRefreshClient({
      clientId: 'cli.apps.googleusercontent.com',
      clientSecret: 's',
      refreshToken: tokens.refresh_token ?? '',
      endpoints,
    })
    const response = await refresher.request<{ memberships: unknown[] }>({ url: membersUrl(DemoSpaces.engineering) })
    expect(response.status).toBe(200)
    expect(response.data.memberships.length).toBeGreaterThan(0)

    // The token dies with the emulator's clock; the Chat side says why.
    clock.advance(600_000)
    const expired = await listMembers(tokens.access_token ?? '')
    expect(expired.status).toBe(401)
    expect(JSON.stringify(await expired.json())).toContain('ACCESS_TOKEN_EXPIRED')
  })

  it('mints tokens for any seeded user, and reset forgets them', async () => {
    const minted = await postJson(`${emulator.url}/emulator/v1/tokens`, {
      user: 'max@example.com',
      scopes: ['chat.memberships.readonly'],
    })
    expect(minted.status).toBe(200)
    const accessToken = String(minted.body.access_token)
    expect((await listMembers(accessToken)).status).toBe(200)
    expect((await listMembers('owner')).status).toBe(200)
    expect((await fetch(`${emulator.url}/emulator/v1/reset`, { method: 'POST' })).status).toBeLessThan(300)
    expect((await listMembers(accessToken)).status).toBe(401)
    expect((await listMembers('owner')).status).toBe(200)
  })

  it('authenticates the seeded service account as its app and, by delegation, as a user', async () => {
    const keyResponse = await postJson(`${emulator.url}/emulator/v1/service-accounts/${HELPER_BOT}/keys`, {})
    expect(keyResponse.status).toBe(200)
    const key = keyResponse.body as unknown as ServiceAccountKeyFile
    const transporter = new Gaxios()
    transporter.interceptors.request.add({
      resolved: config => {
        const url = new URL(config.url)
        if (url.hostname.endsWith('.googleapis.com')) config.url = new URL(url.pathname + url.search, emulator.url)
        return Promise.resolve(config)
      },
    })
    const options = {
      email: key.client_email,
      key: key.private_key,
      // ESM gaxios vs the CJS copy google-auth-library declares: same class at run time.
      transporter: transporter as unknown as JWTOptions['transporter'],
    }

    const app = new JWT({ ...options, scopes: [BOT] })
    const appToken = (await app.authorize()).access_token ?? ''
    expect((await listMembers(appToken, DemoSpaces.engineering)).status).toBe(200)

    const delegated = new JWT({ ...options, scopes: [MEMBERSHIPS], subject: 'mia@example.com' })
    const userToken = (await delegated.authorize()).access_token ?? ''
    expect((await listMembers(userToken, DemoSpaces.botCreated)).status).toBe(200)
    // Olivia is not in the bot's space; as Mia the call succeeds, as Olivia (owner) it does not.
    expect((await listMembers('owner', DemoSpaces.botCreated)).status).toBe(404)
  })
})
