import { describe, expect, it } from 'vitest'
import { DEFAULT_RETRY_POLICY, type AttemptFailure } from '../../src/core/backoff.js'
import type { PacedRequest, PacingOutcome, PacingPolicy } from '../../src/core/bulk-runner.js'
import { withRetries, type RetryEnvironment } from '../../src/core/retry.js'

class HttpFailure extends Error {
  readonly status: number | undefined
  readonly retryAfterMs: number | undefined
  constructor(status: number | undefined, retryAfterMs?: number) {
    super(`HTTP ${status}`)
    this.status = status
    this.retryAfterMs = retryAfterMs
  }
}

function environment(overrides: Partial<RetryEnvironment> = {}) {
  const slept: number[] = []
  const recorded: PacingOutcome['kind'][] = []
  const pacing: PacingPolicy = {
    acquire: () => Promise.resolve(),
    record: (_request, outcome) => recorded.push(outcome.kind),
  }
  const env: RetryEnvironment = {
    policy: DEFAULT_RETRY_POLICY,
    pacing,
    sleep: ms => {
      slept.push(ms)
      return Promise.resolve()
    },
    random: () => 0,
    signal: new AbortController().signal,
    classify: (error): AttemptFailure => {
      const failure = error as HttpFailure
      return { status: failure.status, retryAfterMs: failure.retryAfterMs }
    },
    ...overrides,
  }
  return { env, slept, recorded }
}

const request: PacedRequest = { space: 'spaces/A', kind: 'write' }

function scripted(...answers: (HttpFailure | string)[]) {
  let calls = 0
  const send = () => {
    const answer = answers[calls]
    calls += 1
    return answer instanceof HttpFailure ? Promise.reject(answer) : Promise.resolve(answer ?? 'done')
  }
  return { send, calls: () => calls }
}

describe('withRetries', () => {
  it('retries 429 and 503 with growing waits, then succeeds', async () => {
    const { env, slept, recorded } = environment()
    const { send, calls } = scripted(new HttpFailure(429), new HttpFailure(503), 'ok')
    const result = await withRetries(request, send, env)
    expect(result).toEqual({ attempts: 3, outcome: { ok: true, value: 'ok' } })
    expect(calls()).toBe(3)
    expect(slept).toEqual([1000, 2000])
    expect(recorded).toEqual(['throttled', 'failed', 'ok'])
  })

  it('does not retry a 403', async () => {
    const { env, slept } = environment()
    const { send, calls } = scripted(new HttpFailure(403), 'ok')
    const result = await withRetries(request, send, env)
    expect(result.outcome.ok).toBe(false)
    expect(calls()).toBe(1)
    expect(slept).toEqual([])
  })

  it('retries a dropped connection (no status)', async () => {
    const { env } = environment()
    const { send } = scripted(new HttpFailure(undefined), 'ok')
    expect((await withRetries(request, send, env)).attempts).toBe(2)
  })

  it('honours the server’s Retry-After', async () => {
    const { env, slept } = environment()
    const { send } = scripted(new HttpFailure(429, 9000), 'ok')
    await withRetries(request, send, env)
    expect(slept).toEqual([9000])
  })

  it('gives up after maxAttempts', async () => {
    const { env } = environment({ policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 } })
    const { send, calls } = scripted(new HttpFailure(500), new HttpFailure(500), new HttpFailure(500), 'ok')
    const result = await withRetries(request, send, env)
    expect(result.outcome.ok).toBe(false)
    expect(result.attempts).toBe(3)
    expect(calls()).toBe(3)
  })

  it('stops retrying once aborted', async () => {
    const controller = new AbortController()
    const { env } = environment({ signal: controller.signal })
    controller.abort()
    const { send, calls } = scripted(new HttpFailure(503), 'ok')
    const result = await withRetries(request, send, env)
    expect(result.outcome.ok).toBe(false)
    expect(calls()).toBe(1)
  })
})
