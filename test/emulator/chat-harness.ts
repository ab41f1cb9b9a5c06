// Test harness for the emulator's Chat side: an in-process emulator on port 0 whose OAuth side is a
// tiny stand-in that reads tokens as `user~ID~scope,scope` or `app~BOT~scope`, so these tests do not
// depend on token minting; and a real @googleapis/chat client per token.
import { chat, type chat_v1 } from '@googleapis/chat'
import { GaxiosError } from 'gaxios'
import { OAuth2Client } from 'google-auth-library'
import { expect } from 'vitest'
import type { Directory, Grant, OAuthService, TokenLookup } from '../../src/emulator/oauth/contract.js'
import { DemoUsers } from '../../src/emulator/domain/demo-seed.js'
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/index.js'

const AUTH = 'https://www.googleapis.com/auth/'

/** Every user scope, as the `owner` token carries. */
export const ALL_USER_SCOPES = [
  'chat.memberships',
  'chat.memberships.readonly',
  'chat.admin.memberships',
  'chat.admin.memberships.readonly',
  'chat.spaces',
  'chat.spaces.readonly',
  'chat.admin.spaces',
  'chat.admin.spaces.readonly',
  'chat.import',
] as const

/** A token for a user with the given short scopes (default: chat.memberships and chat.spaces). */
export function userToken(userId: string, ...scopes: string[]): string {
  return `user~${userId}~${(scopes.length > 0 ? scopes : ['chat.memberships', 'chat.spaces']).join(',')}`
}

/** A token for app authentication as the given BOT user. */
export function appToken(appUserId: string, ...scopes: string[]): string {
  return `app~${appUserId}~${scopes.join(',')}`
}

export const EXPIRED_TOKEN = 'expired'
export const REVOKED_TOKEN = 'revoked'

export const tokens = {
  olivia: userToken(DemoUsers.olivia, ...ALL_USER_SCOPES),
  max: userToken(DemoUsers.max),
  mia: userToken(DemoUsers.mia),
  oscar: userToken(DemoUsers.oscar),
  ivy: userToken(DemoUsers.ivy),
  botMemberships: appToken(DemoUsers.bot, 'chat.app.memberships'),
  bot: appToken(DemoUsers.bot, 'chat.bot'),
}

/** The test stand-in for createOAuthService. */
export function testOAuth(directory: Directory): OAuthService {
  return {
    handle: () => Promise.resolve(false),
    authenticate(accessToken): TokenLookup {
      if (accessToken === EXPIRED_TOKEN) return { ok: false, reason: 'expired' }
      if (accessToken === REVOKED_TOKEN) return { ok: false, reason: 'revoked' }
      if (accessToken === 'owner') return grant({ kind: 'user', userId: directory.defaultCaller }, ALL_USER_SCOPES)
      const [kind, id = '', scopeList = ''] = accessToken.split('~')
      const scopes = scopeList === '' ? [] : scopeList.split(',')
      if (kind === 'user') return grant({ kind: 'user', userId: id }, scopes)
      if (kind === 'app')
        return grant({ kind: 'app', appUserId: id, serviceAccount: 'test@example.iam.gserviceaccount.com' }, scopes)
      return { ok: false, reason: 'unknown' }
    },
    reset: () => undefined,
  }
}

function grant(principal: Grant['principal'], scopes: readonly string[]): TokenLookup {
  return { ok: true, grant: { principal, scopes: scopes.map(scope => `${AUTH}${scope}`), expiresAt: Infinity } }
}

/** In-process emulator with quotas off (unless given) and the test token scheme. */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ quotas: false, oauth: testOAuth, ...options })
}

/** A real @googleapis/chat client that authenticates with `token` and never retries. */
export function chatClient(emulator: Emulator, token = 'owner'): chat_v1.Chat {
  const auth = new OAuth2Client()
  auth.setCredentials({ access_token: token })
  return chat({ version: 'v1', rootUrl: `${emulator.url}/`, auth, retry: false })
}

export interface GoogleError {
  readonly code: number
  readonly message: string
  readonly status: string
  readonly details?: readonly Record<string, unknown>[]
}

/** Awaits a client call that must fail, checks code and status, and returns Google's error body. */
export async function expectApiError(call: Promise<unknown>, code: number, status: string): Promise<GoogleError> {
  const error: unknown = await call.then(
    () => undefined,
    (rejection: unknown) => rejection,
  )
  expect(error, `expected ${code} ${status}, the call succeeded`).toBeInstanceOf(GaxiosError)
  const body = (error as GaxiosError<{ error: GoogleError }>).response?.data.error
  expect({ code: body?.code, status: body?.status }).toEqual({ code, status })
  expect((error as GaxiosError).status).toBe(code)
  return body as GoogleError
}

/** Raw request with a bearer token (default `owner`). */
export function call(
  emulator: Emulator,
  path: string,
  init: RequestInit & { token?: string | null } = {},
): Promise<Response> {
  const { token = 'owner', headers, ...rest } = init
  return fetch(`${emulator.url}${path}`, {
    ...rest,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(headers as Record<string, string> | undefined),
    },
  })
}

export function membershipName(spaceId: string, memberId: string): string {
  return `spaces/${spaceId}/members/${memberId}`
}

/** The role of one membership in the emulator's current state. */
export function roleOf(emulator: Emulator, spaceId: string, memberId: string): string | undefined {
  const space = emulator.state().spaces.find(candidate => candidate.name === `spaces/${spaceId}`)
  return space?.memberships.find(membership => membership.name === membershipName(spaceId, memberId))?.role
}
