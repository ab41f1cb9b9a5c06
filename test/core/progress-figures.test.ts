import { describe, expect, it } from 'vitest'
import {
  computeProgressFigures,
  formatCount,
  formatDuration,
  formatRate,
  formatStatusLine,
  statusParts,
  type ProgressSnapshot,
} from '../../src/core/progress-figures.js'

const MINUTE = 60_000

/** `count` completions evenly spread over (from, to]. */
function spread(count: number, from: number, to: number): number[] {
  return Array.from({ length: count }, (_, index) => from + ((index + 1) * (to - from)) / count)
}

function snapshot(overrides: Partial<ProgressSnapshot> = {}): ProgressSnapshot {
  return {
    phase: 'writing',
    done: 0,
    total: 100,
    retries: 0,
    waitingOnQuota: false,
    startedAt: 0,
    now: 0,
    recentCompletions: [],
    ...overrides,
  }
}

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [-5, '0s'],
    [Number.NaN, '0s'],
    [Number.POSITIVE_INFINITY, '0s'],
    [400, '0s'],
    [500, '1s'],
    [45_000, '45s'],
    [59_400, '59s'],
    [59_600, '1m 00s'],
    [60_000, '1m 00s'],
    [65_000, '1m 05s'],
    [553_000, '9m 13s'],
    [3_599_000, '59m 59s'],
    [3_600_000, '1h 00m'],
    [3_720_000, '1h 02m'],
    [3_779_000, '1h 02m'],
    [100 * 3_600_000 + 7 * MINUTE, '100h 07m'],
  ])('%s ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1234, '1,234'],
    [1_234_567, '1,234,567'],
    [12.9, '12'],
    [-4000, '-4,000'],
  ])('%s is %s', (value, text) => {
    expect(formatCount(value)).toBe(text)
  })
})

describe('formatRate', () => {
  it.each([
    [5, '5.0/s'],
    [0.25, '0.3/s'],
    [0.1, '0.1/s'],
    [12.34, '12.3/s'],
    [99.9, '99.9/s'],
    [99.96, '100/s'],
    [1234.4, '1,234/s'],
    [0.05, '3.0/min'],
    [1 / 120, '0.5/min'],
    [0, '0.0/s'],
    [Number.NaN, '0.0/s'],
  ])('%s per second is %s', (perSecond, text) => {
    expect(formatRate(perSecond)).toBe(text)
  })
})

describe('computeProgressFigures: rate', () => {
  it.each([
    {
      why: 'measures the window, not the run: a run that slowed to 1/s shows 1/s',
      // 10/s for the first 5 minutes, then 1/s for the last minute.
      completions: [...spread(3000, 0, 5 * MINUTE), ...spread(60, 5 * MINUTE, 6 * MINUTE)],
      done: 3060,
      startedAt: 0,
      now: 6 * MINUTE,
      rate: 1,
    },
    {
      why: 'speeds up with the run again',
      completions: [...spread(60, 0, MINUTE), ...spread(300, MINUTE, 1.5 * MINUTE)],
      done: 360,
      startedAt: 0,
      now: 1.5 * MINUTE,
      rate: 10,
    },
    {
      why: 'a phase younger than the window is measured over its age',
      completions: spread(20, 0, 10_000),
      done: 20,
      startedAt: 0,
      now: 10_000,
      rate: 2,
    },
    {
      why: 'completions of an earlier phase do not count',
      completions: [...spread(100, 0, 4_900), ...spread(10, 5_000, 10_000)],
      done: 10,
      startedAt: 5_000,
      now: 10_000,
      rate: 2,
    },
    {
      why: 'falls to 0 when nothing completed in the window (stuck on a quota)',
      completions: spread(100, 0, 10_000),
      done: 100,
      startedAt: 0,
      now: 10_000 + 31_000,
      rate: 0,
    },
    {
      why: 'decays while nothing completes: 30 completions, the last 15 s ago',
      completions: spread(30, 0, 15_000),
      done: 30,
      startedAt: 0,
      now: 30_000,
      rate: 1,
    },
    {
      why: 'a buffer shorter than the window still gives the rate, over the span it covers',
      // 5/s for 2 minutes, but only the last 50 completions (10 s) are kept.
      completions: spread(600, 0, 2 * MINUTE).slice(-50),
      done: 600,
      startedAt: 0,
      now: 2 * MINUTE,
      rate: 5,
    },
    {
      why: 'ignores times after now (another clock) and the order of the buffer',
      completions: [...spread(20, 0, 10_000)].reverse().concat([20_000]),
      done: 21,
      startedAt: 0,
      now: 10_000,
      rate: 2,
    },
  ])('$why', ({ completions, done, startedAt, now, rate }) => {
    const figures = computeProgressFigures(
      snapshot({ recentCompletions: completions, done, total: 10_000, startedAt, now }),
    )
    expect(figures.ratePerSecond).toBeCloseTo(rate, 1)
  })

  it('has no rate before the phase has run a second: the first burst says little', () => {
    const figures = computeProgressFigures(snapshot({ recentCompletions: [100, 120, 150, 180], done: 4, now: 200 }))
    expect(figures.ratePerSecond).toBeUndefined()
    expect(figures.etaMs).toBeUndefined()
    expect(computeProgressFigures(snapshot({ recentCompletions: [100], done: 1, now: 1000 })).ratePerSecond).toBe(1)
  })

  it('takes the window and thresholds as options', () => {
    const figures = computeProgressFigures(
      snapshot({ recentCompletions: spread(20, 0, 20_000), done: 20, now: 20_000 }),
      { windowMs: 5_000, minRateSpanMs: 0, minCompletionsForEta: 1 },
    )
    expect(figures.ratePerSecond).toBeCloseTo(1, 5)
    expect(figures.etaMs).toBeCloseTo(80_000, 0)
  })
})

describe('computeProgressFigures: ETA', () => {
  it.each([
    {
      why: 'is what remains at the window rate',
      completions: spread(150, 0, 30_000),
      done: 1234,
      total: 4000,
      now: 30_000,
      eta: ((4000 - 1234) / 5) * 1000,
    },
    {
      why: 'is unknown with fewer than 5 completions in the window',
      completions: spread(4, 0, 10_000),
      done: 4,
      total: 4000,
      now: 10_000,
      eta: undefined,
    },
    {
      why: 'is known from the 5th completion',
      completions: spread(5, 0, 10_000),
      done: 5,
      total: 105,
      now: 10_000,
      eta: 200_000,
    },
    {
      why: 'is unknown while the rate is 0',
      completions: spread(100, 0, 10_000),
      done: 100,
      total: 4000,
      now: 60_000,
      eta: undefined,
    },
    {
      why: 'is 0 when nothing remains',
      completions: [],
      done: 40,
      total: 40,
      now: 60_000,
      eta: 0,
    },
  ])('$why', ({ completions, done, total, now, eta }) => {
    const figures = computeProgressFigures(snapshot({ recentCompletions: completions, done, total, now }))
    if (eta === undefined) expect(figures.etaMs).toBeUndefined()
    else expect(figures.etaMs).toBeCloseTo(eta, 0)
  })
})

describe('computeProgressFigures: counts', () => {
  it.each([
    { done: 25, total: 100, remaining: 75, fraction: 0.25 },
    { done: 0, total: 0, remaining: 0, fraction: 0 },
    { done: 120, total: 100, remaining: 0, fraction: 1 },
    { done: -3, total: 10, remaining: 10, fraction: 0 },
  ])('$done of $total', ({ done, total, remaining, fraction }) => {
    const figures = computeProgressFigures(snapshot({ done, total, startedAt: 1_000, now: 61_000 }))
    expect(figures).toMatchObject({ remaining, fraction, elapsedMs: 60_000 })
  })
})

describe('formatStatusLine', () => {
  const fourThousand = snapshot({
    done: 1234,
    total: 4000,
    retries: 12,
    waitingOnQuota: true,
    startedAt: 0,
    now: 5 * MINUTE,
    // 5/s over the last 30 s.
    recentCompletions: spread(150, 4.5 * MINUTE, 5 * MINUTE),
  })

  it.each([
    {
      why: 'says everything it knows',
      snapshot: fourThousand,
      line: 'writing 1,234/4,000 · 5.0/s · ETA 9m 14s · 12 retries · waiting on quota',
    },
    {
      why: 'leaves out what is not known yet',
      snapshot: snapshot({ phase: 'reading', done: 3, total: 4000, now: 500, recentCompletions: [100, 200, 300] }),
      line: 'reading 3/4,000',
    },
    {
      why: 'has a rate but no ETA with too few completions',
      snapshot: snapshot({ phase: 'checking', done: 2, total: 10, now: 2_000, recentCompletions: [500, 1_500] }),
      line: 'checking 2/10 · 1.0/s',
    },
    {
      why: 'says "retry" for one',
      snapshot: snapshot({ done: 1, total: 2, retries: 1, now: 500, recentCompletions: [400] }),
      line: 'writing 1/2 · 1 retry',
    },
    {
      why: 'drops the ETA once done',
      snapshot: snapshot({ done: 40, total: 40, now: 10_000, recentCompletions: spread(40, 0, 10_000) }),
      line: 'writing 40/40 · 4.0/s',
    },
    {
      why: 'rounds the ETA up: never "ETA 0s" while something remains',
      snapshot: snapshot({ done: 99, total: 100, now: 10_000, recentCompletions: spread(99, 0, 10_000) }),
      line: 'writing 99/100 · 9.9/s · ETA 1s',
    },
    {
      why: 'shows hours past an hour',
      snapshot: snapshot({ done: 10, total: 1_000_000, now: 60_000, recentCompletions: spread(150, 30_000, 60_000) }),
      line: 'writing 10/1,000,000 · 5.0/s · ETA 55h 33m',
    },
  ])('$why', ({ snapshot: given, line }) => {
    expect(formatStatusLine(computeProgressFigures(given))).toBe(line)
  })

  it('is the parts joined, each with its kind', () => {
    const parts = statusParts(computeProgressFigures(fourThousand))
    expect(parts.map(part => part.kind)).toEqual(['progress', 'rate', 'eta', 'retries', 'quota'])
    expect(parts.map(part => part.text).join(' · ')).toBe(formatStatusLine(computeProgressFigures(fourThousand)))
  })
})
