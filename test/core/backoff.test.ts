import { describe, expect, it } from 'vitest'
import {
  decideRetry,
  DEFAULT_RETRY_POLICY,
  isRetryable,
  parseProtoDuration,
  parseRetryAfter,
} from '../../src/core/backoff.js'

const noJitter = (): number => 0
const fullJitter = (): number => 0.999

describe('isRetryable', () => {
  it.each([408, 429, 500, 502, 503, 504, undefined])('retries status %s', status => {
    expect(isRetryable({ status, retryAfterMs: undefined })).toBe(true)
  })
  it.each([400, 401, 403, 404, 409, 501])('never retries status %s', status => {
    expect(isRetryable({ status, retryAfterMs: undefined })).toBe(false)
  })
})

describe('decideRetry', () => {
  const throttled = { status: 429, retryAfterMs: undefined }

  it('doubles the wait from the base, up to the cap', () => {
    const delays = [1, 2, 3, 4, 5].map(attempt =>
      decideRetry(throttled, attempt, { ...DEFAULT_RETRY_POLICY, maxAttempts: 99 }, noJitter),
    )
    expect(delays).toEqual([
      { retry: true, delayMs: 1000 },
      { retry: true, delayMs: 2000 },
      { retry: true, delayMs: 4000 },
      { retry: true, delayMs: 8000 },
      { retry: true, delayMs: 16000 },
    ])
    expect(decideRetry(throttled, 10, { ...DEFAULT_RETRY_POLICY, maxAttempts: 99 }, fullJitter)).toEqual({
      retry: true,
      delayMs: 32000,
    })
  })

  it('adds up to one second of jitter', () => {
    const decision = decideRetry(throttled, 1, DEFAULT_RETRY_POLICY, fullJitter)
    expect(decision).toEqual({ retry: true, delayMs: 1999 })
  })

  it('stops after the last attempt', () => {
    expect(decideRetry(throttled, DEFAULT_RETRY_POLICY.maxAttempts, DEFAULT_RETRY_POLICY, noJitter)).toEqual({
      retry: false,
    })
  })

  it('never retries a client error', () => {
    expect(decideRetry({ status: 403, retryAfterMs: undefined }, 1, DEFAULT_RETRY_POLICY, noJitter)).toEqual({
      retry: false,
    })
  })

  it('waits at least as long as the server asks', () => {
    expect(decideRetry({ status: 429, retryAfterMs: 7000 }, 1, DEFAULT_RETRY_POLICY, noJitter)).toEqual({
      retry: true,
      delayMs: 7000,
    })
  })

  it('gives up when the server asks for more than the cap', () => {
    expect(decideRetry({ status: 503, retryAfterMs: 10 * 60_000 }, 1, DEFAULT_RETRY_POLICY, noJitter)).toEqual({
      retry: false,
    })
  })

  it('scales with a short base for rehearsals', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 5 }
    expect(decideRetry(throttled, 3, policy, fullJitter)).toEqual({ retry: true, delayMs: 25 })
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-28T10:00:00Z')
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('28', now)).toBe(28_000)
  })
  it('reads an HTTP-date', () => {
    expect(parseRetryAfter('Sat, 28 Nov 2026 10:00:05 GMT', now)).toBe(5000)
  })
  it('ignores garbage and absence', () => {
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
  })
})

describe('parseProtoDuration', () => {
  it.each([
    ['28s', 28_000],
    ['1.5s', 1500],
    ['0s', 0],
  ])('%s is %i ms', (text, ms) => {
    expect(parseProtoDuration(text)).toBe(ms)
  })
  it.each([['28'], [28], ['1m'], [null]])('rejects %s', value => {
    expect(parseProtoDuration(value)).toBeUndefined()
  })
})
