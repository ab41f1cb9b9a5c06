// Test harness for the emulator's OAuth side: a fake seeded Directory, a controllable clock and a tiny
// node:http server that routes every request through OAuthService.handle (as the Chat side's server
// does), plus GET /v1/whoami, which answers with the Grant of the request's Bearer token.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type {
  Directory,
  DirectoryServiceAccount,
  DirectoryUser,
  OAuthService,
} from '../../src/emulator/oauth/contract.js'
import { createOAuthService } from '../../src/emulator/oauth/service.js'

export const ALICE: DirectoryUser = {
  id: 'users/100000000000000000001',
  email: 'alice@example.com',
  displayName: 'Alice Admin',
  type: 'HUMAN',
  admin: true,
}
export const BOB: DirectoryUser = {
  id: 'users/100000000000000000002',
  email: 'bob@example.com',
  displayName: 'Bob',
  type: 'HUMAN',
  admin: false,
}
export const APP_USER: DirectoryUser = {
  id: 'users/app-chat-role',
  displayName: 'Chat Role App',
  type: 'BOT',
  admin: false,
}

export const APP_SA: DirectoryServiceAccount = {
  clientEmail: 'chat-app@chat-role-test.iam.gserviceaccount.com',
  appUser: APP_USER.id,
  domainWideDelegation: false,
}
export const DWD_SA: DirectoryServiceAccount = {
  clientEmail: 'delegate@chat-role-test.iam.gserviceaccount.com',
  domainWideDelegation: true,
}
export const BARE_SA: DirectoryServiceAccount = {
  clientEmail: 'bare@chat-role-test.iam.gserviceaccount.com',
  domainWideDelegation: false,
}

export function fakeDirectory(defaultCaller = ALICE.email ?? ALICE.id): Directory {
  const users = [ALICE, BOB, APP_USER]
  const accounts = [APP_SA, DWD_SA, BARE_SA]
  return {
    findUser: idOrEmail =>
      users.find(user => user.id === idOrEmail || user.email?.toLowerCase() === idOrEmail.toLowerCase()),
    findServiceAccount: email => accounts.find(account => account.clientEmail.toLowerCase() === email.toLowerCase()),
    defaultCaller,
  }
}

export interface Clock {
  readonly now: () => number
  readonly advance: (ms: number) => void
}

/** Starts at the real time (JWT assertions carry real iat/exp) and moves only when told. */
export function manualClock(start = Date.now()): Clock {
  let current = start
  return {
    now: () => current,
    advance: ms => {
      current += ms
    },
  }
}

export interface Harness {
  readonly baseUrl: string
  readonly service: OAuthService
  readonly clock: Clock
  close(): Promise<void>
}

export async function startHarness(options: { tokenTtlSeconds?: number; consentUser?: string } = {}): Promise<Harness> {
  const clock = manualClock()
  const service = createOAuthService(fakeDirectory(), {
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    ...(options.consentUser === undefined ? {} : { consentUser: options.consentUser }),
    now: clock.now,
  })
  let baseUrl = ''
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', baseUrl)
    void (async () => {
      if (await service.handle(req, res, url, baseUrl)) return
      if (url.pathname === '/v1/whoami') {
        const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')
        const lookup = match?.[1] === undefined ? undefined : service.authenticate(match[1])
        const status = lookup?.ok === true ? 200 : 401
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(lookup ?? { ok: false, reason: 'missing' }))
        return
      }
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end('{"error":{"code":404,"message":"not found","status":"NOT_FOUND"}}')
    })()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    baseUrl,
    service,
    clock,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close(error => {
          if (error) reject(error)
          else resolve()
        })
      }),
  }
}

/** google-auth-library endpoint overrides that point every OAuth URL at the emulator. */
export function emulatorEndpoints(baseUrl: string) {
  return {
    oauth2AuthBaseUrl: `${baseUrl}/o/oauth2/v2/auth`,
    oauth2TokenUrl: `${baseUrl}/token`,
    oauth2RevokeUrl: `${baseUrl}/revoke`,
    tokenInfoUrl: `${baseUrl}/tokeninfo`,
  }
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

export async function postForm(
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(form) })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}
