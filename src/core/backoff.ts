// When to try a request again, and how long to wait first: truncated exponential backoff with full-second
// jitter, as Google's Workspace limits pages describe, never shorter than what the server asked for
// (Retry-After or google.rpc.RetryInfo). The Node client retries neither PATCH nor honours Retry-After.

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number
  /** The first wait; each later wait doubles it. */
  readonly baseDelayMs: number
  /** The cap on any computed wait. */
  readonly maxDelayMs: number
  /** The cap on a wait the server asks for; longer asks end the retries. */
  readonly maxServerDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 1000,
  maxDelayMs: 32_000,
  maxServerDelayMs: 120_000,
}

/** How a failed attempt looks to the retry logic. */
export interface AttemptFailure {
  /** HTTP status, or undefined when no response came (reset, timeout, refused). */
  readonly status: number | undefined
  /** Wait the server asked for, if any. */
  readonly retryAfterMs: number | undefined
  /** For a 429: which quota refused it, when the answer says (google.rpc.ErrorInfo's quota_limit). */
  readonly quotaScope?: 'space' | 'project'
  /** For a 429: the limit the answer names (quota_limit_value), in requests per second. */
  readonly limitPerSecond?: number
}

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504])

export function isRetryable(failure: AttemptFailure): boolean {
  return failure.status === undefined || RETRYABLE_STATUSES.has(failure.status)
}

export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false }

/**
 * Decides after attempt number `attempt` (1-based) failed.
 * `random` returns [0, 1); injected so tests are deterministic.
 */
export function decideRetry(
  failure: AttemptFailure,
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): RetryDecision {
  if (!isRetryable(failure) || attempt >= policy.maxAttempts) return { retry: false }
  const exponential = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs)
  // Up to one second of jitter (a fraction of it for sub-second bases) so parallel clients do not retry in waves.
  const jitter = random() * Math.min(1000, policy.baseDelayMs)
  const computed = Math.min(exponential + jitter, policy.maxDelayMs)
  if (failure.retryAfterMs === undefined) return { retry: true, delayMs: Math.round(computed) }
  if (failure.retryAfterMs > policy.maxServerDelayMs) return { retry: false }
  return { retry: true, delayMs: Math.round(Math.max(failure.retryAfterMs + jitter, computed)) }
}

/** Parses an HTTP Retry-After value: delay-seconds or an HTTP-date. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - nowMs)
}

/** Parses a google.protobuf.Duration in its JSON form ("28s", "1.500s"). */
export function parseProtoDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim())
  return match?.[1] === undefined ? undefined : Math.round(Number(match[1]) * 1000)
}
