// Edges of signing in, end to end through the built CLI: a forged answer to the loopback server, and the
// one permission rule for every file that grants access (stored profile, GOOGLE_APPLICATION_CREDENTIALS,
// --key-file), while the OAuth client file, which is not a secret, may be readable by anyone.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { SCOPES } from '../../src/auth/scopes.js'
import { clientSecretsFile, createCli, FORGING_BROWSER, leakedSecrets, metadataTrap } from '../auth/cli.js'
import { DWD_SA, startTestEmulator, type TestEmulator } from '../auth/emulator.js'
import { MAX } from './seed.js'

const ENG = 'spaces/AAAAengineering'
let server: TestEmulator
let trap: Awaited<ReturnType<typeof metadataTrap>>

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
  expect(leakedSecrets(server.issuedTokens())).toEqual([])
})

const chatRequests = () => server.emulator.requests().filter(request => request.path.startsWith('/v1/'))
const refusal = (file: string) =>
  `chat-role: ${file} can be read or changed by other users (mode 644), so chat-role will not use it\nhint: chmod 600 ${file}\n`

describe('a forged answer to the sign-in', () => {
  it('is refused with a 400 and one warning, and the sign-in completes with the right answer', async () => {
    const cli = createCli(server.host, trap.host, {
      BROWSER: FORGING_BROWSER,
      CHAT_ROLE_CLIENT_SECRETS: clientSecretsFile(),
    })
    const statuses = join(cli.home, 'forged-statuses.txt')
    const login = await cli.run(['auth', 'login'], { env: { FORGED_STATUS_FILE: statuses } })
    expect(login.code).toBe(0)
    expect(login.stdout).toMatch(/^Signed in (as .* )?\(profile "default"\)/)
    expect(readFileSync(statuses, 'utf8')).toBe('400\n400\n')
    const warning =
      "warning: the local sign-in server received an answer that does not belong to this sign-in (wrong state); it was refused, and chat-role is still waiting for Google's answer"
    expect(login.stderr.split('\n').filter(line => line.startsWith('warning:'))).toEqual([warning])
    expect((await cli.run(['auth', 'status'])).code).toBe(0)
  })
})

describe('files that grant access are refused when other users can read them', () => {
  it('refuses an authorized_user file named by GOOGLE_APPLICATION_CREDENTIALS (exit 4), and sends nothing', async () => {
    const tokens = await server.mint('olivia@example.com', [SCOPES.memberships])
    const cli = createCli(server.host, trap.host)
    const adc = join(cli.home, 'adc.json')
    writeFileSync(
      adc,
      JSON.stringify({
        type: 'authorized_user',
        client_id: 'c',
        client_secret: 's',
        refresh_token: tokens.refresh_token,
      }),
    )
    chmodSync(adc, 0o644)
    const env = { GOOGLE_APPLICATION_CREDENTIALS: adc }
    const result = await cli.run(['promote', `${ENG}/members/${MAX}`], { env })
    expect(result.code).toBe(4)
    expect(result.stderr).toBe(refusal(adc))
    expect(chatRequests()).toEqual([])
    const status = await cli.run(['auth', 'status'], { env })
    expect(status.code).toBe(4)
    chmodSync(adc, 0o600)
    expect((await cli.run(['show', `${ENG}/members/${MAX}`], { env })).code).toBe(0)
  })

  it('refuses a service-account key from --key-file (exit 4)', async () => {
    const key = await server.keyFile(DWD_SA)
    chmodSync(key, 0o644)
    const cli = createCli(server.host, trap.host)
    const result = await cli.run([
      'show',
      `${ENG}/members/${MAX}`,
      '--impersonate',
      'olivia@example.com',
      '--key-file',
      key,
    ])
    expect(result.code).toBe(4)
    expect(result.stderr).toBe(refusal(key))
    expect(chatRequests()).toEqual([])
  })

  it('signs in with an OAuth client file anyone can read: it is not a secret', async () => {
    const secrets = clientSecretsFile()
    chmodSync(secrets, 0o644)
    const { FAKE_BROWSER } = await import('../auth/cli.js')
    const cli = createCli(server.host, trap.host, { BROWSER: FAKE_BROWSER })
    const login = await cli.run(['auth', 'login', '--client-secrets', secrets])
    expect(login.code).toBe(0)
    expect(login.stderr).not.toContain('warning:')
  })
})
