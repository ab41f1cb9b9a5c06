// The scheduler and its rate learner against a simulated server with limits they are not told, in virtual
// time: no test here sleeps.
import { describe, expect, it } from 'vitest'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/core/backoff.js'
import { createRateLearner, DEFAULT_LEARNER_SHAPE } from '../../src/core/rate-learner.js'
import {
  createScheduler,
  type Scheduled,
  type ScheduledRequest,
  type SchedulerOptions,
} from '../../src/core/scheduler.js'
import { classifySimulated, SimulatedServer, VirtualClock, type HiddenLimits } from './simulated-server.js'

interface Run {
  readonly server: SimulatedServer
  readonly results: Scheduled<string>[]
  readonly endMs: number
  readonly share429: number
}

async function simulate(
  limits: HiddenLimits,
  work: readonly ScheduledRequest[],
  options: Partial<SchedulerOptions> & { fault?: SimulatedServer['fault']; retry?: RetryPolicy; jitter?: number } = {},
): Promise<Run> {
  const clock = new VirtualClock()
  const server = new SimulatedServer(clock, limits, 50, options.fault, options.jitter)
  const scheduler = createScheduler({
    clock,
    random: () => 0.5,
    retry: options.retry ?? DEFAULT_RETRY_POLICY,
    classify: classifySimulated,
    ...options,
  })
  const results = await clock.run(
    Promise.all(work.map(request => scheduler.submit(request, () => server.send(request)))),
  )
  return {
    server,
    results,
    endMs: clock.now(),
    share429: server.count(429) / server.log.length,
  }
}

function writes(spaces: number, perSpace: number): ScheduledRequest[] {
  return Array.from({ length: spaces * perSpace }, (_, index) => ({
    space: `spaces/S${index % spaces}`,
    kind: 'write' as const,
  }))
}

const everyOk = (run: Run): boolean => run.results.every(result => result.outcome.ok)

describe('learning a limit the scheduler is not told', () => {
  // The 429s carry no quota name or value here: only the answers themselves teach the learner.
  it.each([
    {
      shape: 'one space, 3 writes/s (above the documented 1/s)',
      limits: { projectWrites: 1000, spaceWrites: 3 },
      spaces: 1,
      perSpace: 300,
      limit: 3,
    },
    {
      shape: 'one space, 0.5 writes/s (below the documented 1/s)',
      limits: { projectWrites: 1000, spaceWrites: 0.5 },
      spaces: 1,
      perSpace: 200,
      limit: 0.5,
    },
    {
      shape: 'project-bound at 8 writes/s across 50 spaces',
      limits: { projectWrites: 8, spaceWrites: 1 },
      spaces: 50,
      perSpace: 40,
      limit: 8,
    },
    {
      shape: 'project-bound at 40 writes/s',
      limits: { projectWrites: 40, spaceWrites: 2 },
      spaces: 50,
      perSpace: 60,
      limit: 40,
    },
  ])('$shape: within 10% of the limit, under 5% 429s, nothing fails', async ({ limits, spaces, perSpace, limit }) => {
    const run = await simulate(limits, writes(spaces, perSpace))
    expect(everyOk(run)).toBe(true)
    expect(run.share429).toBeLessThan(0.05)
    // The steady part of the run: its second half.
    const steady = run.server.rateBetween(run.endMs / 2, run.endMs)
    expect(steady).toBeGreaterThanOrEqual(0.9 * limit)
    expect(steady).toBeLessThanOrEqual(1.02 * limit)
  })

  it('runs just under a limit the 429 names, with almost no 429s', async () => {
    const run = await simulate({ projectWrites: 1000, spaceWrites: 4, namesLimit: true }, writes(1, 400))
    expect(everyOk(run)).toBe(true)
    expect(run.share429).toBeLessThan(0.01)
    expect(run.server.rateBetween(run.endMs / 2, run.endMs)).toBeGreaterThanOrEqual(0.95 * 4)
  })
})

describe("the start of a run, and the quotas' windows", () => {
  // Google's guide's 60 changes: 20 spaces × 3 at the documented quotas, 300 writes a minute per project (a
  // bucket that starts with a minute's worth) and 1 a second per space, 50 ms ±50% latency. The quotas
  // allow 2 s: each space's first write at once, then one a second.
  const guide = { projectWrites: 5, spaceWrites: 1, projectBurstSeconds: 60, namesLimit: true }

  it("spends the project's minute at once, and paces each space past the latency's spread", async () => {
    const run = await simulate(guide, writes(20, 3), { jitter: 0.5 })
    expect(everyOk(run)).toBe(true)
    expect(run.server.count(429)).toBeLessThanOrEqual(2)
    expect(run.endMs).toBeLessThan(2400)
    // All twenty first writes go in the first 100 ms, not five a second.
    expect(run.server.log.filter(served => served.at < 100).length).toBe(20)
  })

  it('with latencies that never vary, leaves no room it does not need', async () => {
    const steady = await simulate(guide, writes(20, 3))
    expect(steady.server.count(429)).toBe(0)
    // Ten first writes at once (TCP's initial window), ten more as the first answers come, then 1 s apart.
    expect(steady.endMs).toBeLessThanOrEqual(2200)
  })

  it('ends the allowance when the project turns out to hold only a second: one burst of 429s, then none', async () => {
    const run = await simulate({ projectWrites: 5, spaceWrites: 5, namesLimit: true }, writes(50, 6))
    expect(everyOk(run)).toBe(true)
    const refusedAfterFirstSecond = run.server.log.filter(served => served.status === 429 && served.at > 1000)
    expect(refusedAfterFirstSecond.length).toBeLessThanOrEqual(3)
    // 300 writes at the server's 5/s, past its 5 at once: about 59 s.
    expect(run.endMs).toBeLessThan(66_000)
  })

  it('a per-space limit one space was told is where every other space runs from then on', async () => {
    // Ten spaces × 30 at 3 writes/s each, named in the 429: the first refusal teaches all ten.
    const run = await simulate({ projectWrites: 1000, spaceWrites: 3, namesLimit: true }, writes(10, 30))
    expect(everyOk(run)).toBe(true)
    expect(run.server.count(429)).toBeLessThanOrEqual(10)
    // 30 writes at 3/s past a full bucket of 3: 9 s; slow start from 1/s costs a little of it.
    expect(run.endMs).toBeLessThan(11_000)
  })

  it('serves the space with the most work left first: a big space named last is not held behind small ones', async () => {
    // 30 small spaces × 4 first, then one of 63; the project allows 10 writes/s, each space 3/s. The big
    // space alone needs 20 s at 3/s, so it binds only if it gets its 3/s from the start.
    const work = [
      ...writes(30, 4),
      ...Array.from({ length: 63 }, () => ({ space: 'spaces/BIG', kind: 'write' as const })),
    ]
    const run = await simulate({ projectWrites: 10, spaceWrites: 3, projectBurstSeconds: 1, namesLimit: true }, work, {
      rates: { projectWrites: 10, projectReads: 50, spaceWrites: 3, spaceReads: 15 },
    })
    expect(everyOk(run)).toBe(true)
    const big = run.server.rateBetween(0, 10_000, served => served.request.space === 'spaces/BIG')
    expect(big).toBeGreaterThan(2.5)
    expect(run.endMs).toBeLessThan(23_000)
  })
})

describe('the rate learner', () => {
  const learner = () => createRateLearner({ ...DEFAULT_LEARNER_SHAPE, initialRate: 1, maxRate: 100 })

  it('raises the rate while the lane is the bottleneck and nothing is refused', () => {
    const lane = learner()
    for (let at = 0; at <= 3000; at += 100) lane.onSuccess(at, true)
    expect(lane.rate(3000)).toBeGreaterThan(3)
  })

  it('does not grow a lane that is not the bottleneck', () => {
    const lane = learner()
    for (let at = 0; at <= 10_000; at += 100) lane.onSuccess(at, false)
    expect(lane.rate(10_000)).toBe(1)
  })

  it('cuts to 0.8 of the refused rate, once for 429s of requests sent before the cut', () => {
    const lane = learner()
    for (let at = 0; at <= 2000; at += 100) lane.onSuccess(at, true)
    const before = lane.rate(2000)
    expect(lane.onThrottle(2000, { sentAt: 1950 })).toBe(true)
    expect(lane.rate(2000)).toBeCloseTo(0.8 * before, 5)
    expect(lane.onThrottle(2010, { sentAt: 1990 })).toBe(false)
    expect(lane.rate(2010)).toBeCloseTo(0.8 * before, 5)
  })

  it('climbs back to the refused rate and lingers there before probing further', () => {
    const lane = createRateLearner({ ...DEFAULT_LEARNER_SHAPE, initialRate: 2, maxRate: 100 })
    lane.onThrottle(0, { sentAt: 0 })
    expect(lane.rate(0)).toBeCloseTo(1.6, 5)
    // K = 40 requests / 2 per second = 20 s of saturated time back to 2/s.
    for (let at = 100; at <= 20_000; at += 100) lane.onSuccess(at, true)
    expect(lane.rate(20_000)).toBeGreaterThan(1.95)
    expect(lane.rate(20_000)).toBeLessThan(2.1)
    for (let at = 20_100; at <= 38_000; at += 100) lane.onSuccess(at, true)
    expect(lane.rate(38_000)).toBeGreaterThan(2.1)
  })

  it('after a 429 in slow start, cuts from the rate achieved but climbs back towards the rate attempted', () => {
    // A space that shares a busy project achieves its share, not its limit: the plateau must not sit there.
    const lane = learner()
    for (let at = 0; at <= 2000; at += 100) lane.onSuccess(at, true)
    const attempted = lane.rate(2000)
    expect(attempted).toBeGreaterThan(3)
    lane.onThrottle(2000, { sentAt: 1990, measuredRate: 1 })
    expect(lane.rate(2000)).toBeCloseTo(0.8, 5)
    // Back by K = 40 requests / the attempted rate, in saturated time.
    const back = 2000 + Math.ceil((40 / attempted) * 10) * 100
    for (let at = 2100; at <= back; at += 100) lane.onSuccess(at, true)
    expect(lane.rate(back)).toBeGreaterThan(0.9 * attempted)
    expect(lane.rate(back)).toBeLessThan(1.05 * attempted)
  })

  it('never goes above its cap', () => {
    const lane = createRateLearner({ ...DEFAULT_LEARNER_SHAPE, initialRate: 1, maxRate: 2 })
    for (let at = 0; at <= 60_000; at += 100) lane.onSuccess(at, true)
    expect(lane.rate(60_000)).toBe(2)
  })
})

describe('the scheduler', () => {
  it('keeps spaces apart: a space at its limit never holds up another', async () => {
    // spaces/HOT lets 0.5 writes/s through; the others 5/s. The others finish long before HOT.
    const work = [
      ...Array.from({ length: 30 }, () => ({ space: 'spaces/HOT', kind: 'write' as const })),
      ...writes(3, 30),
    ]
    const run = await simulate({ projectWrites: 1000, spaceWrites: 5, perSpace: { 'spaces/HOT': 0.5 } }, work)
    expect(everyOk(run)).toBe(true)
    const lastOther = Math.max(...run.server.log.filter(s => s.request.space !== 'spaces/HOT').map(s => s.at))
    const lastHot = Math.max(...run.server.log.filter(s => s.request.space === 'spaces/HOT').map(s => s.at))
    expect(lastOther).toBeLessThan(15_000)
    expect(lastHot).toBeGreaterThan(40_000)
  })

  it('honours Retry-After: nothing goes to the lane before the wait is over', async () => {
    const run = await simulate(
      { projectWrites: 1000, spaceWrites: 2, retryAfterMs: 3000, namesLimit: true },
      writes(1, 20),
      { rates: { projectWrites: 100, projectReads: 100, spaceWrites: 50, spaceReads: 50 } },
    )
    expect(everyOk(run)).toBe(true)
    const log = run.server.log
    const first429 = log.findIndex(served => served.status === 429)
    expect(first429).toBeGreaterThan(-1)
    const refusedAt = (log[first429] as { at: number }).at
    const after = log.slice(first429 + 1).filter(served => served.at > refusedAt + 50)
    // Requests already in flight may land; the next one sent after the answer waits the full 3 s.
    expect(after.length).toBeGreaterThan(0)
    expect((after[0] as { at: number }).at).toBeGreaterThanOrEqual(refusedAt + 3000)
  })

  it('never sends writes faster than --max-rate, even where the server would allow more', async () => {
    const run = await simulate({ projectWrites: 1000, spaceWrites: 100 }, writes(20, 30), {
      maxWritesPerSecond: 2,
    })
    expect(everyOk(run)).toBe(true)
    const ats = run.server.log.map(served => served.at)
    // Any 10 s window holds at most 2/s × 10 s plus the one-second burst.
    for (const start of ats) expect(ats.filter(at => at >= start && at < start + 10_000).length).toBeLessThanOrEqual(22)
    expect(run.server.count(429)).toBe(0)
  })

  it('a request waiting to be retried gives its place to others', async () => {
    // Every first attempt in spaces/BAD answers 503; the rest of the run does not wait on its backoff.
    const seen = new Set<number>()
    let index = 0
    const run = await simulate(
      { projectWrites: 1000, spaceWrites: 10 },
      [...Array.from({ length: 4 }, () => ({ space: 'spaces/BAD', kind: 'write' as const })), ...writes(4, 10)],
      {
        fault: request => {
          index += 1
          if (request.space !== 'spaces/BAD' || seen.has(index % 4)) return undefined
          seen.add(index % 4)
          return 503
        },
        maxInFlight: 4,
        rates: { projectWrites: 100, projectReads: 100, spaceWrites: 10, spaceReads: 10 },
      },
    )
    expect(everyOk(run)).toBe(true)
    const others = run.server.log.filter(served => served.request.space !== 'spaces/BAD')
    // 40 writes at 40/s across four spaces: done in about a second, while BAD's retries wait 1 s and more.
    expect(Math.max(...others.map(served => served.at))).toBeLessThan(2500)
  })

  it('keeps requests in flight near rate × latency (Little’s law), not a fixed number', async () => {
    const slow = await simulate({ projectWrites: 2, spaceWrites: 100 }, writes(10, 5))
    const fast = await simulate({ projectWrites: 1000, spaceWrites: 1000 }, writes(10, 200), {
      rates: { projectWrites: 200, projectReads: 200, spaceWrites: 50, spaceReads: 50 },
    })
    // At 2 writes/s and 50 ms, one or two; the first burst, ten spaces at one write each, holds ten.
    expect(slow.server.maxInFlight).toBeLessThanOrEqual(10)
    expect(fast.server.maxInFlight).toBeGreaterThanOrEqual(2 * slow.server.maxInFlight)
  })

  it('spends a retry budget: a server that keeps failing is not flooded', async () => {
    const run = await simulate({ projectWrites: 1000, spaceWrites: 1000 }, writes(10, 20), {
      fault: () => 500,
      retry: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 10 },
    })
    expect(run.results.every(result => !result.outcome.ok)).toBe(true)
    // 200 requests, and retries only until half the budget of 100 is spent.
    expect(run.server.log.length).toBeLessThanOrEqual(200 + 51)
    expect(
      run.results.filter(result => !result.outcome.ok && result.outcome.reason === 'budget').length,
    ).toBeGreaterThan(0)
  })

  it('stops soon when Google cannot be reached at all, and fails everything left at once', async () => {
    const run = await simulate({ projectWrites: 1000, spaceWrites: 1000 }, writes(5, 500), { fault: () => 'none' })
    expect(run.results.every(result => !result.outcome.ok && result.outcome.reason === 'unreachable')).toBe(true)
    expect(run.server.log.length).toBeLessThan(20)
    expect(run.endMs).toBeLessThan(10_000)
  })

  it('stop(): queued requests are never sent and say so; requests in flight settle', async () => {
    const clock = new VirtualClock()
    // A server that refuses nothing: every request sent before the stop has an answer of its own.
    const server = new SimulatedServer(clock, { projectWrites: 1000, spaceWrites: 1000 })
    const scheduler = createScheduler({
      clock,
      random: () => 0.5,
      retry: DEFAULT_RETRY_POLICY,
      classify: classifySimulated,
    })
    const work = writes(1, 10)
    const pending = work.map(request => scheduler.submit(request, () => server.send(request)))
    clock.setTimer(1500, () => {
      scheduler.stop(new Error('SIGTERM'))
    })
    const results = await clock.run(Promise.all(pending))
    const sent = results.filter(result => result.attempts > 0)
    expect(sent.length).toBe(server.log.length)
    expect(sent.every(result => result.outcome.ok)).toBe(true)
    const stopped = results.filter(result => !result.outcome.ok)
    expect(stopped.length).toBe(10 - sent.length)
    expect(
      stopped.every(result => !result.outcome.ok && result.outcome.reason === 'stopped' && result.attempts === 0),
    ).toBe(true)
  })
})
