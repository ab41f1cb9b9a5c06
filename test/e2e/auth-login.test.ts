// Interactive sign-in end to end: the built CLI, a fake browser, the emulator's OAuth endpoints and the
// real google-auth-library; then status, list, a role change with the stored sign-in, and logout.
import { readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientSecretsFile, createCli, FAKE_BROWSER, IDLE_BROWSER, metadataTrap } from '../auth/cli.js'
import { startTestEmulator, type TestEmulator } from '../auth/emulator.js'
import { MAX, NORA, OLIVIA } from './seed.js'

const ENG = 'spaces/AAAAengineering'
let server: TestEmulator
let trap: Awaited<ReturnType<typeof metadataTrap>>

beforeAll(async () => {
  server = await startTestEmulator()
  trap = await metadataTrap()
})
afterAll(async () => {
  await server.close()
  trap.close()
  // No command of this file ever asked the metadata server anything.
  expect(trap.hits).toEqual([])
})

const newCli = (extra: Record<string, string> = {}) =>
  createCli(server.host, trap.host, { CHAT_ROLE_CLIENT_SECRETS: clientSecretsFile(), ...extra })

describe('chat-role auth login, status, list, logout', () => {
  it('signs in with a browser, then acts with the stored sign-in, then signs out and revokes', async () => {
    const cli = newCli({ BROWSER: FAKE_BROWSER })
    const login = await cli.run(['auth', 'login', '--admin', '--account', 'olivia@example.com'])
    expect(login.stderr).toMatch(/visit this address:\n\n {2}http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?\S+/)
    expect(login.stdout).toBe(
      `Signed in as olivia@example.com (profile "default").\nscopes:      chat.memberships, chat.spaces.readonly, chat.admin.memberships, chat.admin.spaces.readonly\ncredentials: ${join(cli.home, '.config/chat-role/credentials/default.json')}\n`,
    )
    expect(login.code).toBe(0)
    const file = join(cli.home, '.config/chat-role/credentials/default.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700)

    const status = await cli.run(['auth', 'status', '--json'])
    expect(status.code).toBe(0)
    expect(JSON.parse(status.stdout)).toMatchObject({
      ok: true,
      source: 'profile',
      profile: 'default',
      file,
      account: 'olivia@example.com',
      mode: 'user',
      refreshes: true,
      scopes: [
        'https://www.googleapis.com/auth/chat.memberships',
        'https://www.googleapis.com/auth/chat.spaces.readonly',
        'https://www.googleapis.com/auth/chat.admin.memberships',
        'https://www.googleapis.com/auth/chat.admin.spaces.readonly',
      ],
    })

    const list = await cli.run(['auth', 'list', '--json'])
    expect(JSON.parse(list.stdout)).toMatchObject({
      ok: true,
      profiles: [{ profile: 'default', current: true, account: 'olivia@example.com' }],
    })
    const text = await cli.run(['auth', 'list'])
    expect(text.stdout).toMatch(
      /^\* default {10}olivia@example\.com {2}chat\.memberships, chat\.spaces\.readonly, chat\.admin\.memberships, chat\.admin\.spaces\.readonly {2}\d{4}-/,
    )

    server.emulator.clearRequests()
    const promote = await cli.run(['promote', `${ENG}/members/${MAX}`])
    expect(promote.code).toBe(0)
    const admin = await cli.run(['demote', '--admin', `${ENG}/members/${NORA}`])
    expect(admin.code).toBe(0)
    const writes = server.emulator.requests().filter(request => request.method === 'PATCH')
    expect(writes.map(request => [request.caller, request.query.useAdminAccess])).toEqual([
      [OLIVIA, undefined],
      [OLIVIA, 'true'],
    ])

    const { refresh_token: refreshToken } = JSON.parse(readFileSync(file, 'utf8')) as { refresh_token: string }
    const logout = await cli.run(['auth', 'logout'])
    expect(logout.code).toBe(0)
    expect(logout.stdout).toBe(`Signed out of profile "default" (revoked at Google); deleted ${file}.\n`)
    expect(() => statSync(file)).toThrow()
    expect(await server.refreshStatus(refreshToken, 'desktop.apps.googleusercontent.com')).toBe(400)

    const again = await cli.run(['auth', 'logout', '--json'])
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout)).toEqual({ ok: true, profile: 'default', file, removed: false, revoked: false })
    const after = await cli.run(['auth', 'status'])
    expect(after.code).toBe(0)
    expect(after.stdout).toContain("source:    the emulator's default caller")
  })

  it('keeps profiles apart and says which one a command would use', async () => {
    const cli = newCli({ BROWSER: FAKE_BROWSER })
    expect((await cli.run(['auth', 'login', '--profile', 'max', '--account', 'max@example.com'])).code).toBe(0)
    expect((await cli.run(['auth', 'login', '--account', 'olivia@example.com'])).code).toBe(0)
    const list = await cli.run(['auth', 'list'], { env: { CHAT_ROLE_PROFILE: 'max' } })
    expect(list.stdout.split('\n').map(line => line.slice(0, 10))).toEqual(['  default ', '* max     ', ''])
    const status = await cli.run(['auth', 'status', '--json'], { env: { CHAT_ROLE_PROFILE: 'max' } })
    expect(JSON.parse(status.stdout)).toMatchObject({ profile: 'max', account: 'max@example.com' })
  })

  it('takes the answer pasted on stdin with --no-browser', async () => {
    const cli = newCli()
    const result = await cli.interact(['auth', 'login', '--no-browser'], async ({ waitFor, write }) => {
      const [url = ''] = await waitFor(/http:\/\/\S+\/o\/oauth2\/v2\/auth\?\S+/)
      await waitFor(/paste its whole address here/)
      const consent = await fetch(url, { redirect: 'manual' })
      write(`${consent.headers.get('location') ?? ''}\n`)
    })
    expect(result.stderr).toContain('Open this address in a browser, on any device:')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Signed in (profile "default").')
  })

  it('ends a sign-in nobody finishes at --timeout, exit 4', async () => {
    const cli = newCli({ BROWSER: IDLE_BROWSER })
    const result = await cli.run(['auth', 'login', '--timeout', '1'])
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('chat-role: no sign-in answer arrived within 1 second; nothing was saved\nhint: ')
    expect(result.ms).toBeLessThan(10_000)
  })

  it('never waits for a browser under CI without BROWSER or --no-browser', async () => {
    const result = await newCli().run(['auth', 'login'])
    expect(result.code).toBe(4)
    expect(result.stderr).toMatch(/^chat-role: a browser sign-in needs a terminal, and CI is set\nhint: /)
  })

  it('says so when access is denied on the consent page, exit 4', async () => {
    const result = await newCli({ BROWSER: FAKE_BROWSER }).run(['auth', 'login', '--account', 'deny@example.com'])
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('chat-role: access was not granted on the consent page; nothing was saved\n')
  })

  it('reports a busy --port, exit 2', async () => {
    const blocker = createServer()
    await new Promise<void>(done => blocker.listen(0, '127.0.0.1', done))
    const port = (blocker.address() as { port: number }).port
    try {
      const result = await newCli({ BROWSER: FAKE_BROWSER }).run(['auth', 'login', '--port', String(port)])
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(`chat-role: port ${port} on 127.0.0.1 is busy`)
    } finally {
      blocker.close()
    }
  })

  it('explains a missing or wrong client secrets file, exit 2', async () => {
    const cli = createCli(server.host, trap.host, { BROWSER: FAKE_BROWSER })
    const missing = await cli.run(['auth', 'login'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain(
      `chat-role: no OAuth client secrets file at ${join(cli.home, '.config/chat-role/client_secret.json')}`,
    )
    expect(missing.stderr).toContain('OAuth client ID → Application type "Desktop app"')
  })
})
