// No access token, refresh token, client secret or private key ever appears in what the CLI prints:
// every auth path and its failures are run with --verbose (stack traces included) and with --json,
// then everything printed is searched for every secret the emulator handed out.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCli, clientSecretsFile, FAKE_BROWSER, leakedSecrets, metadataTrap, transcript } from '../auth/cli.js'
import { BARE_SA, DWD_SA, APP_SA, startTestEmulator, type TestEmulator } from '../auth/emulator.js'
import { MAX, NORA } from './seed.js'

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
})

describe('secrets stay secret', () => {
  it('prints no token, secret or key on any path, verbose or JSON', async () => {
    const secretsFile = clientSecretsFile()
    const cli = createCli(server.host, trap.host, { BROWSER: FAKE_BROWSER, CHAT_ROLE_CLIENT_SECRETS: secretsFile })
    const stored = join(cli.home, '.config/chat-role/credentials/default.json')
    const secrets: string[] = [
      (JSON.parse(readFileSync(secretsFile, 'utf8')) as { installed: { client_secret: string } }).installed
        .client_secret,
    ]
    const codes: (number | null)[] = []
    const run = async (args: string[], env: Record<string, string> = {}) => {
      for (const extra of [['--verbose'], ['--verbose', '--json']])
        codes.push((await cli.run([...args, ...extra], { env })).code)
    }

    await run(['auth', 'login', '--account', 'olivia@example.com'])
    const refreshToken = (JSON.parse(readFileSync(stored, 'utf8')) as { refresh_token: string }).refresh_token
    await run(['auth', 'status'])
    await run(['auth', 'list'])
    await run(['promote', `${ENG}/members/${MAX}`])
    await run(['demote', '--admin', `${ENG}/members/${NORA}`]) // scope missing
    await server.revoke(refreshToken)
    await run(['promote', `${ENG}/members/${MAX}`]) // revoked
    await run(['auth', 'status'])
    await run(['auth', 'logout'])

    const dwd = await server.keyFile(DWD_SA)
    const bare = await server.keyFile(BARE_SA)
    const app = await server.keyFile(APP_SA)
    for (const key of [dwd, bare, app])
      secrets.push((JSON.parse(readFileSync(key, 'utf8')) as { private_key: string }).private_key.split('\n')[1] ?? '')
    await run(['auth', 'status', '--impersonate', 'olivia@example.com', '--key-file', dwd])
    await run(['promote', `${ENG}/members/${MAX}`, '--impersonate', 'olivia@example.com', '--key-file', dwd])
    await run(['promote', `${ENG}/members/${MAX}`, '--impersonate', 'olivia@example.com', '--key-file', bare]) // not delegated
    await run(['promote', `spaces/AAAAappmade/members/${MAX}`, '--as-app'], { GOOGLE_APPLICATION_CREDENTIALS: app })

    expect(codes).toContain(0)
    expect(codes).toContain(4)
    const all = [...server.issuedTokens(), refreshToken, ...secrets]
    expect(server.issuedTokens().length).toBeGreaterThan(8)
    expect(transcript.join('').length).toBeGreaterThan(1000)
    expect(leakedSecrets(all)).toEqual([])
  })
})
