// How a run schedules its requests, end to end: the safe order inside a space, cheap reads, the truth about
// writes whose answer was lost, tight quotas, and a Google that cannot be reached.
import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator, runCli, type Emulator } from './harness.js'
import { MAX, OLIVIA, PAT, seed } from './seed.js'

let emulator: Emulator | undefined
afterEach(async () => {
  await emulator?.stop()
  emulator = undefined
})

const ENG = 'spaces/AAAAengineering'
const FAST_BACKOFF = { CHAT_ROLE_BACKOFF_BASE_MS: '10' }

describe('the order inside a space', () => {
  it('demotes the other owners before the caller, so the caller keeps the rights to finish', async () => {
    emulator = await startEmulator(seed())
    // Olivia (the caller) makes Max an owner, then demotes herself and Max, naming herself first.
    const granted = await emulator.cli(['promote', '--to', 'owner', '--yes', `${ENG}/members/max@example.com`])
    expect(granted.code).toBe(0)
    const names = [`${ENG}/members/olivia@example.com`, `${ENG}/members/max@example.com`]
    const dryRun = await emulator.cli(['demote', '--dry-run', ...names])
    expect(dryRun.code).toBe(0)
    expect(dryRun.stdout.match(/^would set/gm)).toHaveLength(2)

    await fetch(`${emulator.url}/emulator/v1/requests`, { method: 'DELETE' })
    const result = await emulator.cli(['demote', '--yes', ...names])
    expect(result.stderr).toContain('2 updated, 0 unchanged, 0 failed')
    expect(result.code).toBe(0)
    const patched = (await emulator.writes()).map(write => write.path)
    expect(patched).toEqual([`/v1/${ENG}/members/${MAX}`, `/v1/${ENG}/members/${OLIVIA}`])
    expect(await emulator.role(`${ENG}/members/${OLIVIA}`)).toBe('ROLE_MEMBER')
    expect(await emulator.role(`${ENG}/members/${MAX}`)).toBe('ROLE_MEMBER')
    expect(await emulator.role(`${ENG}/members/${PAT}`)).toBe('ROLE_MANAGER')
  })

  it('grants owner before demoting the owner it replaces, whatever the input order', async () => {
    emulator = await startEmulator(seed())
    const result = await emulator.cli(['set', 'owner', '--yes', `spaces/AAAAsolo/members/${MAX}`])
    expect(result.code).toBe(0)
    await fetch(`${emulator.url}/emulator/v1/requests`, { method: 'DELETE' })
    // A CSV-free mix: demote Olivia (the only other owner) and make Max a manager in one go, Olivia first.
    const mixed = await emulator.cli(['set', 'member', '--yes', `spaces/AAAAsolo/members/${OLIVIA}`])
    expect(mixed.code).toBe(0)
    expect(await emulator.role(`spaces/AAAAsolo/members/${OLIVIA}`)).toBe('ROLE_MEMBER')
  })
})

describe('reads', () => {
  it('reads many memberships of one space with one list page, not one get each', async () => {
    emulator = await startEmulator(seed({ bulkSpaces: 1, bulkMembers: 40 }))
    const names = Array.from({ length: 40 }, (_, i) => `spaces/AAAAbulk0/members/${200000000000000000000n + BigInt(i)}`)
    const result = await emulator.cli(['promote', '-', '--yes'], { stdin: names.join('\n') })
    expect(result.code).toBe(0)
    const requests = await emulator.requests()
    const reads = requests.filter(request => request.method === 'GET' && request.path.startsWith('/v1/'))
    expect(reads.map(read => read.path)).toEqual(['/v1/spaces/AAAAbulk0/members'])
    expect(requests.filter(request => request.method === 'PATCH')).toHaveLength(40)
  })

  it('still reads an email alias with a get, and a name the listing did not hold', async () => {
    emulator = await startEmulator(seed())
    const result = await emulator.cli([
      'demote',
      '--dry-run',
      `${ENG}/members/nora@example.com`,
      `${ENG}/members/${MAX}`,
      `${ENG}/members/100000000000000000003`,
    ])
    const reads = (await emulator.requests())
      .filter(r => r.method === 'GET' && r.path.startsWith('/v1/'))
      .map(r => r.path)
    // Two ids: one list page; the invited member is not listed, so one get; the email: one get.
    expect(reads).toContain(`/v1/${ENG}/members`)
    expect(reads).toContain(`/v1/${ENG}/members/nora%40example.com`)
    expect(reads).toContain(`/v1/${ENG}/members/100000000000000000003`)
    expect(reads).not.toContain(`/v1/${ENG}/members/${MAX}`)
    expect(result.stdout).toMatch(/100000000000000000003.*not joined/)
  })
})

describe('--verbose', () => {
  it('explains each request as it goes out, naming the membership, and each retry', async () => {
    emulator = await startEmulator(seed(), ['--no-quotas', '--fail-rate', '0.5', '--seed-random', '3'])
    const result = await emulator.cli(['--verbose', 'promote', `${ENG}/members/${MAX}`], { env: FAST_BACKOFF })
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(new RegExp(`debug: read ${ENG}/members/${MAX} \\(attempt 1\\)`))
    expect(result.stderr).toMatch(new RegExp(`debug: write ${ENG}/members/${MAX} \\(attempt 1\\)`))
    expect(result.stderr).toMatch(/debug: .*HTTP 50[03]; trying again in \d/)
  })
})

describe('the truth about writes', () => {
  it('reads back a write whose connection dropped, and reports what is true', async () => {
    emulator = await startEmulator(seed({ bulkSpaces: 2, bulkMembers: 60 }), [
      '--no-quotas',
      '--drop-rate',
      '0.2',
      '--seed-random',
      '11',
    ])
    const names = [0, 1].flatMap(s =>
      Array.from({ length: 60 }, (_, i) => `spaces/AAAAbulk${s}/members/${200000000000000000000n + BigInt(i)}`),
    )
    const result = await emulator.cli(['--json', 'promote', '-', '--yes', '--max-attempts', '1'], {
      stdin: names.join('\n'),
      env: FAST_BACKOFF,
    })
    const document = JSON.parse(result.stdout) as {
      results: { name: string; status: string; confirmedByReading?: boolean }[]
    }
    const state = await emulator.state()
    const roleOf = new Map(state.spaces.flatMap(space => space.memberships.map(m => [m.name, m.role])))
    // Every membership reported updated really is a manager, and every one reported failed really is not.
    for (const entry of document.results) {
      if (entry.status === 'updated') expect(roleOf.get(entry.name)).toBe('ROLE_ASSISTANT_MANAGER')
      else expect(roleOf.get(entry.name)).not.toBe('ROLE_ASSISTANT_MANAGER')
    }
    expect(document.results.some(entry => entry.confirmedByReading === true)).toBe(true)
  })
})

describe('quotas and reachability', () => {
  it('a bulk run under tight quotas ends with no failed item', async () => {
    emulator = await startEmulator(seed({ bulkSpaces: 4, bulkMembers: 15 }), [
      '--quota-project-writes-per-min',
      '60',
      '--quota-space-writes-per-sec',
      '2',
      '--quota-space-reads-per-sec',
      '2',
    ])
    const names = [0, 1, 2, 3].flatMap(s =>
      Array.from({ length: 15 }, (_, i) => `spaces/AAAAbulk${s}/members/${200000000000000000000n + BigInt(i)}`),
    )
    const result = await emulator.cli(['demote', '-', '--yes'], { stdin: names.join('\n'), env: FAST_BACKOFF })
    expect(result.stderr).toContain('0 updated, 60 unchanged, 0 failed')
    const promoted = await emulator.cli(['promote', '-', '--yes'], { stdin: names.join('\n'), env: FAST_BACKOFF })
    expect(promoted.stderr).toContain('60 updated, 0 unchanged, 0 failed')
    expect(promoted.code).toBe(0)
  })

  it('stops within seconds with one clear error when Google Chat cannot be reached', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `spaces/S${i % 4}/members/${1000 + i}`)
    const started = Date.now()
    const result = await runCli(['demote', '-', '--yes'], {
      stdin: names.join('\n'),
      env: { CHAT_EMULATOR_HOST: '127.0.0.1:1', ...FAST_BACKOFF },
    })
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^chat-role: cannot reach Google Chat/m)
    expect(result.stderr.match(/^chat-role: /gm)).toHaveLength(1)
    expect(result.stderr).toContain('0 updated, 0 unchanged, 40 failed (40 memberships in 4 spaces')
  })
})
