// A bulk run outlives its access token: with one-second tokens, a run of several seconds refreshes in the
// background of the run, a few times, losing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { saveStoredSignIn } from '../../src/auth/credential-store.js'
import { SCOPES } from '../../src/auth/scopes.js'
import { createCli, leakedSecrets, metadataTrap } from '../auth/cli.js'
import { authSeed, startTestEmulator, type TestEmulator } from '../auth/emulator.js'
import { bulkSpaces } from './seed.js'

const SPACES = 2
const MEMBERS = 200
const TTL_SECONDS = 1

let server: TestEmulator
let trap: Awaited<ReturnType<typeof metadataTrap>>
beforeAll(async () => {
  server = await startTestEmulator({
    seed: authSeed({ bulkSpaces: SPACES, bulkMembers: MEMBERS }),
    tokenTtlSeconds: TTL_SECONDS,
    latencyMs: 30,
  })
  trap = await metadataTrap()
})
afterAll(async () => {
  await server.close()
  trap.close()
  expect(leakedSecrets(server.issuedTokens())).toEqual([])
})

describe('refresh during a bulk run', () => {
  it('changes every membership across several token lifetimes with few token requests', async () => {
    const cli = createCli(server.host, trap.host)
    const tokens = await server.mint('olivia@example.com', [SCOPES.memberships])
    await saveStoredSignIn(
      'default',
      { type: 'authorized_user', clientId: 'c', clientSecret: 's', refreshToken: tokens.refresh_token },
      cli.env,
    )
    const { bulkUsers } = bulkSpaces(SPACES, MEMBERS)
    const names = Array.from({ length: SPACES }, (_, s) =>
      bulkUsers.map(user => `spaces/AAAAbulk${s}/members/${user.id}`),
    ).flat()
    server.resetCounts()

    const result = await cli.run(['set', 'manager', '-', '--yes', '--concurrency', '8'], {
      stdin: `${names.join('\n')}\n`,
    })

    expect(result.stderr).toContain(`${SPACES * MEMBERS} updated, 0 unchanged, 0 failed`)
    expect(result.code).toBe(0)
    const lifetimes = result.ms / (TTL_SECONDS * 1000)
    expect(lifetimes).toBeGreaterThan(3)
    // About one refresh per three quarters of a lifetime, never one per request.
    expect(server.tokenRequests()).toBeGreaterThanOrEqual(Math.floor(lifetimes) - 1)
    expect(server.tokenRequests()).toBeLessThanOrEqual(Math.ceil(lifetimes / 0.5) + 2)
    const failures = server.emulator.requests().filter(request => request.status === 401)
    expect(failures).toEqual([])
  })
})
