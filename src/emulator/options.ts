// Programmatic options of startEmulator; the command line maps onto these one to one.
import type { Directory, OAuthOptions, OAuthService } from './oauth/contract.js'
import type { QuotaLimits } from './limits/quota.js'
import type { Seed } from './domain/seed.js'

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  readonly host?: string
  /** Default 0 (a free port); the bin defaults to 8085. */
  readonly port?: number
  /** The domain to serve; default the demo seed. Validated like a --state file. */
  readonly seed?: Seed
  /** Accept an email alias as the {member} of spaces.members.patch (strict 400 otherwise). */
  readonly allowPatchEmailAlias?: boolean
  /** Let patch change the role of an INVITED membership (400 FAILED_PRECONDITION otherwise). */
  readonly allowInvitedRoleChange?: boolean
  /** Status for a non-admin caller who is not in the space: 404 (default) or 403. */
  readonly nonMemberStatus?: 403 | 404
  /** False answers every /v1/ call with 404 "Google Chat app not found" (--no-chat-app). */
  readonly chatApp?: boolean
  /** False turns quotas off; an object overrides some limits. */
  readonly quotas?: false | Partial<QuotaLimits>
  /** Add Retry-After and RetryInfo to 429s. */
  readonly retryAfter?: boolean
  /** Mean added latency of /v1/ calls, ms (±50% jitter). */
  readonly latencyMs?: number
  /** Probability of a 500/503 before a /v1/ call is applied. */
  readonly failRate?: number
  /** Probability of a dropped connection (half after the change is applied). */
  readonly dropRate?: number
  /** Seed for the fault randomness; default random. */
  readonly randomSeed?: number
  /** Clock (epoch ms) for quotas, tokens and the request log; default Date.now. */
  readonly now?: () => number
  /** Lifetime of minted access tokens, seconds (default 3600). */
  readonly tokenTtlSeconds?: number
  /** Who consents at the OAuth authorization endpoint by default. */
  readonly consentUser?: string
  /** Entries kept by the request log (default 10,000). */
  readonly requestLogLimit?: number
  /**
   * Test seam: waits out the injected latency of one /v1/ call; `clientGone` aborts when its client
   * disconnects. Default: a timer that the disconnect cuts short (waitLatency in limits/faults.ts).
   */
  readonly latencyWait?: (ms: number, clientGone: AbortSignal) => Promise<void>
  /** Test seam: replaces createOAuthService from oauth/service.ts. */
  readonly oauth?: (directory: Directory, options: OAuthOptions) => OAuthService
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(`chat-role-emulator: ${message}`)
}

const isRate = (value: number | undefined): boolean => value === undefined || (value >= 0 && value <= 1)

/** Rejects out-of-range numbers with a one-line message. */
export function checkOptions(options: EmulatorOptions): void {
  const { port, latencyMs, failRate, dropRate, quotas, tokenTtlSeconds, requestLogLimit } = options
  check(
    port === undefined || (Number.isInteger(port) && port >= 0 && port <= 65535),
    'port must be an integer from 0 to 65535',
  )
  check(
    latencyMs === undefined || (Number.isFinite(latencyMs) && latencyMs >= 0),
    'latency must be a number of ms, 0 or more',
  )
  check(isRate(failRate), 'fail rate must be a probability from 0 to 1')
  check(isRate(dropRate), 'drop rate must be a probability from 0 to 1')
  check((failRate ?? 0) + (dropRate ?? 0) <= 1, 'fail rate plus drop rate must not exceed 1')
  check(
    tokenTtlSeconds === undefined || (Number.isFinite(tokenTtlSeconds) && tokenTtlSeconds > 0),
    'token TTL must be a positive number of seconds',
  )
  check(
    requestLogLimit === undefined || (Number.isInteger(requestLogLimit) && requestLogLimit > 0),
    'request log limit must be a positive integer',
  )
  if (quotas !== undefined && quotas !== false) {
    for (const [name, value] of Object.entries(quotas) as [string, number | undefined][]) {
      check(value === undefined || (Number.isFinite(value) && value > 0), `quota ${name} must be a positive number`)
    }
  }
}
