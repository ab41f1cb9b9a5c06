// Learns how fast one quota lets requests through, from what the server answers, as AWS's adaptive retry
// mode does: CUBIC (RFC 9438) on a request rate instead of a congestion window.
//
// Why CUBIC and not plain AIMD: after a 429, AIMD halves the rate and climbs back linearly, so a run spends
// most of its time well under the limit (a sawtooth). CUBIC cuts less (to 0.8 of the rate that was refused;
// TCP and AWS keep 0.7, but a quota is a fixed line, not a link others share, so a smaller cut suffices),
// returns to that rate quickly, lingers near it (the plateau of the cubic), and only then probes beyond, so
// a run settles near the real limit and still finds one above the documented figure.
//
// Before the first 429 the learner is in slow start: while the lane is the bottleneck, its rate grows by a
// factor per second (3: the first 429 names the limit at Google, so finding it soon is worth the overshoot),
// so a limit above the documented one is found in seconds. A lane that is not the bottleneck does not grow:
// an idle lane must not accumulate a rate it never tested. A 429 in slow start cuts from the rate achieved
// (the growth overshoots) but climbs back towards the rate attempted: what a lane achieved may be what it
// was given (a space sharing a busy project), and a plateau there would hold it under its limit for good.
//
// CUBIC's clock is scaled to the lane: the climb back to the refused rate takes about `requestsPerCycle`
// requests, whatever the rate, so one 429 in that many is the price of probing at 0.5/s as at 50/s.
//
// When the 429 says what the limit is (google.rpc.ErrorInfo's quota_limit_value), that figure becomes the
// ceiling: the lane runs just under it, cuts less after a 429 and climbs back within 10 requests (jitter,
// not a wrong guess), and never probes past what the server said. A limit another space was told is taken
// at once by a lane still in slow start.

export interface RateLearnerOptions {
  /** Requests per second to start from: the documented quota. */
  readonly initialRate: number
  readonly minRate: number
  /** A hard cap (e.g. --max-rate); the learner never goes above it. */
  readonly maxRate: number
  /** What part of the refused rate a 429 keeps (CUBIC's β). */
  readonly beta: number
  /** About how many requests the climb back to the refused rate takes (sets CUBIC's K = this / rate). */
  readonly requestsPerCycle: number
  /** Slow start: the factor the rate grows by per second while this lane is the bottleneck. */
  readonly slowStartGrowthPerSecond: number
}

export const DEFAULT_LEARNER_SHAPE = {
  beta: 0.8,
  requestsPerCycle: 40,
  slowStartGrowthPerSecond: 3,
  minRate: 0.05,
} as const

/** With a limit the server named: run at this share of it, and keep this much of the rate after a 429. */
const NAMED_LIMIT_SHARE = 0.98
const NAMED_LIMIT_BETA = 0.9
/** With a limit the server named, a 429 is timing, not a wrong guess: the climb back takes this many requests. */
const NAMED_LIMIT_REQUESTS_PER_CYCLE = 10

export interface ThrottleSignal {
  /** When the refused request was sent: 429s of requests sent before the last cut do not cut again. */
  readonly sentAt: number
  /** The limit the server named, in requests per second, when it named one. */
  readonly limitPerSecond?: number
  /** The rate the lane achieved just before (successes per second): the refused rate is no more than it. */
  readonly measuredRate?: number
}

export interface RateLearner {
  /** The rate requests may go out at now. */
  rate(now: number): number
  /** A request on this lane succeeded; `saturated` when requests were waiting on this lane's rate. */
  onSuccess(now: number, saturated: boolean): void
  /**
   * The server named this lane's limit (another space of the same quota did): run just under it from now on,
   * at once if this lane has not been refused yet (it is still guessing from the documented figure).
   */
  learnLimit(limitPerSecond: number): void
  /** A request on this lane was refused for quota. Returns true when this 429 cut the rate. */
  onThrottle(now: number, signal: ThrottleSignal): boolean
  /** What the learner believes the limit is: the server's figure, else the last refused rate. */
  readonly knownLimit: number | undefined
  readonly throttles: number
}

export function createRateLearner(options: RateLearnerOptions): RateLearner {
  const clamp = (rate: number): number => Math.min(options.maxRate, Math.max(options.minRate, rate))
  let slowStart = true
  let current = clamp(options.initialRate)
  let lastGrowthAt: number | undefined
  /** CUBIC state after a cut: the refused rate, when the cut happened, and the time to climb back. */
  let wMax = 0
  let cutAt = Number.NEGATIVE_INFINITY
  let k = 0
  let cubicC = 0
  /** A ceiling the server named. */
  let serverLimit: number | undefined
  let throttles = 0
  /** Time spent saturated since the cut: CUBIC's clock only runs while the lane is the bottleneck. */
  let saturatedSinceCut = 0

  const nameLimit = (limitPerSecond: number): boolean => {
    if (!(limitPerSecond > 0)) return false
    serverLimit = Math.min(options.maxRate / NAMED_LIMIT_SHARE, limitPerSecond)
    return true
  }
  const cubic = (): number => clamp(cubicC * (saturatedSinceCut / 1000 - k) ** 3 + wMax)
  const ceiling = (rate: number): number =>
    serverLimit === undefined ? rate : Math.min(rate, serverLimit * NAMED_LIMIT_SHARE)

  return {
    rate: () => ceiling(current),
    onSuccess(now, saturated) {
      // Growth is for time spent as the bottleneck: a success after a long wait on another lane (or after
      // idling) counts for at most two of this lane's own intervals.
      const interval = 1000 / ceiling(current)
      const elapsed = lastGrowthAt === undefined ? 0 : Math.min(Math.max(0, now - lastGrowthAt), 2 * interval)
      lastGrowthAt = now
      if (!saturated || elapsed === 0) return
      if (slowStart) {
        current = clamp(current * options.slowStartGrowthPerSecond ** (elapsed / 1000))
        return
      }
      saturatedSinceCut += elapsed
      current = Math.max(current, cubic())
    },
    learnLimit(limitPerSecond) {
      if (!nameLimit(limitPerSecond) || !slowStart) return
      current = clamp(Math.max(current, (serverLimit as number) * NAMED_LIMIT_SHARE))
      slowStart = false
      // The plateau CUBIC holds from here on (no cut yet: K and C are 0).
      wMax = current
    },
    onThrottle(now, signal) {
      if (signal.limitPerSecond !== undefined) nameLimit(signal.limitPerSecond)
      // A 429 for a request sent before the last cut says nothing new about the cut rate.
      if (signal.sentAt < cutAt) return false
      throttles += 1
      // Slow start overshoots by up to a second of growth: the rate achieved is the better guess then.
      const measured = slowStart ? (signal.measuredRate ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY
      const attempted = ceiling(current)
      const refused = Math.min(attempted, measured)
      const beta = serverLimit === undefined ? options.beta : NAMED_LIMIT_BETA
      // The climb goes back to the rate attempted: what a lane achieved may be what it was given, not its
      // limit (a space sharing a busy project), and a plateau under the limit would hold it there for good.
      wMax = serverLimit === undefined ? attempted : serverLimit * NAMED_LIMIT_SHARE
      current = clamp(beta * Math.min(refused, wMax))
      const requestsPerCycle = serverLimit === undefined ? options.requestsPerCycle : NAMED_LIMIT_REQUESTS_PER_CYCLE
      k = requestsPerCycle / Math.max(wMax, options.minRate)
      cubicC = Math.max(0, wMax - current) / k ** 3
      cutAt = now
      saturatedSinceCut = 0
      lastGrowthAt = now
      slowStart = false
      return true
    },
    get knownLimit() {
      return serverLimit ?? (throttles > 0 ? wMax : undefined)
    },
    get throttles() {
      return throttles
    },
  }
}
