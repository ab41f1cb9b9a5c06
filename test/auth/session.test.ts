// openSession against the real emulator, in-process: which credentials win, what each mode can do, and
// how refreshes behave over a long run (the clock is faked, so tokens expire without sleeping).
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { readStoredSignIn, saveStoredSignIn } from '../../src/auth/credential-store.js'
import { SCOPES } from '../../src/auth/scopes.js'
import { openSession, type Session, type SessionRequest } from '../../src/auth/session.js'
import { rejectionOf } from './expect-error.js'
import { MAX } from '../e2e/seed.js'
import { APP_SA, BARE_SA, DWD_SA, startTestEmulator, testEnv, type TestEmulator } from './emulator.js'

const USER: SessionRequest = { admin: false, asApp: false }
const MEMBER = `spaces/AAAAengineering/members/${MAX}`

let server: TestEmulator
beforeAll(async () => {
  // The emulator reads the clock late, so faking Date moves both sides of every token's expiry.
  server = await startTestEmulator({ now: () => Date.now() })
})
afterAll(async () => {
  await server.close()
})
afterEach(() => {
  vi.useRealTimers()
  server.resetCounts()
})

async function signIn(
  env: Record<string, string>,
  profile: string,
  scopes: readonly string[],
  user = 'olivia@example.com',
) {
  const tokens = await server.mint(user, scopes)
  await saveStoredSignIn(
    profile,
    {
      type: 'authorized_user',
      clientId: 'cid',
      clientSecret: 'cs',
      refreshToken: tokens.refresh_token,
      scopes,
      account: user,
    },
    env,
  )
  return tokens
}

function adcFile(content: object): string {
  const file = join(mkdtempSync(join(tmpdir(), 'chat-role-adc-')), 'adc.json')
  writeFileSync(file, JSON.stringify(content), { mode: 0o600 })
  return file
}

/** GET a membership through Google's URL: the transporter must route it to the emulator. */
async function readMember(session: Session): Promise<{ role: string }> {
  const response = await session.authClient.request<{ role: string }>({
    url: `https://chat.googleapis.com/v1/${MEMBER}`,
  })
  return response.data
}

describe('which credentials a command uses', () => {
  it("acts as the emulator's default caller when nothing is stored or asked for", async () => {
    const session = await openSession(USER, testEnv(server.host))
    expect(session.mode).toBe('emulator-default')
    await session.assertScopes('write')
    expect((await readMember(session)).role).toBe('ROLE_MEMBER')
    expect(server.tokenRequests()).toBe(0)
  })

  it('uses the default profile, routes Google URLs to the emulator and checks scopes before any write', async () => {
    const env = testEnv(server.host)
    await signIn(env, 'default', [SCOPES.memberships])
    const session = await openSession(USER, env)
    expect(session.mode).toBe('user')
    expect(session.account).toBe('olivia@example.com')
    expect(session.credential).toMatchObject({ source: 'profile', profile: 'default', account: 'olivia@example.com' })
    await session.assertScopes('write')
    expect(await session.grantedScopes()).toEqual([SCOPES.memberships])
    expect((await readMember(session)).role).toBe('ROLE_MEMBER')
    expect(server.tokenRequests()).toBe(1)

    const admin = await openSession({ ...USER, admin: true }, env)
    const error = await rejectionOf(admin.assertScopes('write'))
    expect(error.code).toBe('SCOPE_MISSING')
    expect(error.message).toBe(
      'the sign-in for profile "default" does not allow Workspace administrator access (it lacks chat.admin.memberships)',
    )
    expect(error.hint).toBe('run chat-role auth login --admin')
  })

  it('prefers --profile or CHAT_ROLE_PROFILE over ADC, and ADC over the default profile', async () => {
    const env = testEnv(server.host)
    await signIn(env, 'default', [SCOPES.memberships], 'olivia@example.com')
    await signIn(env, 'work', [SCOPES.memberships], 'max@example.com')
    const adcTokens = await server.mint('nora@example.com', [SCOPES.memberships])
    const adc = adcFile({
      type: 'authorized_user',
      client_id: 'a',
      client_secret: 'b',
      refresh_token: adcTokens.refresh_token,
    })

    expect((await openSession(USER, env)).account).toBe('olivia@example.com')
    expect((await openSession(USER, { ...env, GOOGLE_APPLICATION_CREDENTIALS: adc })).credential).toMatchObject({
      source: 'adc',
      file: adc,
    })
    expect(
      (await openSession(USER, { ...env, GOOGLE_APPLICATION_CREDENTIALS: adc, CHAT_ROLE_PROFILE: 'work' })).account,
    ).toBe('max@example.com')
    expect(
      (await openSession({ ...USER, profile: 'work' }, { ...env, GOOGLE_APPLICATION_CREDENTIALS: adc })).account,
    ).toBe('max@example.com')

    // ADC from gcloud records no scopes: the refresh answer tells them.
    const session = await openSession(USER, { ...env, GOOGLE_APPLICATION_CREDENTIALS: adc })
    await session.assertScopes('write')
    expect(await session.grantedScopes()).toEqual([SCOPES.memberships])

    expect((await openSession({ ...USER, profile: 'work', admin: true }, env)).loginCommand).toBe(
      'chat-role auth login --profile work --admin',
    )

    const missing = await rejectionOf(openSession({ ...USER, profile: 'home' }, env))
    expect(missing.message).toBe('no sign-in is stored for profile "home"')
    expect(missing.hint).toBe('run chat-role auth login --profile home, or see chat-role auth list')
  })

  it('says "not signed in" (exit 4) without credentials or an emulator', async () => {
    const error = await rejectionOf(openSession({ ...USER, admin: true }, testEnv(undefined)))
    expect(error.message).toBe('not signed in')
    expect(error.hint).toContain('run chat-role auth login --admin')
    expect(error.exitCode).toBe(4)
  })

  it('refuses a service-account key without --impersonate or --as-app, and a user sign-in with them', async () => {
    const key = await server.keyFile(APP_SA)
    const env = testEnv(server.host, { GOOGLE_APPLICATION_CREDENTIALS: key })
    const plain = await rejectionOf(openSession(USER, env))
    expect(plain.message).toBe(
      `GOOGLE_APPLICATION_CREDENTIALS is a service-account key (${APP_SA}), which acts only through --impersonate or --as-app`,
    )
    const adc = adcFile({ type: 'authorized_user', client_id: 'a', client_secret: 'b', refresh_token: 'r' })
    const wrong = await rejectionOf(
      openSession({ ...USER, asApp: true }, testEnv(server.host, { GOOGLE_APPLICATION_CREDENTIALS: adc })),
    )
    expect(wrong.message).toContain("holds a user's sign-in, not a service-account key")
    const none = await rejectionOf(openSession({ ...USER, impersonate: 'olivia@example.com' }, testEnv(server.host)))
    expect(none.message).toBe('--impersonate needs a service-account key')
  })

  it.each<[string, SessionRequest]>([
    ['--as-app with --impersonate', { admin: false, asApp: true, impersonate: 'a@b.c' }],
    ['--as-app with --admin', { admin: true, asApp: true }],
    ['--profile with --as-app', { admin: false, asApp: true, profile: 'x' }],
    ['--key-file alone', { admin: false, asApp: false, keyFile: '/k.json' }],
    ['--use-metadata-server without --as-app', { admin: false, asApp: false, useMetadataServer: true }],
    ['--impersonate without an email', { admin: false, asApp: false, impersonate: 'olivia' }],
  ])('refuses %s as a usage error (exit 2)', async (_name, request) => {
    expect((await rejectionOf(openSession(request, testEnv(server.host)))).exitCode).toBe(2)
  })
})

describe('one rule for every file that grants access', () => {
  const refusal = (file: string, mode: number): string =>
    `${file} can be read or changed by other users (mode ${mode.toString(8)}), so chat-role will not use it`

  it.each(['644', '640', '604', '620'])(
    'refuses an authorized_user file in GOOGLE_APPLICATION_CREDENTIALS with mode %s, as it refuses a stored profile',
    async octal => {
      const mode = Number.parseInt(octal, 8)
      const adc = adcFile({ type: 'authorized_user', client_id: 'a', client_secret: 'b', refresh_token: 'r' })
      chmodSync(adc, mode)
      const warnings: string[] = []
      const error = await rejectionOf(
        openSession(USER, testEnv(server.host, { GOOGLE_APPLICATION_CREDENTIALS: adc }), {
          warn: text => warnings.push(text),
        }),
      )
      expect(error.message).toBe(refusal(adc, mode))
      expect(error.hint).toBe(`chmod 600 ${adc}`)
      expect(error.exitCode).toBe(4)
      expect(warnings).toEqual([])

      const env = testEnv(server.host)
      const stored = await saveStoredSignIn(
        'default',
        { type: 'authorized_user', clientId: 'a', clientSecret: 'b', refreshToken: 'r' },
        env,
      )
      chmodSync(stored, mode)
      expect((await rejectionOf(openSession(USER, env))).message).toBe(refusal(stored, mode))
    },
  )

  it('refuses a service-account key other users can read, from --key-file or GOOGLE_APPLICATION_CREDENTIALS', async () => {
    const key = await server.keyFile(DWD_SA)
    chmodSync(key, 0o644)
    const viaFlag = await rejectionOf(
      openSession({ ...USER, impersonate: 'olivia@example.com', keyFile: key }, testEnv(server.host)),
    )
    expect(viaFlag.message).toBe(refusal(key, 0o644))
    expect(viaFlag.hint).toBe(`chmod 600 ${key}`)
    const viaEnv = await rejectionOf(
      openSession({ ...USER, asApp: true }, testEnv(server.host, { GOOGLE_APPLICATION_CREDENTIALS: key })),
    )
    expect(viaEnv.message).toBe(refusal(key, 0o644))
    expect(viaEnv.exitCode).toBe(4)
    chmodSync(key, 0o600)
    const session = await openSession(
      { ...USER, impersonate: 'olivia@example.com', keyFile: key },
      testEnv(server.host),
    )
    await session.assertScopes('write')
  })

  it('still says a named file is missing, not that it is loose', async () => {
    const error = await rejectionOf(
      openSession(USER, testEnv(server.host, { GOOGLE_APPLICATION_CREDENTIALS: '/nonexistent/adc.json' })),
    )
    expect(error.message).toBe('cannot read /nonexistent/adc.json named by GOOGLE_APPLICATION_CREDENTIALS (ENOENT)')
    expect(error.hint).toBe('fix the path or unset GOOGLE_APPLICATION_CREDENTIALS')
  })
})

describe('--verbose: which credentials, and never a secret', () => {
  const debugOf = async (request: SessionRequest, env: Record<string, string>) => {
    const lines: string[] = []
    const session = await openSession(request, env, { debug: text => lines.push(text) })
    await session.assertScopes('read')
    return lines
  }

  it('names the source chosen and why, and each new token by lifetime and scopes only', async () => {
    const env = testEnv(server.host)
    const tokens = await signIn(env, 'default', [SCOPES.memberships])
    await signIn(env, 'work', [SCOPES.memberships], 'max@example.com')
    const file = (name: string) => join(env.XDG_CONFIG_HOME ?? '', 'chat-role', 'credentials', `${name}.json`)

    const byDefault = await debugOf(USER, env)
    expect(byDefault[0]).toBe(
      `credentials: the stored sign-in of olivia@example.com for profile "default" in ${file('default')} (the default: no --profile, CHAT_ROLE_PROFILE or GOOGLE_APPLICATION_CREDENTIALS)`,
    )
    expect(byDefault[1]).toMatch(
      /^new access token for the sign-in for profile "default", valid for \d+ s \(chat\.memberships\)$/,
    )
    expect(byDefault).toHaveLength(2)
    expect((await debugOf({ ...USER, profile: 'work' }, env))[0]).toContain('profile "work"')
    expect((await debugOf({ ...USER, profile: 'work' }, env))[0]).toContain('(named by --profile)')
    expect((await debugOf(USER, { ...env, CHAT_ROLE_PROFILE: 'work' }))[0]).toContain('(named by CHAT_ROLE_PROFILE)')

    const adcTokens = await server.mint('nora@example.com', [SCOPES.memberships])
    const adc = adcFile({
      type: 'authorized_user',
      client_id: 'a',
      client_secret: 'b',
      refresh_token: adcTokens.refresh_token,
    })
    expect((await debugOf(USER, { ...env, GOOGLE_APPLICATION_CREDENTIALS: adc }))[0]).toBe(
      `credentials: the sign-in in ${adc} (GOOGLE_APPLICATION_CREDENTIALS; no --profile or CHAT_ROLE_PROFILE)`,
    )

    const key = await server.keyFile(DWD_SA)
    const delegated = await debugOf({ ...USER, impersonate: 'olivia@example.com', keyFile: key }, testEnv(server.host))
    expect(delegated[0]).toBe(
      `credentials: the service-account key of ${DWD_SA} in ${key} (--key-file), for --impersonate olivia@example.com`,
    )
    const app = await server.keyFile(APP_SA)
    expect(
      (await debugOf({ ...USER, asApp: true }, testEnv(server.host, { GOOGLE_APPLICATION_CREDENTIALS: app })))[0],
    ).toBe(`credentials: the service-account key of ${APP_SA} in ${app} (GOOGLE_APPLICATION_CREDENTIALS), for --as-app`)
    expect(await debugOf(USER, testEnv(server.host))).toEqual([
      `credentials: the emulator's default caller at ${server.url} (CHAT_EMULATOR_HOST is set and no sign-in is stored)`,
    ])

    // Nothing secret in any of it: no access or refresh token, no client secret, no private key.
    const everything = [
      ...byDefault,
      ...delegated,
      ...(await debugOf(USER, { ...env, GOOGLE_APPLICATION_CREDENTIALS: adc })),
    ].join('\n')
    const stored = await readStoredSignIn('default', env)
    const privateKey = (JSON.parse(readFileSync(key, 'utf8')) as { private_key: string }).private_key
    const secrets = [
      ...server.issuedTokens(),
      tokens.access_token,
      stored?.credentials.refreshToken ?? 'missing',
      privateKey.split('\n')[1] ?? 'missing',
    ]
    for (const secret of secrets) expect(everything).not.toContain(secret)
    expect(everything).not.toMatch(/client_secret|"cs"|ya29\./)
  })
})

describe('service accounts', () => {
  it('acts as a user through domain-wide delegation, with the admin scope on --admin', async () => {
    const key = await server.keyFile(DWD_SA)
    const session = await openSession(
      { ...USER, impersonate: 'olivia@example.com', keyFile: key },
      testEnv(server.host),
    )
    expect(session.mode).toBe('user')
    expect(session.account).toBe(`olivia@example.com (through ${DWD_SA})`)
    await session.assertScopes('write')
    expect((await readMember(session)).role).toBe('ROLE_MEMBER')
    const admin = await openSession(
      { ...USER, admin: true, impersonate: 'olivia@example.com', keyFile: key },
      testEnv(server.host),
    )
    expect(admin.mode).toBe('admin')
    expect(await admin.grantedScopes()).toEqual([SCOPES.adminMemberships])
  })

  it('explains domain-wide delegation that was not granted, before any Chat request', async () => {
    const key = await server.keyFile(BARE_SA)
    const session = await openSession(
      { ...USER, impersonate: 'olivia@example.com' },
      testEnv(server.host, { GOOGLE_APPLICATION_CREDENTIALS: key }),
    )
    const error = await rejectionOf(session.assertScopes('read'))
    expect(error.code).toBe('SCOPE_MISSING')
    expect(error.message).toBe(
      `${BARE_SA} may not act as olivia@example.com: domain-wide delegation is not granted for chat.memberships`,
    )
    expect(error.hint).toMatch(/client ID \d+ with the scope/)
  })

  it('acts as the Chat app with chat.app.memberships, in the space it created', async () => {
    const key = await server.keyFile(APP_SA)
    const session = await openSession(
      { ...USER, asApp: true },
      testEnv(server.host, { GOOGLE_APPLICATION_CREDENTIALS: key }),
    )
    expect(session.mode).toBe('app')
    expect(session.account).toBe(`the Chat app of ${APP_SA}`)
    await session.assertScopes('write')
    const response = await session.authClient.request<{ role: string }>({
      url: `${session.endpoints.chatRootUrl}v1/spaces/AAAAappmade/members/${MAX}`,
    })
    expect(response.data.role).toBe('ROLE_MEMBER')
  })
})

describe('refresh over a long run', () => {
  it('refreshes once for many concurrent requests, and again only when the token nears expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const env = testEnv(server.host)
    const tokens = await server.mint('olivia@example.com', [SCOPES.memberships], 60)
    await saveStoredSignIn(
      'default',
      { type: 'authorized_user', clientId: 'c', clientSecret: 's', refreshToken: tokens.refresh_token },
      env,
    )
    const session = await openSession(USER, env)
    server.resetCounts()
    await Promise.all(Array.from({ length: 20 }, () => readMember(session)))
    expect(server.tokenRequests()).toBe(1)
    for (let i = 0; i < 10; i++) await readMember(session)
    vi.advanceTimersByTime(30_000)
    for (let i = 0; i < 10; i++) await readMember(session)
    expect(server.tokenRequests()).toBe(1)
    // Within the last quarter of its minute the token is refreshed, once for everyone.
    vi.advanceTimersByTime(20_000)
    await Promise.all(Array.from({ length: 20 }, () => readMember(session)))
    expect(server.tokenRequests()).toBe(2)
    vi.advanceTimersByTime(120_000)
    await Promise.all(Array.from({ length: 20 }, () => readMember(session)))
    expect(server.tokenRequests()).toBe(3)
  })

  it('shares one service-account token request among concurrent requests', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const key = await server.keyFile(DWD_SA)
    const session = await openSession(
      { ...USER, impersonate: 'olivia@example.com', keyFile: key },
      testEnv(server.host),
    )
    await Promise.all(Array.from({ length: 20 }, () => readMember(session)))
    expect(server.tokenRequests()).toBe(1)
    vi.advanceTimersByTime(3_590_000)
    await Promise.all(Array.from({ length: 20 }, () => readMember(session)))
    expect(server.tokenRequests()).toBe(2)
  })

  it('turns a refresh refused mid-run into one sentence naming the profile', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const env = testEnv(server.host)
    await signIn(env, 'work', [SCOPES.memberships])
    const session = await openSession({ ...USER, profile: 'work' }, env)
    await session.assertScopes('write')
    const refresh = (await import('../../src/auth/credential-store.js')).readStoredSignIn
    const stored = await refresh('work', env)
    expect(await server.revoke(stored?.credentials.refreshToken ?? '')).toBe(200)
    vi.advanceTimersByTime(3_600_000)
    const error = await rejectionOf(readMember(session))
    expect(error.code).toBe('AUTH_EXPIRED')
    expect(error.message).toBe('the sign-in for profile "work" has expired or was revoked')
    expect(error.hint).toBe('run chat-role auth login --profile work')
  })

  it('reports a revoked sign-in before the first request', async () => {
    const env = testEnv(server.host)
    const tokens = await signIn(env, 'default', [SCOPES.memberships, SCOPES.adminMemberships])
    await server.revoke(tokens.refresh_token)
    const error = await rejectionOf((await openSession(USER, env)).assertScopes('read'))
    expect(error.message).toBe('the sign-in for profile "default" has expired or was revoked')
    expect(error.hint).toBe('run chat-role auth login --admin')
  })
})

describe('the Compute Engine metadata server', () => {
  let metadata: Server
  let hits: string[]
  beforeAll(async () => {
    hits = []
    metadata = createServer((req, res) => {
      hits.push(req.url ?? '')
      res.setHeader('metadata-flavor', 'Google')
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ access_token: 'metadata-token', expires_in: 3600, token_type: 'Bearer' }))
    })
    await new Promise<void>(resolve => metadata.listen(0, '127.0.0.1', resolve))
  })
  afterAll(() => {
    metadata.close()
  })

  it('is used only when asked for, never probed otherwise', async () => {
    const port = (metadata.address() as { port: number }).port
    vi.stubEnv('GCE_METADATA_HOST', `127.0.0.1:${port}`)
    vi.stubEnv('METADATA_SERVER_DETECTION', '')
    const env = testEnv(server.host)
    const plain = await openSession(USER, env)
    await plain.assertScopes('write')
    await expect(openSession(USER, testEnv(undefined))).rejects.toThrow('not signed in')
    expect(hits).toEqual([])

    const session = await openSession({ ...USER, asApp: true, useMetadataServer: true }, env)
    expect(session.mode).toBe('app')
    expect((await session.authClient.getAccessToken()).token).toBe('metadata-token')
    expect(hits).toHaveLength(1)
    expect(hits[0]).toContain('/computeMetadata/v1/instance/service-accounts/default/token')
  })
})
