// Bulk runs end to end: hundreds of memberships across spaces, through quota refusals and injected faults.
import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from './harness.js'
import { seed } from './seed.js'

let emulator: Emulator | undefined
afterEach(async () => {
  await emulator?.stop()
  emulator = undefined
})

const FAST_BACKOFF = { CHAT_ROLE_BACKOFF_BASE_MS: '10' }

describe('bulk', () => {
  it('promotes 500 members across 5 spaces from a pipe, one write each', async () => {
    emulator = await startEmulator(seed({ bulkSpaces: 5, bulkMembers: 100 }))
    const spaces = [0, 1, 2, 3, 4].map(i => `spaces/AAAAbulk${i}`)
    const listed = await emulator.cli(['list', ...spaces, '--role', 'member', '--names'])
    expect(listed.code).toBe(0)
    const names = listed.stdout.trim().split('\n')
    expect(names).toHaveLength(500)

    const result = await emulator.cli(['promote', '-', '--yes', '--concurrency', '8'], { stdin: listed.stdout })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('500 updated, 0 unchanged, 0 failed (500 memberships in 5 spaces')
    expect(
      result.stdout
        .trim()
        .split('\n')
        .every(line => line.startsWith('updated')),
    ).toBe(true)
    expect(await emulator.writes()).toHaveLength(500)
    const state = await emulator.state()
    const managers = state.spaces
      .filter(space => space.name.startsWith('spaces/AAAAbulk'))
      .flatMap(space => space.memberships)
      .filter(m => m.role === 'ROLE_ASSISTANT_MANAGER')
    expect(managers).toHaveLength(500)

    // Running it again changes nothing and writes nothing: a rerun after an interruption is safe.
    const again = await emulator.cli(['promote', '-', '--yes', '--concurrency', '8'], { stdin: listed.stdout })
    expect(again.code).toBe(0)
    expect(again.stderr).toContain('0 updated, 500 unchanged')
    expect(await emulator.writes()).toHaveLength(500)
  })

  it('finds a per-space limit above the documented one, meets its 429s, and finishes every change', async () => {
    // 4 writes a second per space, where Google documents 1: the run learns it by being refused.
    emulator = await startEmulator(seed({ bulkSpaces: 1, bulkMembers: 30 }), ['--quota-space-writes-per-sec', '4'])
    const listed = await emulator.cli(['list', 'spaces/AAAAbulk0', '--role', 'member', '--names'])
    const result = await emulator.cli(['promote', '-', '--yes'], { stdin: listed.stdout, env: FAST_BACKOFF })
    expect(result.stderr).toContain('30 updated, 0 unchanged, 0 failed')
    expect(result.code).toBe(0)
    const writes = await emulator.writes()
    const refused = writes.filter(write => write.status === 429).length
    expect(refused).toBeGreaterThan(0)
    expect(refused).toBeLessThan(8)
    expect(writes.filter(write => write.status === 200)).toHaveLength(30)
  })

  it('retries 5xx and dropped connections, including drops after the change was applied', async () => {
    emulator = await startEmulator(seed({ bulkSpaces: 2, bulkMembers: 40 }), [
      '--no-quotas',
      '--fail-rate',
      '0.2',
      '--drop-rate',
      '0.1',
      '--seed-random',
      '7',
    ])
    const names = Array.from(
      { length: 40 },
      (_, i) => `spaces/AAAAbulk${i % 2}/members/${String(200000000000000000000n + BigInt(i))}`,
    )
    const result = await emulator.cli(['promote', '-', '--yes', '--max-attempts', '10'], {
      stdin: names.join('\n'),
      env: FAST_BACKOFF,
    })
    expect(result.stderr).toContain('40 updated, 0 unchanged, 0 failed')
    expect(result.code).toBe(0)
    const requests = await emulator.requests()
    expect(requests.some(request => request.status >= 500)).toBe(true)
    for (const name of names) expect(await emulator.role(name)).toBe('ROLE_ASSISTANT_MANAGER')
  })

  it('never retries a refusal: a 403 is tried once', async () => {
    emulator = await startEmulator(seed())
    const result = await emulator.cli(['promote', 'spaces/AAAAnotmine/members/100000000000000000002'])
    expect(result.code).toBe(1)
    expect(await emulator.writes()).toHaveLength(1)
  })

  it('stops cleanly on Ctrl-C: reports what was done and what was not, exit 130', async () => {
    emulator = await startEmulator(seed({ bulkSpaces: 1, bulkMembers: 60 }), ['--no-quotas', '--latency-ms', '40'])
    const names = Array.from(
      { length: 60 },
      (_, i) => `spaces/AAAAbulk0/members/${String(200000000000000000000n + BigInt(i))}`,
    )
    let interrupted = false
    const result = await emulator.cli(['promote', '-', '--yes', '--concurrency', '2'], {
      stdin: names.join('\n'),
      onSpawn: child => {
        // Interrupt once writes are under way.
        const timer = setInterval(() => {
          void emulator?.writes().then(writes => {
            if (!interrupted && writes.length >= 5) {
              interrupted = true
              child.kill('SIGINT')
              clearInterval(timer)
            }
          })
        }, 20)
        child.once('exit', () => {
          clearInterval(timer)
        })
      },
    })
    expect(interrupted).toBe(true)
    expect(result.code).toBe(130)
    const lines = result.stdout.trim().split('\n')
    expect(lines).toHaveLength(60)
    const updated = lines.filter(line => line.startsWith('updated')).length
    const skipped = lines.filter(line => line.startsWith('skipped')).length
    expect(updated).toBeGreaterThanOrEqual(5)
    expect(skipped).toBeGreaterThan(0)
    expect(updated + skipped).toBe(60)
    expect(result.stderr).toContain('Stopped: memberships marked "skipped" were left as they were.')
    expect(result.stderr).toMatch(/resume with: chat-role promote --resume \S+\.jsonl --yes/)
    // What the output says was updated is exactly what changed.
    const state = await emulator.state()
    const bulk = state.spaces.find(space => space.name === 'spaces/AAAAbulk0')
    expect(bulk?.memberships.filter(m => m.role === 'ROLE_ASSISTANT_MANAGER')).toHaveLength(updated)
  })
})

describe('a reader that goes away', () => {
  it('stops quietly when stdout is closed early (list … | head -1)', async () => {
    emulator = await startEmulator(seed({ bulkSpaces: 1, bulkMembers: 3000 }))
    const result = await emulator.cli(['list', 'spaces/AAAAbulk0', '--names'], {
      onSpawn: child => {
        child.stdout?.once('data', () => child.stdout?.destroy())
      },
    })
    expect(result.code).toBe(130)
    expect(result.stderr).not.toContain('EPIPE')
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/)
  })
})
