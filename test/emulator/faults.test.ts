// Faults with seeded randomness: failures before applying, dropped connections before or after,
// latency draws, reproducibility, and /emulator/ and OAuth routes left alone.
import { afterEach, describe, expect, it } from 'vitest'
import { planFaults } from '../../src/emulator/limits/faults.js'
import {
  DemoSpaces,
  DemoUsers,
  type Emulator,
  type EmulatorOptions,
  generateSeed,
  generatedSpaceId,
  generatedUserId,
  startEmulator,
} from '../../src/emulator/index.js'
import { seededRandom } from '../../src/emulator/limits/random.js'
import { call, chatClient, startTestEmulator } from './chat-harness.js'

const { engineering } = DemoSpaces
const { max } = DemoUsers

let emulator: Emulator
let running = false

async function launch(start: Promise<Emulator>): Promise<Emulator> {
  emulator = await start
  running = true
  return emulator
}

afterEach(async () => {
  if (running) await emulator.close()
  running = false
})

async function attempt(path: string, init: Parameters<typeof call>[2] = {}): Promise<number | 'dropped'> {
  try {
    return (await call(emulator, path, init)).status
  } catch {
    return 'dropped'
  }
}

describe('--fail-rate', () => {
  it('answers 500 INTERNAL or 503 UNAVAILABLE before applying anything', async () => {
    emulator = await launch(startTestEmulator({ failRate: 1, randomSeed: 7 }))
    const seen = new Set<number | 'dropped'>()
    for (let index = 0; index < 12; index += 1) {
      const response = await call(emulator, `/v1/spaces/${engineering}/members/${max}?updateMask=role`, {
        method: 'PATCH',
        body: '{"role":"ROLE_MANAGER"}',
      })
      const body = (await response.json()) as { error: { code: number; status: string; message: string } }
      seen.add(response.status)
      expect([
        { code: 500, status: 'INTERNAL', message: 'Internal error encountered.' },
        { code: 503, status: 'UNAVAILABLE', message: 'The service is currently unavailable.' },
      ]).toContainEqual(body.error)
    }
    expect(seen).toEqual(new Set([500, 503]))
    expect(
      emulator
        .state()
        .spaces.find(space => space.name === `spaces/${engineering}`)
        ?.memberships.find(m => m.name.endsWith(max))?.role,
    ).toBe('ROLE_MEMBER')
    expect(emulator.requests().every(entry => entry.fault === 'fail')).toBe(true)
  })

  it('leaves /emulator/ routes alone', async () => {
    emulator = await launch(startTestEmulator({ failRate: 1, dropRate: 0, randomSeed: 1 }))
    expect((await call(emulator, '/emulator/v1/state')).status).toBe(200)
    expect((await call(emulator, '/emulator/v1/reset', { method: 'POST' })).status).toBe(200)
  })

  it('leaves OAuth routes alone', async () => {
    emulator = await launch(startEmulator({ quotas: false, dropRate: 1, randomSeed: 3 }))
    const response = await fetch(`${emulator.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'nonsense' }),
    })
    expect(response.status).toBeLessThan(500)
    expect(emulator.requests()).toEqual([
      expect.objectContaining({ method: 'POST', path: '/token', status: response.status, caller: null }),
    ])
    expect(emulator.requests()[0]?.fault).toBeUndefined()
  })
})

describe('--drop-rate', () => {
  it('drops connections; half the dropped patches were applied, and the log says which', async () => {
    const members = 40
    emulator = await launch(
      startTestEmulator({ seed: generateSeed({ spaces: 1, membersPerSpace: members }), dropRate: 1, randomSeed: 42 }),
    )
    const space = generatedSpaceId(0)
    for (let index = 1; index < members; index += 1) {
      const path = `/v1/spaces/${space}/members/${generatedUserId(index)}?updateMask=role`
      expect(await attempt(path, { method: 'PATCH', body: '{"role":"ROLE_MANAGER"}' })).toBe('dropped')
    }
    const log = emulator.requests()
    const after = log.filter(entry => entry.fault === 'drop-after').map(entry => entry.path.split('/').at(-1))
    const before = log.filter(entry => entry.fault === 'drop-before').map(entry => entry.path.split('/').at(-1))
    expect(after.length + before.length).toBe(members - 1)
    expect(after.length).toBeGreaterThan(5)
    expect(before.length).toBeGreaterThan(5)
    expect(log.every(entry => entry.status === null)).toBe(true)
    const owners = emulator
      .state()
      .spaces[0]?.memberships.filter(membership => membership.role === 'ROLE_MANAGER')
      .map(membership => membership.name.split('/').at(-1))
    expect(new Set(owners)).toEqual(new Set([generatedUserId(0), ...after]))
  })

  it('reaches @googleapis/chat as a network error, not an HTTP answer', async () => {
    emulator = await launch(startTestEmulator({ dropRate: 1, randomSeed: 5 }))
    const error: unknown = await chatClient(emulator)
      .spaces.get({ name: `spaces/${engineering}` })
      .catch((rejection: unknown) => rejection)
    expect(error).toBeInstanceOf(Error)
    expect((error as { status?: number }).status).toBeUndefined()
  })
})

describe('seeded randomness', () => {
  async function outcomes(options: EmulatorOptions): Promise<string[]> {
    emulator = await launch(startTestEmulator(options))
    const result: string[] = []
    for (let index = 0; index < 30; index += 1) result.push(String(await attempt(`/v1/spaces/${engineering}/members`)))
    await emulator.close()
    running = false
    return result
  }

  it('repeats the same faults for the same --seed-random', async () => {
    const options = { failRate: 0.3, dropRate: 0.3, randomSeed: 2024 }
    const first = await outcomes(options)
    const second = await outcomes(options)
    expect(second).toEqual(first)
    expect(new Set(first)).toEqual(new Set(['200', '500', '503', 'dropped']))
  })

  it('draws latency within ±50% and outcomes at the configured rates', () => {
    const random = seededRandom(99)
    const settings = { latencyMs: 100, failRate: 0.2, dropRate: 0.1 }
    const counts = { none: 0, fail: 0, drop: 0 }
    let minimum = Infinity
    let maximum = -Infinity
    for (let index = 0; index < 10_000; index += 1) {
      const plan = planFaults(settings, random)
      minimum = Math.min(minimum, plan.delayMs)
      maximum = Math.max(maximum, plan.delayMs)
      counts[plan.outcome === 'none' ? 'none' : plan.outcome.startsWith('fail') ? 'fail' : 'drop'] += 1
    }
    expect(minimum).toBeGreaterThanOrEqual(50)
    expect(maximum).toBeLessThanOrEqual(150)
    expect(maximum - minimum).toBeGreaterThan(90)
    expect(counts.fail / 10_000).toBeCloseTo(0.2, 1)
    expect(counts.drop / 10_000).toBeCloseTo(0.1, 1)
    expect(
      planFaults({ latencyMs: 0, failRate: 0, dropRate: 0 }, () => {
        throw new Error('no draw expected')
      }),
    ).toEqual({ delayMs: 0, outcome: 'none' })
  })

  it('still answers correctly with latency on', async () => {
    emulator = await launch(startTestEmulator({ latencyMs: 5, randomSeed: 1 }))
    expect((await call(emulator, `/v1/spaces/${engineering}`)).status).toBe(200)
  })
})
