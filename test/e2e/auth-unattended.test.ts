// Unattended and admin use end to end: stored sign-ins, Application Default Credentials of both kinds,
// domain-wide delegation, app authentication, admin access, and the failures each one must explain.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { saveStoredSignIn } from '../../src/auth/credential-store.js'
import { SCOPES } from '../../src/auth/scopes.js'
import { createCli, leakedSecrets, metadataTrap } from '../auth/cli.js'
import { APP_SA, BARE_SA, DWD_SA, startTestEmulator, type TestEmulator } from '../auth/emulator.js'
import { MAX, NORA, OLIVIA } from './seed.js'

const ENG = 'spaces/AAAAengineering'
let server: TestEmulator
let trap: Awaited<ReturnType<typeof metadataTrap>>
const keyFiles: string[] = []

beforeAll(async () => {
  server = await startTestEmulator()
  trap = await metadataTrap()
})
beforeEach(() => {
  server.emulator.reset()
})
afterAll(async () => {
  await server.close()
  trap.close()
  expect(trap.hits).toEqual([])
  const keys = keyFiles.map(
    file => (JSON.parse(readFileSync(file, 'utf8')) as { private_key: string }).private_key.split('\n')[1] ?? '',
  )
  expect(leakedSecrets([...server.issuedTokens(), ...keys])).toEqual([])
})

const chatRequests = () => server.emulator.requests().filter(request => request.path.startsWith('/v1/'))
const writes = () => chatRequests().filter(request => request.method === 'PATCH')

async function signedInCli(scopes: readonly string[], user = 'olivia@example.com', extra: Record<string, string> = {}) {
  const cli = createCli(server.host, trap.host, extra)
  const tokens = await server.mint(user, scopes)
  await saveStoredSignIn(
    'default',
    {
      type: 'authorized_user',
      clientId: 'cid',
      clientSecret: 'cs',
      refreshToken: tokens.refresh_token,
      scopes,
      account: user,
    },
    cli.env,
  )
  return { cli, tokens, file: join(cli.home, '.config/chat-role/credentials/default.json') }
}

async function keyFile(clientEmail: string): Promise<string> {
  const file = await server.keyFile(clientEmail)
  keyFiles.push(file)
  return file
}

describe('a stored sign-in that no longer works', () => {
  it('says in one sentence that it expired or was revoked, exit 4, and writes nothing', async () => {
    const { cli, tokens } = await signedInCli([SCOPES.memberships])
    expect(await server.revoke(tokens.refresh_token)).toBe(200)
    const result = await cli.run(['promote', `${ENG}/members/${MAX}`])
    expect(result.code).toBe(4)
    expect(result.stderr).toBe(
      'chat-role: the sign-in for profile "default" has expired or was revoked\nhint: run chat-role auth login\n',
    )
    expect(chatRequests()).toEqual([])
    const status = await cli.run(['auth', 'status', '--json'])
    expect(status.code).toBe(4)
    expect(JSON.parse(status.stdout)).toMatchObject({ ok: false, refreshes: false, problem: { code: 'AUTH_EXPIRED' } })
  })

  it('refuses a credentials file other users can read, exit 4', async () => {
    const { cli, file } = await signedInCli([SCOPES.memberships])
    chmodSync(file, 0o644)
    const result = await cli.run(['promote', `${ENG}/members/${MAX}`])
    expect(result.code).toBe(4)
    expect(result.stderr).toBe(
      `chat-role: ${file} can be read or changed by other users (mode 644), so chat-role will not use it\nhint: chmod 600 ${file}\n`,
    )
    expect(chatRequests()).toEqual([])
  })

  it('catches a missing admin scope before the first request, with the fix', async () => {
    const { cli } = await signedInCli([SCOPES.memberships])
    const result = await cli.run(['demote', '--admin', `${ENG}/members/${NORA}`])
    expect(result.code).toBe(4)
    expect(result.stderr).toBe(
      'chat-role: the sign-in for profile "default" does not allow Workspace administrator access (it lacks chat.admin.memberships)\n' +
        'hint: run chat-role auth login --admin\n',
    )
    expect(chatRequests()).toEqual([])
  })
})

describe('Application Default Credentials', () => {
  it('uses an authorized_user file from GOOGLE_APPLICATION_CREDENTIALS', async () => {
    const tokens = await server.mint('olivia@example.com', [SCOPES.memberships])
    const cli = createCli(server.host, trap.host)
    const adc = join(cli.home, 'adc.json')
    writeFileSync(
      adc,
      JSON.stringify({
        type: 'authorized_user',
        client_id: 'gcloud',
        client_secret: 'x',
        refresh_token: tokens.refresh_token,
      }),
      {
        mode: 0o600,
      },
    )
    const env = { GOOGLE_APPLICATION_CREDENTIALS: adc }
    const status = await cli.run(['auth', 'status', '--json'], { env })
    expect(JSON.parse(status.stdout)).toMatchObject({
      ok: true,
      source: 'adc',
      file: adc,
      scopes: [SCOPES.memberships],
    })
    const result = await cli.run(['promote', `${ENG}/members/${MAX}`], { env })
    expect(result.code).toBe(0)
    expect(writes().map(request => request.caller)).toEqual([OLIVIA])
  })

  it("ignores gcloud's own ADC file: it is used only through GOOGLE_APPLICATION_CREDENTIALS", async () => {
    const tokens = await server.mint('max@example.com', [SCOPES.memberships])
    const cli = createCli(server.host, trap.host)
    mkdirSync(join(cli.home, '.config/gcloud'), { recursive: true })
    writeFileSync(
      join(cli.home, '.config/gcloud/application_default_credentials.json'),
      JSON.stringify({
        type: 'authorized_user',
        client_id: 'g',
        client_secret: 'x',
        refresh_token: tokens.refresh_token,
      }),
    )
    const status = await cli.run(['auth', 'status', '--json'])
    expect(JSON.parse(status.stdout)).toMatchObject({ source: 'emulator-default' })
  })

  it('acts as the Chat app with a service-account key and --as-app', async () => {
    const key = await keyFile(APP_SA)
    const cli = createCli(server.host, trap.host, { GOOGLE_APPLICATION_CREDENTIALS: key })
    const status = await cli.run(['auth', 'status', '--as-app', '--json'])
    expect(JSON.parse(status.stdout)).toMatchObject({
      ok: true,
      source: 'adc',
      mode: 'app',
      serviceAccount: APP_SA,
      scopes: [SCOPES.appMemberships],
    })
    const result = await cli.run(['promote', `spaces/AAAAappmade/members/${MAX}`, '--as-app'])
    expect(result.code).toBe(0)
    expect(writes().map(request => request.caller)).toEqual(['app'])
  })

  it('refuses a service-account key without --as-app or --impersonate, exit 4', async () => {
    const cli = createCli(server.host, trap.host, { GOOGLE_APPLICATION_CREDENTIALS: await keyFile(APP_SA) })
    const result = await cli.run(['promote', `${ENG}/members/${MAX}`])
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('chat-role: GOOGLE_APPLICATION_CREDENTIALS is a service-account key')
    expect(chatRequests()).toEqual([])
  })
})

describe('domain-wide delegation', () => {
  it('acts as the impersonated user, and as an admin with --admin', async () => {
    const cli = createCli(server.host, trap.host)
    const key = await keyFile(DWD_SA)
    const promote = await cli.run([
      'promote',
      `${ENG}/members/${MAX}`,
      '--impersonate',
      'olivia@example.com',
      '--key-file',
      key,
    ])
    expect(promote.code).toBe(0)
    const demote = await cli.run([
      'demote',
      `${ENG}/members/${NORA}`,
      '--impersonate',
      'olivia@example.com',
      '--key-file',
      key,
      '--admin',
    ])
    expect(demote.code).toBe(0)
    expect(writes().map(request => [request.caller, request.query.useAdminAccess])).toEqual([
      [OLIVIA, undefined],
      [OLIVIA, 'true'],
    ])
  })

  it('explains delegation that was not granted, exit 4, before any request', async () => {
    const cli = createCli(server.host, trap.host)
    const result = await cli.run([
      'promote',
      `${ENG}/members/${MAX}`,
      '--impersonate',
      'olivia@example.com',
      '--key-file',
      await keyFile(BARE_SA),
    ])
    expect(result.code).toBe(4)
    expect(result.stderr).toMatch(
      new RegExp(
        `^chat-role: ${BARE_SA} may not act as olivia@example.com: domain-wide delegation is not granted for chat.memberships\nhint: a super admin adds client ID \\d+ `,
      ),
    )
    expect(chatRequests()).toEqual([])
  })
})

describe('the Chat app is not configured', () => {
  it('says what to do in one sentence, exit 4', async () => {
    const noApp = await startTestEmulator({ chatApp: false })
    try {
      const cli = createCli(noApp.host, trap.host)
      const list = await cli.run(['list', ENG])
      expect(list.code).toBe(4)
      expect(list.stderr).toMatch(/^chat-role: Google Chat app not found[^\n]*\nhint: [^\n]+\n$/)
      const promote = await cli.run(['promote', `${ENG}/members/${MAX}`])
      expect(promote.code).toBe(4)
      expect(promote.stderr).toContain('chat-role: Google Chat app not found')
    } finally {
      await noApp.close()
    }
  })
})
