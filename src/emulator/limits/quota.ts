// Quotas as token buckets (a bucket holds one window's worth and refills continuously), per project
// and per space, on an injectable clock. A breach is a 429 with the Google front end's body shape,
// raised before the handler runs, so a rejected request changes nothing.
import { ApiError, Messages, PROJECT_NUMBER, SERVICE, errorInfo } from '../http/errors.js'
import type { MethodSpec, ProjectQuota } from '../chat-api/methods.js'

export interface QuotaLimits {
  /** Membership writes (patch), per project per minute. Google: 300 (create/delete; patch assumed). */
  readonly projectWritesPerMinute: number
  /** Reads per project per minute, for membership reads and space reads alike. Google: 3000 each. */
  readonly projectReadsPerMinute: number
  /** Writes per space per second (patch). Google: 1. */
  readonly spaceWritesPerSecond: number
  /** Reads per space per second (members get/list, spaces.get). Google: 15. */
  readonly spaceReadsPerSecond: number
}

export const DEFAULT_QUOTA_LIMITS: QuotaLimits = {
  projectWritesPerMinute: 300,
  projectReadsPerMinute: 3000,
  spaceWritesPerSecond: 1,
  spaceReadsPerSecond: 15,
}

interface Metric {
  readonly id: string
  readonly displayName: string
  readonly limitId: string
  readonly limitName: string
}

const METRICS = {
  membershipWrites: {
    id: 'chat.googleapis.com/membership_write_requests',
    displayName: 'Membership write requests',
    limitId: 'MembershipWriteRequestsPerMinutePerProject',
    limitName: 'Membership write requests per minute per project',
  },
  membershipReads: {
    id: 'chat.googleapis.com/membership_read_requests',
    displayName: 'Membership read requests',
    limitId: 'MembershipReadRequestsPerMinutePerProject',
    limitName: 'Membership read requests per minute per project',
  },
  spaceReads: {
    id: 'chat.googleapis.com/space_read_requests',
    displayName: 'Space read requests',
    limitId: 'SpaceReadRequestsPerMinutePerProject',
    limitName: 'Space read requests per minute per project',
  },
  perSpaceReads: {
    id: 'chat.googleapis.com/per_space_read_requests',
    displayName: 'Per-space read requests',
    limitId: 'ReadRequestsPerSecondPerSpace',
    limitName: 'Read requests per second per space',
  },
  perSpaceWrites: {
    id: 'chat.googleapis.com/per_space_write_requests',
    displayName: 'Per-space write requests',
    limitId: 'WriteRequestsPerSecondPerSpace',
    limitName: 'Write requests per second per space',
  },
} as const satisfies Record<string, Metric>

class TokenBucket {
  readonly capacity: number
  readonly perMs: number
  tokens: number
  updatedAt: number

  /** Holds one window's worth (at least one token) and refills `limit` per window. */
  constructor(limit: number, windowMs: number, now: number) {
    this.capacity = Math.max(1, limit)
    this.perMs = limit / windowMs
    this.tokens = this.capacity
    this.updatedAt = now
  }

  /** Refills, then returns how many ms until one token is available (0 when one is). */
  waitMs(now: number): number {
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.perMs)
    this.updatedAt = now
    return this.tokens >= 1 ? 0 : (1 - this.tokens) / this.perMs
  }
}

interface Draw {
  readonly bucket: TokenBucket
  readonly metric: Metric
  readonly limit: number
}

export interface QuotaOptions {
  readonly limits: QuotaLimits
  readonly now: () => number
  /** Adds a Retry-After header and a RetryInfo detail to 429s (Chat is not known to send either). */
  readonly retryAfter: boolean
}

export class QuotaBook {
  readonly #options: QuotaOptions
  readonly #project = new Map<ProjectQuota, TokenBucket>()
  readonly #spaces = new Map<string, TokenBucket>()

  constructor(options: QuotaOptions) {
    this.#options = options
  }

  reset(): void {
    this.#project.clear()
    this.#spaces.clear()
  }

  #bucket<K>(map: Map<K, TokenBucket>, key: K, limit: number, windowMs: number): TokenBucket {
    let bucket = map.get(key)
    if (bucket === undefined) {
      bucket = new TokenBucket(limit, windowMs, this.#options.now())
      map.set(key, bucket)
    }
    return bucket
  }

  /** Takes one token from every bucket the call draws on, or none of them and throws 429. */
  take(method: MethodSpec, spaceId: string | undefined): void {
    const { limits, now } = this.#options
    const write = method.projectQuota === 'membershipWrites'
    const projectLimit = write ? limits.projectWritesPerMinute : limits.projectReadsPerMinute
    const draws: Draw[] = [
      {
        bucket: this.#bucket(this.#project, method.projectQuota, projectLimit, 60_000),
        metric: METRICS[method.projectQuota],
        limit: projectLimit,
      },
    ]
    if (spaceId !== undefined && method.spaceQuota !== undefined) {
      const spaceWrite = method.spaceQuota === 'writes'
      const limit = spaceWrite ? limits.spaceWritesPerSecond : limits.spaceReadsPerSecond
      draws.push({
        bucket: this.#bucket(this.#spaces, `${method.spaceQuota}/${spaceId}`, limit, 1000),
        metric: spaceWrite ? METRICS.perSpaceWrites : METRICS.perSpaceReads,
        limit,
      })
    }
    const at = now()
    const blocked = draws
      .map(draw => ({ draw, waitMs: draw.bucket.waitMs(at) }))
      .filter(entry => entry.waitMs > 0)
      .sort((left, right) => right.waitMs - left.waitMs)[0]
    if (blocked !== undefined) throw this.#exceeded(blocked.draw, blocked.waitMs)
    for (const draw of draws) draw.bucket.tokens -= 1
  }

  #exceeded(draw: Draw, waitMs: number): ApiError {
    const details = [
      errorInfo('RATE_LIMIT_EXCEEDED', 'googleapis.com', {
        service: SERVICE,
        consumer: `projects/${PROJECT_NUMBER}`,
        quota_metric: draw.metric.id,
        quota_limit: draw.metric.limitId,
        quota_limit_value: String(draw.limit),
        quota_location: 'global',
      }),
      {
        '@type': 'type.googleapis.com/google.rpc.Help',
        links: [
          {
            description: 'Request a higher quota limit.',
            url: 'https://cloud.google.com/docs/quota#requesting_higher_quota',
          },
        ],
      },
    ]
    if (!this.#options.retryAfter) {
      return new ApiError(
        'RESOURCE_EXHAUSTED',
        Messages.quotaExceeded(draw.metric.displayName, draw.metric.limitName),
        details,
      )
    }
    const seconds = Math.ceil(waitMs / 1000)
    return new ApiError(
      'RESOURCE_EXHAUSTED',
      Messages.quotaExceeded(draw.metric.displayName, draw.metric.limitName),
      [
        ...details,
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${Number((waitMs / 1000).toFixed(3))}s` },
      ],
      { 'Retry-After': String(Math.max(1, seconds)) },
    )
  }
}
