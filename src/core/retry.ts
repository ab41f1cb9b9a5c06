// Runs one request with retries: asks the pacing policy first, classifies each failure, waits as the retry
// policy says. The clock and randomness are injected, so the loop is tested without real waiting.
import { decideRetry, type AttemptFailure, type RetryPolicy } from './backoff.js'
import type { PacedRequest, PacingPolicy } from './bulk-runner.js'

export interface RetryEnvironment {
  readonly policy: RetryPolicy
  readonly pacing: PacingPolicy
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>
  readonly random: () => number
  readonly signal: AbortSignal
  /** Maps a thrown error to what the retry logic needs to know. */
  readonly classify: (error: unknown) => AttemptFailure
  /** Told before each wait, e.g. to print "retrying in 2.1 s (429)". */
  readonly onRetry?: (request: PacedRequest, failure: AttemptFailure, delayMs: number, attempt: number) => void
}

export interface Attempted<T> {
  readonly attempts: number
  readonly outcome: { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown }
}

export async function withRetries<T>(
  request: PacedRequest,
  send: () => Promise<T>,
  env: RetryEnvironment,
): Promise<Attempted<T>> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await env.pacing.acquire(request, env.signal)
    } catch (error) {
      // Only an abort rejects acquire: the request was never sent.
      return { attempts: attempt - 1, outcome: { ok: false, error } }
    }
    try {
      const value = await send()
      env.pacing.record(request, { kind: 'ok' })
      return { attempts: attempt, outcome: { ok: true, value } }
    } catch (error) {
      const failure = env.classify(error)
      env.pacing.record(
        request,
        failure.status === 429 ? { kind: 'throttled', retryAfterMs: failure.retryAfterMs } : { kind: 'failed' },
      )
      const decision = decideRetry(failure, attempt, env.policy, env.random)
      if (!decision.retry || env.signal.aborted) return { attempts: attempt, outcome: { ok: false, error } }
      env.onRetry?.(request, failure, decision.delayMs, attempt)
      try {
        await env.sleep(decision.delayMs, env.signal)
      } catch {
        return { attempts: attempt, outcome: { ok: false, error } }
      }
    }
  }
}
