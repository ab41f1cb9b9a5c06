import { describe, expect, it } from 'vitest'
import type { PacedRequest } from '../../src/core/bulk-runner.js'
import { createBackpressurePacing, DEFAULT_BACKPRESSURE, type PacingClock } from '../../src/core/pacing.js'

/** A clock whose sleeps advance time instantly and record when each sleeper wakes. */
function fakeClock() {
  let now = 1_000_000
  const clock: PacingClock & { advance(ms: number): void } = {
    now: () => now,
    sleep: ms => {
      now += ms
      return Promise.resolve()
    },
    advance: ms => {
      now += ms
    },
  }
  return clock
}

const signal = new AbortController().signal
const spaceA: PacedRequest = { space: 'spaces/A', kind: 'write' }
const spaceB: PacedRequest = { space: 'spaces/B', kind: 'write' }
const readsA: PacedRequest = { space: 'spaces/A', kind: 'read' }

describe('backpressure pacing', () => {
  it('does not pace a lane that was never throttled', async () => {
    const clock = fakeClock()
    const pacing = createBackpressurePacing(clock)
    const start = clock.now()
    for (let i = 0; i < 5; i += 1) await pacing.acquire(spaceA, signal)
    expect(clock.now()).toBe(start)
  })

  it('spaces requests after a 429 and doubles the spacing on each later one', () => {
    const clock = fakeClock()
    const pacing = createBackpressurePacing(clock)
    const throttle = () => {
      pacing.record(spaceA, { kind: 'throttled', retryAfterMs: undefined })
    }
    throttle()
    expect(pacing.intervalOf(spaceA)).toBe(DEFAULT_BACKPRESSURE.minIntervalMs)
    clock.advance(DEFAULT_BACKPRESSURE.minIntervalMs)
    throttle()
    expect(pacing.intervalOf(spaceA)).toBe(DEFAULT_BACKPRESSURE.minIntervalMs * 2)
    for (let i = 0; i < 20; i += 1) {
      clock.advance(DEFAULT_BACKPRESSURE.maxIntervalMs)
      throttle()
    }
    expect(pacing.intervalOf(spaceA)).toBe(DEFAULT_BACKPRESSURE.maxIntervalMs)
  })

  it('counts a burst of 429s from requests already in flight once', () => {
    const pacing = createBackpressurePacing(fakeClock())
    for (let i = 0; i < 4; i += 1) pacing.record(spaceA, { kind: 'throttled', retryAfterMs: undefined })
    expect(pacing.intervalOf(spaceA)).toBe(DEFAULT_BACKPRESSURE.minIntervalMs)
  })

  it('queues concurrent workers one interval apart', async () => {
    const clock = fakeClock()
    const pacing = createBackpressurePacing(clock, { ...DEFAULT_BACKPRESSURE, minIntervalMs: 1000 })
    pacing.record(spaceA, { kind: 'throttled', retryAfterMs: undefined })
    const start = clock.now()
    const reserved: number[] = []
    // Reservations are made synchronously, in call order: the nth worker waits n intervals after the first.
    await Promise.all(
      [0, 1, 2].map(async () => {
        await pacing.acquire(spaceA, signal)
        reserved.push(clock.now() - start)
      }),
    )
    expect(Math.max(...reserved)).toBeGreaterThanOrEqual(3000)
  })

  it('honours the wait the server asked for', async () => {
    const clock = fakeClock()
    const pacing = createBackpressurePacing(clock)
    pacing.record(spaceA, { kind: 'throttled', retryAfterMs: 7000 })
    const start = clock.now()
    await pacing.acquire(spaceA, signal)
    expect(clock.now() - start).toBe(7000)
  })

  it('keeps spaces and request kinds apart', async () => {
    const clock = fakeClock()
    const pacing = createBackpressurePacing(clock)
    pacing.record(spaceA, { kind: 'throttled', retryAfterMs: 5000 })
    const start = clock.now()
    await pacing.acquire(spaceB, signal)
    await pacing.acquire(readsA, signal)
    expect(clock.now()).toBe(start)
  })

  it('relaxes after a run of successes, back to no pacing', () => {
    const clock = fakeClock()
    const pacing = createBackpressurePacing(clock)
    pacing.record(spaceA, { kind: 'throttled', retryAfterMs: undefined })
    clock.advance(1000)
    pacing.record(spaceA, { kind: 'throttled', retryAfterMs: undefined })
    const throttled = pacing.intervalOf(spaceA)
    for (let i = 0; i < DEFAULT_BACKPRESSURE.successesToRelax; i += 1) pacing.record(spaceA, { kind: 'ok' })
    expect(pacing.intervalOf(spaceA)).toBe(throttled * DEFAULT_BACKPRESSURE.relaxFactor)
    for (let i = 0; i < 200; i += 1) pacing.record(spaceA, { kind: 'ok' })
    expect(pacing.intervalOf(spaceA)).toBe(0)
  })

  it('ignores plain failures', () => {
    const pacing = createBackpressurePacing(fakeClock())
    pacing.record(spaceA, { kind: 'failed' })
    expect(pacing.intervalOf(spaceA)).toBe(0)
  })
})
