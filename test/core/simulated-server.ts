// A simulated Chat server in virtual time, for scheduler tests that must not sleep: a clock with timers,
// token buckets with limits the scheduler is not told, latency, and faults on demand.
import type { AttemptFailure } from '../../src/core/backoff.js'
import type { ScheduledRequest, SchedulerClock } from '../../src/core/scheduler.js'
import { seededRandom } from '../../src/emulator/limits/random.js'

interface Timer {
  readonly at: number
  readonly seq: number
  readonly fire: () => void
  cancelled: boolean
}

/** Virtual time: timers fire in order, and promise chains settle between them. */
export class VirtualClock implements SchedulerClock {
  #now = 0
  #seq = 0
  #timers: Timer[] = []

  now(): number {
    return this.#now
  }

  setTimer(ms: number, fire: () => void): () => void {
    const timer: Timer = { at: this.#now + Math.max(0, ms), seq: (this.#seq += 1), fire, cancelled: false }
    this.#timers.push(timer)
    return () => {
      timer.cancelled = true
    }
  }

  /** Runs until `done` settles (or nothing is left to fire), advancing time from timer to timer. */
  async run<T>(done: Promise<T>, limitMs = 24 * 3600 * 1000): Promise<T> {
    const state = { settled: false }
    const result = done.finally(() => {
      state.settled = true
    })
    for (;;) {
      await flush()
      if (state.settled) return result
      this.#timers = this.#timers.filter(timer => !timer.cancelled)
      if (this.#timers.length === 0) throw new Error('deadlock: nothing left to fire and the work is not done')
      this.#timers.sort((left, right) => left.at - right.at || left.seq - right.seq)
      const next = this.#timers.shift() as Timer
      if (next.at > limitMs) throw new Error(`still running at ${limitMs} ms of virtual time`)
      this.#now = next.at
      next.fire()
    }
  }
}

async function flush(): Promise<void> {
  for (let round = 0; round < 5; round += 1) await new Promise(resolve => setImmediate(resolve))
}

export class SimulatedFailure extends Error {
  readonly failure: AttemptFailure
  constructor(failure: AttemptFailure) {
    super(`simulated ${failure.status ?? 'no answer'}`)
    this.failure = failure
  }
}

class Bucket {
  readonly perSecond: number
  readonly capacity: number
  tokens: number
  updatedAt = 0
  constructor(perSecond: number, capacity: number) {
    this.perSecond = perSecond
    this.capacity = capacity
    this.tokens = capacity
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond)
    this.updatedAt = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}

export interface HiddenLimits {
  /** Writes per second for the project, and per space. */
  readonly projectWrites: number
  readonly spaceWrites: number
  readonly projectReads?: number
  readonly spaceReads?: number
  /** Seconds of burst a space's bucket holds (default 1: one second's worth, as Google's per-space quotas). */
  readonly burstSeconds?: number
  /** Seconds of burst the project's bucket holds (default 1, the hardest case; Google's per-minute buckets may hold 60). */
  readonly projectBurstSeconds?: number
  /** Whether a 429 names its quota and limit, as Google's ErrorInfo does. */
  readonly namesLimit?: boolean
  /** A Retry-After (ms) on every 429. */
  readonly retryAfterMs?: number
  /** Spaces with a limit of their own (a "hot" space with extra backend limits). */
  readonly perSpace?: Readonly<Record<string, number>>
}

export interface ServedRequest {
  readonly request: ScheduledRequest
  readonly at: number
  readonly status: number | 'none'
}

export class SimulatedServer {
  readonly log: ServedRequest[] = []
  readonly #buckets = new Map<string, Bucket>()
  inFlight = 0
  maxInFlight = 0

  readonly clock: VirtualClock
  readonly limits: HiddenLimits
  readonly latencyMs: number
  /** Each request's latency varies by up to this share either way (0: always `latencyMs`). */
  readonly jitter: number
  readonly #random: () => number
  /** Decides a fault for a request: a status to answer instead, or 'none' for no answer at all. */
  readonly fault: (request: ScheduledRequest, at: number) => number | 'none' | undefined

  constructor(
    clock: VirtualClock,
    limits: HiddenLimits,
    latencyMs = 50,
    fault: (request: ScheduledRequest, at: number) => number | 'none' | undefined = () => undefined,
    jitter = 0,
  ) {
    this.clock = clock
    this.limits = limits
    this.latencyMs = latencyMs
    this.fault = fault
    this.jitter = jitter
    this.#random = seededRandom(7)
  }

  #bucket(key: string, perSecond: number, burstSeconds: number): Bucket {
    let bucket = this.#buckets.get(key)
    if (bucket === undefined) {
      bucket = new Bucket(perSecond, Math.max(1, perSecond * burstSeconds))
      this.#buckets.set(key, bucket)
    }
    return bucket
  }

  /** Answers after the latency: checks the hidden quotas when the request arrives (half-way). */
  send(request: ScheduledRequest): Promise<string> {
    this.inFlight += 1
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    // The way there varies as the whole latency does, so two requests sent 1 s apart may arrive closer.
    const there = (this.latencyMs / 2) * (1 + this.jitter * (2 * this.#random() - 1))
    return new Promise((resolve, reject) => {
      this.clock.setTimer(there, () => {
        const now = this.clock.now()
        const outcome = this.#judge(request, now)
        this.log.push({ request, at: now, status: outcome.status })
        this.clock.setTimer(this.latencyMs / 2, () => {
          this.inFlight -= 1
          if (outcome.status === 200) resolve('ok')
          else reject(new SimulatedFailure(outcome.failure as AttemptFailure))
        })
      })
    })
  }

  #judge(request: ScheduledRequest, now: number): { status: number | 'none'; failure?: AttemptFailure } {
    const fault = this.fault(request, now)
    if (fault === 'none') return { status: 'none', failure: { status: undefined, retryAfterMs: undefined } }
    if (fault !== undefined) return { status: fault, failure: { status: fault, retryAfterMs: undefined } }
    const write = request.kind === 'write'
    const spaceLimit =
      this.limits.perSpace?.[request.space] ??
      (write ? this.limits.spaceWrites : (this.limits.spaceReads ?? Number.POSITIVE_INFINITY))
    const projectLimit = write ? this.limits.projectWrites : (this.limits.projectReads ?? Number.POSITIVE_INFINITY)
    const space = this.#bucket(`${request.kind} ${request.space}`, spaceLimit, this.limits.burstSeconds ?? 1)
    const project = this.#bucket(`${request.kind} project`, projectLimit, this.limits.projectBurstSeconds ?? 1)
    // Both or neither: a refused request spends no token.
    const spaceOk = !Number.isFinite(spaceLimit) || peek(space, now)
    const projectOk = !Number.isFinite(projectLimit) || peek(project, now)
    if (spaceOk && projectOk) {
      if (Number.isFinite(spaceLimit)) space.take(now)
      if (Number.isFinite(projectLimit)) project.take(now)
      return { status: 200 }
    }
    const scope = spaceOk ? 'project' : 'space'
    const limit = scope === 'space' ? spaceLimit : projectLimit
    return {
      status: 429,
      failure: {
        status: 429,
        retryAfterMs: this.limits.retryAfterMs,
        ...(this.limits.namesLimit === true && { quotaScope: scope, limitPerSecond: limit }),
      },
    }
  }

  /** Successes per second in [from, to) of virtual time. */
  rateBetween(from: number, to: number, filter: (served: ServedRequest) => boolean = () => true): number {
    const ok = this.log.filter(served => served.status === 200 && served.at >= from && served.at < to && filter(served))
    return ok.length / ((to - from) / 1000)
  }

  count(status: number | 'none'): number {
    return this.log.filter(served => served.status === status).length
  }
}

function peek(bucket: Bucket, now: number): boolean {
  const tokens = Math.min(bucket.capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * bucket.perSecond)
  return tokens >= 1
}

export function classifySimulated(error: unknown): AttemptFailure {
  if (error instanceof SimulatedFailure) return error.failure
  return { status: 400, retryAfterMs: undefined }
}
