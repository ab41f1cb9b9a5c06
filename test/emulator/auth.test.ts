// Authentication and the Chat app switch: 401 bodies by cause, 403 scope bodies, --no-chat-app, and
// the real OAuth side's `owner` token through startEmulator.
import { afterEach, describe, expect, it } from 'vitest'
import { DemoSpaces, type Emulator, startEmulator } from '../../src/emulator/index.js'
import {
  EXPIRED_TOKEN,
  REVOKED_TOKEN,
  call,
  chatClient,
  expectApiError,
  startTestEmulator,
  userToken,
} from './chat-harness.js'

const LIST = `/v1/spaces/${DemoSpaces.engineering}/members`
const INVALID =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.'
const MISSING =
  'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.'

let emulator: Emulator | undefined

afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

async function started(options: Parameters<typeof startTestEmulator>[0] = {}): Promise<Emulator> {
  emulator = await startTestEmulator(options)
  return emulator
}

describe('401 UNAUTHENTICATED', () => {
  it.each([
    ['no Authorization header', undefined, MISSING, 'CREDENTIALS_MISSING'],
    ['a non-Bearer scheme', 'Basic b3duZXI6', MISSING, 'CREDENTIALS_MISSING'],
    ['an unknown token', 'Bearer ya29.nonsense', INVALID, 'ACCESS_TOKEN_TYPE_UNSUPPORTED'],
    ['a revoked token', `Bearer ${REVOKED_TOKEN}`, INVALID, 'ACCESS_TOKEN_TYPE_UNSUPPORTED'],
    ['an expired token', `Bearer ${EXPIRED_TOKEN}`, INVALID, 'ACCESS_TOKEN_EXPIRED'],
  ])('%s', async (_label, authorization, message, reason) => {
    const server = await started()
    const response = await call(server, LIST, {
      token: null,
      headers: authorization === undefined ? {} : { authorization },
    })
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="https://accounts.google.com/"')
    expect(await response.json()).toEqual({
      error: {
        code: 401,
        message,
        status: 'UNAUTHENTICATED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason,
            domain: 'googleapis.com',
            metadata: { service: 'chat.googleapis.com', method: 'google.chat.v1.ChatService.ListMemberships' },
          },
        ],
      },
    })
  })

  it('reaches the client as a 401 GaxiosError', async () => {
    const server = await started()
    await expectApiError(chatClient(server, 'nonsense').spaces.list(), 401, 'UNAUTHENTICATED')
  })

  it('takes the scheme case-insensitively', async () => {
    const server = await started()
    expect((await call(server, LIST, { token: null, headers: { authorization: 'bearer owner' } })).status).toBe(200)
  })
})

describe('403 for scopes', () => {
  it('names the scopes the method accepts in WWW-Authenticate', async () => {
    const server = await started()
    const response = await call(server, LIST, { token: userToken('100000000000000000001', 'chat.spaces') })
    expect(response.status).toBe(403)
    expect(response.headers.get('www-authenticate')).toContain('error="insufficient_scope"')
    expect(response.headers.get('www-authenticate')).toContain(
      'https://www.googleapis.com/auth/chat.memberships.readonly',
    )
  })
})

describe('--no-chat-app', () => {
  it.each([
    ['GET', LIST],
    ['GET', `${LIST}/100000000000000000002`],
    ['PATCH', `${LIST}/100000000000000000002?updateMask=role`],
    ['GET', '/v1/spaces'],
    ['GET', `/v1/spaces/${DemoSpaces.engineering}`],
  ])('%s %s is 404 "Google Chat app not found" and changes nothing', async (method, path) => {
    const server = await started({ chatApp: false })
    const response = await call(server, path, {
      method,
      ...(method === 'PATCH' ? { body: '{"role":"ROLE_MANAGER"}' } : {}),
    })
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({
      error: {
        code: 404,
        message:
          'Google Chat app not found. To create a Chat app, you must turn on the Chat API and configure the app in the Google Cloud console.',
        status: 'NOT_FOUND',
      },
    })
    expect(
      server.state().spaces.find(space => space.name === `spaces/${DemoSpaces.engineering}`)?.memberships[1]?.role,
    ).toBe('ROLE_MEMBER')
  })

  it('still asks for credentials first', async () => {
    const server = await started({ chatApp: false })
    expect((await call(server, LIST, { token: null })).status).toBe(401)
  })
})

describe('with the real OAuth side', () => {
  it('accepts `owner` as the default caller and nothing made up', async () => {
    emulator = await startEmulator({ quotas: false })
    const client = chatClient(emulator)
    const { data } = await client.spaces.members.list({ parent: `spaces/${DemoSpaces.engineering}` })
    expect(data.memberships?.length).toBeGreaterThan(0)
    await expectApiError(chatClient(emulator, 'made-up').spaces.list(), 401, 'UNAUTHENTICATED')
  })
})
