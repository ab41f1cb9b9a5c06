// The browser sign-in, in-process against the emulator's authorization and token endpoints, with a
// fake browser that follows the consent redirect the way a real one would.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OpenResult } from '../../src/auth/browser.js'
import { credentialsPath } from '../../src/auth/config-paths.js'
import { login, type LoginEnvironment, type LoginRequest } from '../../src/auth/login.js'
import { SCOPES } from '../../src/auth/scopes.js'
import { rejectionOf } from './expect-error.js'
import { startTestEmulator, testEnv, type TestEmulator } from './emulator.js'

let server: TestEmulator
let secrets: string
beforeAll(async () => {
  server = await startTestEmulator()
  secrets = join(mkdtempSync(join(tmpdir(), 'chat-role-secrets-')), 'client_secret.json')
  writeFileSync(
    secrets,
    JSON.stringify({ installed: { client_id: 'desktop-client', client_secret: 'desktop-secret' } }),
  )
})
afterAll(async () => {
  await server.close()
})

const request = (overrides: Partial<LoginRequest> = {}): LoginRequest => ({
  profile: 'default',
  clientSecrets: { path: secrets, explicit: true },
  admin: false,
  import: false,
  browser: true,
  timeoutMs: 10_000,
  port: 0,
  ...overrides,
})

type Browser = (url: string) => Promise<void>

/** Asks the authorization endpoint, then delivers its redirect (optionally altered) to the loopback server. */
const consentingBrowser =
  (alter: (location: URL) => void = () => undefined): Browser =>
  async url => {
    const consent = await fetch(url, { redirect: 'manual' })
    const location = new URL(consent.headers.get('location') ?? '')
    alter(location)
    await fetch(new URL('/favicon.ico', location)) // a stray request first, as browsers do
    await fetch(location)
  }

function environment(env: Record<string, string>, browser: Browser | undefined, stdin = new PassThrough()) {
  const messages: string[] = []
  const urls: string[] = []
  const io: LoginEnvironment & { messages: string[]; urls: string[] } = {
    env,
    stdin: Object.assign(stdin, { isTTY: true }),
    signal: new AbortController().signal,
    info: text => messages.push(text),
    warn: text => messages.push(`warning: ${text}`),
    openBrowser: (url): Promise<OpenResult> => {
      urls.push(url)
      if (browser !== undefined) void browser(url)
      return Promise.resolve({ opened: true, detail: 'fake' })
    },
    messages,
    urls,
  }
  return io
}

describe('auth login', () => {
  it('runs the loopback flow with state and PKCE, and saves a private authorized_user file', async () => {
    const env = testEnv(server.host)
    const io = environment(env, consentingBrowser())
    const result = await login(request({ admin: true, account: 'olivia@example.com' }), io)
    expect(result).toMatchObject({
      profile: 'default',
      account: 'olivia@example.com',
      scopes: [SCOPES.memberships, SCOPES.spacesReadonly, SCOPES.adminMemberships, SCOPES.adminSpacesReadonly],
    })

    const url = new URL(io.urls[0] ?? '')
    expect(url.origin + url.pathname).toBe(`${server.url}/o/oauth2/v2/auth`)
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      access_type: 'offline',
      prompt: 'consent',
      response_type: 'code',
      client_id: 'desktop-client',
      code_challenge_method: 'S256',
      login_hint: 'olivia@example.com',
      scope: `${SCOPES.memberships} ${SCOPES.spacesReadonly} ${SCOPES.adminMemberships} ${SCOPES.adminSpacesReadonly}`,
    })
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}$/)
    expect(io.messages.join('\n')).toContain(io.urls[0])

    const file = credentialsPath('default', env)
    expect(result.file).toBe(file)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
    expect(Object.keys(saved).sort()).toEqual([
      'account',
      'client_id',
      'client_secret',
      'created',
      'profile',
      'refresh_token',
      'scopes',
      'type',
    ])
    expect(saved).toMatchObject({
      type: 'authorized_user',
      client_id: 'desktop-client',
      client_secret: 'desktop-secret',
      profile: 'default',
    })
    expect(await server.refreshStatus(saved.refresh_token as string, 'desktop-client')).toBe(200)
  })

  it('gets a refresh token again on a second sign-in (prompt=consent)', async () => {
    const env = testEnv(server.host)
    await login(request(), environment(env, consentingBrowser()))
    const first = readFileSync(credentialsPath('default', env), 'utf8')
    await login(request(), environment(env, consentingBrowser()))
    const second = JSON.parse(readFileSync(credentialsPath('default', env), 'utf8')) as { refresh_token: string }
    expect(second.refresh_token).not.toBe((JSON.parse(first) as { refresh_token: string }).refresh_token)
  })

  it('refuses an answer with a wrong state from another local process, and completes with the right one', async () => {
    const env = testEnv(server.host)
    const forgedStatuses: number[] = []
    /** Another process on the machine answers first, twice, with a state of its own; then the real redirect. */
    const raceTheBrowser: Browser = async url => {
      const consent = await fetch(url, { redirect: 'manual' })
      const location = new URL(consent.headers.get('location') ?? '')
      for (const code of ['forged-1', 'forged-2']) {
        const forged = new URL(location)
        forged.searchParams.set('state', 'forged')
        forged.searchParams.set('code', code)
        forgedStatuses.push((await fetch(forged)).status)
      }
      await fetch(location)
    }
    const io = environment(env, raceTheBrowser)
    const result = await login(request(), io)
    expect(result.scopes).toEqual([SCOPES.memberships, SCOPES.spacesReadonly])
    expect(forgedStatuses).toEqual([400, 400])
    expect(statSync(credentialsPath('default', env)).mode & 0o777).toBe(0o600)
    const warnings = io.messages.filter(text => text.startsWith('warning:'))
    expect(warnings).toEqual([
      "warning: the local sign-in server received an answer that does not belong to this sign-in (wrong state); it was refused, and chat-role is still waiting for Google's answer",
    ])
  })

  it('keeps waiting after a forged answer, and saves nothing if the right one never comes', async () => {
    const env = testEnv(server.host)
    const controller = new AbortController()
    const forgeAndLeave: Browser = async url => {
      const consent = await fetch(url, { redirect: 'manual' })
      const forged = new URL(consent.headers.get('location') ?? '')
      forged.searchParams.set('state', 'forged')
      await fetch(forged)
      // Had the forged answer ended the sign-in, it would have failed by now with "state mismatch".
      controller.abort()
    }
    const io = { ...environment(env, forgeAndLeave), signal: controller.signal }
    const error = await rejectionOf(login(request(), io))
    expect(error.code).toBe('INTERRUPTED')
    expect(() => statSync(credentialsPath('default', env))).toThrow()
  })

  it('says so when access is denied on the consent page (exit 4)', async () => {
    const error = await rejectionOf(
      login(request({ account: 'deny@example.com' }), environment(testEnv(server.host), consentingBrowser())),
    )
    expect(error.message).toBe('access was not granted on the consent page; nothing was saved')
    expect(error.exitCode).toBe(4)
  })

  it('ends a forgotten sign-in at the timeout, with the port released', async () => {
    const io = environment(testEnv(server.host), undefined)
    const error = await rejectionOf(login(request({ timeoutMs: 100 }), io))
    expect(error.message).toBe('no sign-in answer arrived within 0.1 seconds; nothing was saved')
    const redirect = new URL(io.urls[0] ?? '').searchParams.get('redirect_uri') ?? ''
    await expect(fetch(redirect)).rejects.toThrow()
  })

  it('stops at once on Ctrl-C', async () => {
    const controller = new AbortController()
    const io = { ...environment(testEnv(server.host), undefined), signal: controller.signal }
    const pending = rejectionOf(login(request(), io))
    setTimeout(() => {
      controller.abort()
    }, 50)
    const error = await pending
    expect(error.code).toBe('INTERRUPTED')
    expect(error.exitCode).toBe(130)
  })

  it('with --no-browser, takes the redirect address pasted on stdin, after a wrong line', async () => {
    const env = testEnv(server.host)
    const stdin = new PassThrough()
    const io = environment(env, undefined, stdin)
    const pending = login(request({ browser: false }), { ...io, stdin })
    for (let i = 0; i < 100 && !io.messages.some(text => text.includes('/o/oauth2/v2/auth')); i++)
      await new Promise(r => setTimeout(r, 10))
    const url = /(http:\/\/\S+\/o\/oauth2\/v2\/auth\S+)/.exec(io.messages.join('\n'))?.[1] ?? ''
    const consent = await fetch(url, { redirect: 'manual' })
    stdin.write('not the address\n')
    stdin.write(`${consent.headers.get('location') ?? ''}\n`)
    const result = await pending
    expect(result.scopes).toEqual([SCOPES.memberships, SCOPES.spacesReadonly])
    expect(io.messages).toContain(
      "warning: that is not the sign-in answer: paste the whole address from the browser's address bar (it has code= in it)",
    )
  })

  it('with --no-browser, refuses a pasted address of another sign-in and takes the right one', async () => {
    const env = testEnv(server.host)
    const stdin = new PassThrough()
    const io = environment(env, undefined, stdin)
    const pending = login(request({ browser: false }), { ...io, stdin })
    for (let i = 0; i < 100 && !io.messages.some(text => text.includes('/o/oauth2/v2/auth')); i++)
      await new Promise(r => setTimeout(r, 10))
    const url = /(http:\/\/\S+\/o\/oauth2\/v2\/auth\S+)/.exec(io.messages.join('\n'))?.[1] ?? ''
    const location = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '')
    const old = new URL(location)
    old.searchParams.set('state', 'from-an-older-link')
    stdin.write(`${old.toString()}\n`)
    stdin.write(`${location.toString()}\n`)
    expect((await pending).scopes).toEqual([SCOPES.memberships, SCOPES.spacesReadonly])
    expect(io.messages).toContain(
      'warning: that address belongs to another sign-in (its state does not match): open the address printed above and paste where it lands',
    )
  })

  it('with --no-browser, ends when stdin ends without an answer', async () => {
    const stdin = new PassThrough()
    stdin.end()
    const error = await rejectionOf(
      login(request({ browser: false }), { ...environment(testEnv(server.host), undefined), stdin }),
    )
    expect(error.message).toBe('stdin ended before a sign-in answer was pasted; nothing was saved')
  })

  it('refuses a browser sign-in without a terminal or under CI, unless BROWSER or --no-browser says how', async () => {
    const noTty = Object.assign(new PassThrough(), { isTTY: false })
    const error = await rejectionOf(login(request(), { ...environment(testEnv(server.host), undefined), stdin: noTty }))
    expect(error.message).toBe('a browser sign-in needs a terminal, and stdin is not a terminal')
    expect(error.exitCode).toBe(4)
    const ci = await rejectionOf(login(request(), environment(testEnv(server.host, { CI: 'true' }), undefined)))
    expect(ci.message).toBe('a browser sign-in needs a terminal, and CI is set')
    const withBrowser = environment(testEnv(server.host, { CI: 'true', BROWSER: 'x' }), consentingBrowser())
    expect((await login(request(), { ...withBrowser, stdin: noTty })).profile).toBe('default')
  })
})

describe('auth login against a scripted token endpoint', () => {
  let fake: Server
  let host: string
  /** What the next /token and /tokeninfo answers carry. */
  let answer: { refreshToken?: string; scope: string; email?: string }
  beforeAll(async () => {
    fake = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x')
      if (url.pathname === '/o/oauth2/v2/auth') {
        const target = new URL(url.searchParams.get('redirect_uri') ?? '')
        target.searchParams.set('state', url.searchParams.get('state') ?? '')
        target.searchParams.set('code', 'c')
        res.writeHead(302, { location: target.toString() }).end()
        return
      }
      res.setHeader('content-type', 'application/json')
      if (url.pathname === '/token') {
        const refresh = answer.refreshToken === undefined ? {} : { refresh_token: answer.refreshToken }
        res.end(
          JSON.stringify({
            access_token: 'a',
            expires_in: 3600,
            scope: answer.scope,
            token_type: 'Bearer',
            ...refresh,
          }),
        )
        return
      }
      if (url.pathname === '/tokeninfo' && answer.email !== undefined) {
        res.end(JSON.stringify({ scope: answer.scope, expires_in: '3600', email: answer.email }))
        return
      }
      if (url.pathname === '/revoke') {
        res.end('{}')
        return
      }
      res.writeHead(400).end(JSON.stringify({ error: 'invalid_token' }))
    })
    await new Promise<void>(resolve => fake.listen(0, '127.0.0.1', resolve))
    host = `127.0.0.1:${(fake.address() as { port: number }).port}`
  })
  afterAll(() => {
    fake.close()
  })

  it('saves nothing without a refresh token, and says how to get one', async () => {
    answer = { scope: `${SCOPES.memberships} ${SCOPES.spacesReadonly}` }
    const env = testEnv(host)
    const error = await rejectionOf(login(request(), environment(env, consentingBrowser())))
    expect(error.message).toBe(
      'Google returned no refresh token, so the sign-in would not last beyond an hour; nothing was saved',
    )
    expect(error.hint).toContain('https://myaccount.google.com/permissions')
    expect(() => statSync(credentialsPath('default', env))).toThrow()
  })

  it('saves nothing when a scope was not allowed on the consent page', async () => {
    answer = { refreshToken: 'r', scope: `${SCOPES.memberships} ${SCOPES.spacesReadonly}` }
    const env = testEnv(host)
    const error = await rejectionOf(login(request({ admin: true }), environment(env, consentingBrowser())))
    expect(error.code).toBe('SCOPE_MISSING')
    expect(error.message).toBe(
      'access to chat.admin.memberships, chat.admin.spaces.readonly was not allowed on the consent page; nothing was saved',
    )
    expect(error.hint).toBe('run chat-role auth login --admin again and allow every access it asks for')
    expect(() => statSync(credentialsPath('default', env))).toThrow()
  })

  it('records the account tokeninfo reports over the one given with --account', async () => {
    answer = { refreshToken: 'r', scope: `${SCOPES.memberships} ${SCOPES.spacesReadonly}`, email: 'real@example.com' }
    const result = await login(
      request({ account: 'hint@example.com' }),
      environment(testEnv(host), consentingBrowser()),
    )
    expect(result.account).toBe('real@example.com')
  })
})
