// A pacing policy that backs off where Google pushes back: each space (and request kind) gets a lane with a
// spacing between requests. A 429 doubles the lane's spacing and honours any wait the server asked for; a
// run of successes shrinks it again. Unthrottled lanes are not paced at all. Workers share lanes, so four
// workers on one space take turns instead of all retrying into the same quota.
import type { PacedRequest, PacingOutcome, PacingPolicy } from './bulk-runner.js'

export interface PacingClock {
  now(): number
  sleep(ms: number, signal: AbortSignal): Promise<void>
}

export interface BackpressureOptions {
  /** The spacing after the first 429. */
  readonly minIntervalMs: number
  readonly maxIntervalMs: number
  /** Successes in a row before the spacing shrinks. */
  readonly successesToRelax: number
  /** How much of the spacing each relax step keeps. */
  readonly relaxFactor: number
}

export const DEFAULT_BACKPRESSURE: BackpressureOptions = {
  minIntervalMs: 250,
  maxIntervalMs: 10_000,
  successesToRelax: 5,
  relaxFactor: 0.9,
}

interface Lane {
  /** When the next request on this lane may start. */
  nextAt: number
  intervalMs: number
  successes: number
  /** When the spacing last grew: 429s of requests already in flight then do not grow it again. */
  grewAt: number
}

export interface BackpressurePacing extends PacingPolicy {
  /** The current spacing of a lane, for progress and tests. */
  intervalOf(request: PacedRequest): number
}

export function createBackpressurePacing(
  clock: PacingClock,
  options: BackpressureOptions = DEFAULT_BACKPRESSURE,
): BackpressurePacing {
  const lanes = new Map<string, Lane>()
  const laneOf = (request: PacedRequest): Lane => {
    const key = `${request.kind} ${request.space}`
    let lane = lanes.get(key)
    if (lane === undefined) {
      lane = { nextAt: 0, intervalMs: 0, successes: 0, grewAt: Number.NEGATIVE_INFINITY }
      lanes.set(key, lane)
    }
    return lane
  }
  return {
    async acquire(request, signal) {
      const lane = laneOf(request)
      const now = clock.now()
      const startAt = Math.max(now, lane.nextAt)
      // Reserve the slot before waiting, so concurrent workers queue up behind each other.
      lane.nextAt = startAt + lane.intervalMs
      if (startAt > now) await clock.sleep(startAt - now, signal)
    },
    record(request, outcome: PacingOutcome) {
      const lane = laneOf(request)
      if (outcome.kind === 'throttled') {
        const now = clock.now()
        lane.successes = 0
        if (now - lane.grewAt >= lane.intervalMs) {
          lane.intervalMs = Math.min(options.maxIntervalMs, Math.max(options.minIntervalMs, lane.intervalMs * 2))
          lane.grewAt = now
        }
        const earliest = now + (outcome.retryAfterMs ?? lane.intervalMs)
        lane.nextAt = Math.max(lane.nextAt, earliest)
        return
      }
      if (outcome.kind !== 'ok' || lane.intervalMs === 0) return
      lane.successes += 1
      if (lane.successes < options.successesToRelax) return
      lane.successes = 0
      const relaxed = lane.intervalMs * options.relaxFactor
      lane.intervalMs = relaxed < options.minIntervalMs / 2 ? 0 : relaxed
    },
    intervalOf: request => laneOf(request).intervalMs,
  }
}
