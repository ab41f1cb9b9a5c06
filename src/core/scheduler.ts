// The one place that decides what to send next. Every request of a run goes through here: reads and writes,
// for every space. Pure: the clock (now and timers) and randomness are injected, so a simulation drives it in
// virtual time.
//
// - Each space has its own queue; a request goes out when its space's lane and the project's budget both
//   have room, so a space at its limit never holds up another. Of the spaces that may go, the one with the
//   most work left at its own pace goes first (the run ends when its slowest space does); ties take turns.
// - Each lane paces by a token bucket whose rate a RateLearner learns from what the server answers. Each
//   space learns on its own (a busy space may meet backend limits the others do not), starting from what
//   the spaces before it learned; a per-space limit the server names is the quota's, so every space takes it.
// - A bucket holds what its quota's window holds: a second's worth per space, a minute's worth for the
//   project (its quotas are per minute), until a 429 blames the project and shows that allowance is not there.
// - A lane under 2 requests a second meets a server bucket that holds a single token: a request that
//   reaches the server a little early is refused. Such a lane leaves the latency's spread between requests.
// - A request waiting to be retried sits in its queue with a not-before time and holds no slot.
// - Requests in flight are bounded by Little's law (allowed rate × observed latency, with headroom),
//   never more than `maxInFlight`.
// - Retries of 5xx and network errors draw on a retry budget (gRPC's retry throttling): a server that keeps
//   failing is not flooded. 429s are not charged to it: they are answered by pacing, not by retrying harder.
// - When no request gets any answer at all (connection refused, DNS, timeouts) many times in a row and none
//   ever got through, the scheduler stops and fails what is left at once: Google cannot be reached.
import { decideRetry, type AttemptFailure, type RetryPolicy } from './backoff.js'
import { createRateLearner, DEFAULT_LEARNER_SHAPE, type RateLearner } from './rate-learner.js'

export type RequestKind = 'read' | 'write'

export interface ScheduledRequest {
  /** `spaces/S`: quotas are per space as well as per project. */
  readonly space: string
  readonly kind: RequestKind
  /** What the request is about, for --verbose (a membership name). */
  readonly label?: string
}

export interface SchedulerClock {
  now(): number
  /** Calls `fire` after `ms`; returns a function that cancels it. */
  setTimer(ms: number, fire: () => void): () => void
}

/** Requests per second: where each lane starts (Google's documented quotas, or what --max-rate allows). */
export interface QuotaRates {
  readonly projectWrites: number
  readonly projectReads: number
  readonly spaceWrites: number
  readonly spaceReads: number
}

/** Google's documented figures: 300 membership writes a minute per project (create/delete; patch assumed),
 * 3,000 reads a minute per project, 1 write and 15 reads a second per space. */
export const DOCUMENTED_RATES: QuotaRates = {
  projectWrites: 300 / 60,
  projectReads: 3000 / 60,
  spaceWrites: 1,
  spaceReads: 15,
}

export interface RetryBudgetOptions {
  /** Tokens at the start and at most. */
  readonly maxTokens: number
  /** Tokens a success gives back. */
  readonly tokenRatio: number
}

/** gRPC's defaults: retries stop while fewer than half the tokens are left. */
export const DEFAULT_RETRY_BUDGET: RetryBudgetOptions = { maxTokens: 100, tokenRatio: 0.1 }

export interface SchedulerOptions {
  readonly clock: SchedulerClock
  readonly random: () => number
  readonly retry: RetryPolicy
  /** Maps whatever a request threw to what the retry logic needs. */
  readonly classify: (error: unknown) => AttemptFailure
  readonly rates?: QuotaRates
  /** A cap on writes per second for the whole project (--max-rate / 60). */
  readonly maxWritesPerSecond?: number
  /** A cap on requests in flight (--concurrency). */
  readonly maxInFlight?: number
  readonly retryBudget?: RetryBudgetOptions
  /** No-answer failures in a row, with no answer ever, after which the run stops as unreachable. */
  readonly unreachableAfter?: number
  /** Attempts a request may be refused for quota before it fails: pacing, not retrying, answers a 429. */
  readonly maxThrottledAttempts?: number
  readonly onEvent?: (event: SchedulerEvent) => void
}

export type SchedulerEvent =
  | { readonly type: 'sent'; readonly request: ScheduledRequest; readonly attempt: number }
  | {
      readonly type: 'retry'
      readonly request: ScheduledRequest
      readonly failure: AttemptFailure
      readonly delayMs: number
      readonly attempt: number
    }
  | {
      readonly type: 'rate'
      readonly lane: LaneName
      readonly space: string
      readonly rate: number
      readonly reason: 'throttled'
    }

export type LaneName = `${'project' | 'space'} ${RequestKind}s`

export type ScheduledOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false
      readonly error: unknown
      /** Why it ended: the server's answer, the retry budget, unreachable, or the run stopped first. */
      readonly reason: 'failed' | 'budget' | 'unreachable' | 'stopped'
      /** The last failure, as classified; undefined when nothing was sent. */
      readonly failure: AttemptFailure | undefined
    }

export interface Scheduled<T> {
  /** Requests sent, first included. */
  readonly attempts: number
  /** Requests that were answered with a 429. */
  readonly throttled: number
  readonly outcome: ScheduledOutcome<T>
}

export interface SubmitOptions {
  /** At least this many attempts for this request, whatever the policy says (a read that checks a write). */
  readonly minAttempts?: number
}

export interface SchedulerStats {
  readonly sent: number
  readonly throttled: number
  readonly retried: number
  readonly queued: number
  readonly inFlight: number
  /** Requests are ready but held back by a quota lane. */
  readonly waitingOnQuota: boolean
  /** Requests per second each project lane allows now. */
  readonly rates: Readonly<Record<RequestKind, number>>
}

export interface Scheduler {
  /** Queues one request; resolves once it succeeded, finally failed, or was never sent. */
  submit<T>(request: ScheduledRequest, send: () => Promise<T>, options?: SubmitOptions): Promise<Scheduled<T>>
  /** No new request starts; queued ones resolve as `stopped`; requests in flight settle on their own. */
  stop(reason: unknown): void
  readonly stopped: boolean
  /** Why the run cannot go on (Google unreachable), once it is known. */
  readonly unreachable: unknown
  stats(): SchedulerStats
}

interface Bucket {
  /** Seconds of the rate the bucket holds: what its quota's window is believed to hold. */
  burstSeconds: number
  /** When a 429 showed that a minute's allowance is not there (−∞ while it is believed). */
  allowanceEndedAt: number
  tokens: number
  updatedAt: number
  /** A Retry-After for this lane: nothing starts before it. */
  pausedUntil: number
  /** When a request last waited on this bucket: the lane was the bottleneck. */
  blockedAt: number
  /** When the last few successes on this lane came back, oldest first. */
  readonly successes: number[]
}

interface Task {
  readonly request: ScheduledRequest
  readonly send: () => Promise<unknown>
  readonly resolve: (result: Scheduled<unknown>) => void
  readonly policy: RetryPolicy
  attempts: number
  /** Failures other than 429 so far. */
  failures: number
  throttled: number
  notBefore: number
  lastError: unknown
  lastFailure: AttemptFailure | undefined
}

interface SpaceQueue {
  readonly space: string
  readonly tasks: Record<RequestKind, Task[]>
  readonly buckets: Record<RequestKind, Bucket>
  readonly learners: Record<RequestKind, RateLearner>
}

/** A second of burst: a lane may send one second's worth at once after idling (a per-second quota's window). */
const BURST_SECONDS = 1
/** The project's quotas are per minute: a minute's worth may go at once, as Google's bucket starts full. */
const ALLOWANCE_SECONDS = 60
/** Latencies kept to measure their spread. */
const MEASURED_LATENCIES = 20
/** How long ago a wait still counts as "this lane is the bottleneck". */
const SATURATION_WINDOW_MS = 1000
const ASSUMED_LATENCY_MS = 250
/** TCP's initial window (RFC 6928): what a burst may hold in flight before anything has been answered. */
const INITIAL_WINDOW = 10
/** Seconds of work a space must have waiting before its lane probes above its rate. */
const PROBE_BACKLOG_SECONDS = 4
const KINDS: readonly RequestKind[] = ['write', 'read']

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { clock } = options
  const rates = options.rates ?? DOCUMENTED_RATES
  const writeCap = options.maxWritesPerSecond ?? Number.POSITIVE_INFINITY
  const learner = (initial: number, cap = Number.POSITIVE_INFINITY): RateLearner =>
    createRateLearner({ ...DEFAULT_LEARNER_SHAPE, initialRate: Math.min(initial, cap), maxRate: cap })
  const projectLearners: Record<RequestKind, RateLearner> = {
    write: learner(rates.projectWrites, writeCap),
    read: learner(rates.projectReads),
  }
  /** What a new space starts from: the documented figure, then what earlier spaces learned. */
  const spacePrior: Record<RequestKind, { rate: number; namedLimit?: number }> = {
    write: { rate: Math.min(rates.spaceWrites, writeCap) },
    read: { rate: rates.spaceReads },
  }
  const newSpaceLearner = (kind: RequestKind): RateLearner => {
    const prior = spacePrior[kind]
    const created = learner(prior.rate, kind === 'write' ? writeCap : Number.POSITIVE_INFINITY)
    if (prior.namedLimit !== undefined) created.learnLimit(prior.namedLimit)
    return created
  }
  const newBucket = (lane: RateLearner, burstSeconds = BURST_SECONDS): Bucket => ({
    burstSeconds,
    allowanceEndedAt: Number.NEGATIVE_INFINITY,
    tokens: capacityOf(lane.rate(clock.now()), burstSeconds),
    updatedAt: clock.now(),
    pausedUntil: 0,
    blockedAt: Number.NEGATIVE_INFINITY,
    successes: [],
  })
  // A cap on writes is a promise to leave room for others: no minute's worth at once under --max-rate.
  const projectBuckets: Record<RequestKind, Bucket> = {
    write: newBucket(projectLearners.write, Number.isFinite(writeCap) ? BURST_SECONDS : ALLOWANCE_SECONDS),
    read: newBucket(projectLearners.read, ALLOWANCE_SECONDS),
  }
  const spaces = new Map<string, SpaceQueue>()
  /** Spaces with queued work, in turn order. */
  let turn: SpaceQueue[] = []
  let cursor = 0
  let inFlight = 0
  let queued = 0
  let sent = 0
  let throttled = 0
  let retried = 0
  let latencyMs = ASSUMED_LATENCY_MS
  /** Requests a burst may hold in flight: TCP's initial window, one more for each success until a 429. */
  let openingWindow = INITIAL_WINDOW
  const latencies: number[] = []
  /** How much sooner one request may reach the server than another, sent as long after the one before. */
  let latencySpreadMs = 0
  let budget = (options.retryBudget ?? DEFAULT_RETRY_BUDGET).maxTokens
  const budgetOptions = options.retryBudget ?? DEFAULT_RETRY_BUDGET
  let answeredEver = false
  let unansweredInARow = 0
  let stopReason: { reason: unknown } | undefined
  let unreachable: unknown
  let cancelTimer: (() => void) | undefined
  let timerAt = Number.POSITIVE_INFINITY
  let waitingOnQuota = false

  /**
   * The rate a lane's bucket refills at. A server bucket of one token (a quota under 2 a second) takes a
   * request only a whole interval after the last one it took, and requests reach it after latencies that
   * differ: such a lane adds their spread to its interval, or every other request would be refused.
   */
  const paceOf = (lane: RateLearner, now: number): number => {
    const rate = lane.rate(now)
    return rate * BURST_SECONDS >= 2 ? rate : 1000 / (1000 / rate + latencySpreadMs)
  }
  /** Brings the bucket up to now; returns the pace it refills at. */
  const refill = (bucket: Bucket, lane: RateLearner, now: number): number => {
    const pace = paceOf(lane, now)
    const capacity = capacityOf(lane.rate(now), bucket.burstSeconds)
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * pace)
    bucket.updatedAt = now
    return pace
  }
  /** When `bucket` will hold a token (now, if it does). */
  const readyAt = (bucket: Bucket, lane: RateLearner, now: number): number => {
    const pace = refill(bucket, lane, now)
    const paused = Math.max(now, bucket.pausedUntil)
    if (bucket.tokens >= 1) return paused
    return Math.max(paused, now + ((1 - bucket.tokens) / pace) * 1000)
  }
  /** Work of each kind queued or in flight: only lanes in use count towards Little's law. */
  const active: Record<RequestKind, number> = { read: 0, write: 0 }
  /**
   * The rate requests can go out at now, for Little's law: the project's rate, or more while its bucket still
   * holds a burst, up to what the spaces with work allow together.
   */
  const allowedRate = (kind: RequestKind, now: number): number => {
    if (active[kind] === 0) return 0
    const projectRate = projectLearners[kind].rate(now)
    if (projectBuckets[kind].tokens < 1) return projectRate
    let spacesAllow = 0
    for (const queue of turn) if (queue.tasks[kind].length > 0) spacesAllow += queue.learners[kind].rate(now)
    return Math.max(projectRate, spacesAllow)
  }
  const inFlightLimit = (now: number): number => {
    const allowed = KINDS.reduce((sum, kind) => sum + allowedRate(kind, now), 0)
    const littles = Math.ceil(allowed * (latencyMs / 1000) * 2) + 2
    // A burst is what the buckets allow at once: the spaces' first requests may go together, as Little's law
    // at the steady rate would not let them, within a window that grows as TCP's does while nothing is refused.
    const burst = Math.min(turn.length, openingWindow)
    return Math.max(1, Math.min(options.maxInFlight ?? 64, Math.max(littles, burst)))
  }

  const queueOf = (space: string): SpaceQueue => {
    let queue = spaces.get(space)
    if (queue === undefined) {
      const learners = { write: newSpaceLearner('write'), read: newSpaceLearner('read') }
      queue = {
        space,
        tasks: { read: [], write: [] },
        learners,
        buckets: { write: newBucket(learners.write), read: newBucket(learners.read) },
      }
      spaces.set(space, queue)
    }
    return queue
  }

  const finish = (task: Task, outcome: ScheduledOutcome<unknown>): void => {
    active[task.request.kind] -= 1
    task.resolve({ attempts: task.attempts, throttled: task.throttled, outcome })
  }

  const failQueued = (reason: 'stopped' | 'unreachable', error: unknown): void => {
    for (const queue of turn) {
      for (const task of [...queue.tasks.write.splice(0), ...queue.tasks.read.splice(0)]) {
        queued -= 1
        finish(task, { ok: false, error: task.lastError ?? error, reason, failure: task.lastFailure })
      }
    }
    turn = []
  }

  /** The first task of one kind in a queue that may go now, or when the next one could. */
  const firstReady = (queue: SpaceQueue, kind: RequestKind, now: number): { index: number } | { at: number } => {
    const tasks = queue.tasks[kind]
    if (tasks.length === 0) return { at: Number.POSITIVE_INFINITY }
    const spaceReady = readyAt(queue.buckets[kind], queue.learners[kind], now)
    const projectReady = readyAt(projectBuckets[kind], projectLearners[kind], now)
    const laneReady = Math.max(spaceReady, projectReady)
    if (laneReady > now) {
      // Work is waiting on a quota lane: that lane is the bottleneck, which lets its learner grow.
      if ((tasks[0] as Task).notBefore <= now) {
        if (spaceReady > now) queue.buckets[kind].blockedAt = now
        if (projectReady > now) projectBuckets[kind].blockedAt = now
        waitingOnQuota = true
      }
      return { at: laneReady }
    }
    let at = Number.POSITIVE_INFINITY
    for (let index = 0; index < tasks.length; index += 1) {
      const notBefore = (tasks[index] as Task).notBefore
      if (notBefore <= now) return { index }
      at = Math.min(at, notBefore)
    }
    return { at }
  }

  /** Seconds the work queued in a space takes at its lanes' paces. */
  const secondsOfWork = (queue: SpaceQueue, now: number): number =>
    KINDS.reduce((sum, kind) => sum + queue.tasks[kind].length / paceOf(queue.learners[kind], now), 0)

  /** Sends whatever may go now, then sleeps until the next thing could. */
  const pump = (): void => {
    if (stopReason !== undefined) return
    const now = clock.now()
    let next = Number.POSITIVE_INFINITY
    waitingOnQuota = false
    while (inFlight < inFlightLimit(now) && turn.length > 0) {
      let picked: { queue: SpaceQueue; kind: RequestKind; index: number; position: number; work: number } | undefined
      next = Number.POSITIVE_INFINITY
      for (let step = 0; step < turn.length; step += 1) {
        const position = (cursor + step) % turn.length
        const queue = turn[position] as SpaceQueue
        // Writes before reads when both may go: a write finishes work, a read only feeds more of it.
        for (const kind of KINDS) {
          const found = firstReady(queue, kind, now)
          if ('index' in found) {
            // Of the spaces that may go, the one with the most work left at its own pace: the run ends when
            // its slowest space does. Spaces with as much take turns.
            const work = secondsOfWork(queue, now)
            if (picked === undefined || work > picked.work) picked = { queue, kind, index: found.index, position, work }
            break
          }
          next = Math.min(next, found.at)
        }
      }
      if (picked === undefined) break
      const { queue } = picked
      const [task] = queue.tasks[picked.kind].splice(picked.index, 1) as [Task]
      if (queue.tasks.read.length === 0 && queue.tasks.write.length === 0) {
        turn.splice(picked.position, 1)
        cursor = picked.position < turn.length ? picked.position : 0
      } else cursor = (picked.position + 1) % turn.length
      queued -= 1
      start(task, queue, now)
    }
    if (turn.length > 0 && inFlight < inFlightLimit(now) && Number.isFinite(next)) arm(next)
  }

  const arm = (at: number): void => {
    if (at >= timerAt) return
    cancelTimer?.()
    timerAt = at
    cancelTimer = clock.setTimer(Math.max(0, at - clock.now()), () => {
      timerAt = Number.POSITIVE_INFINITY
      cancelTimer = undefined
      pump()
    })
  }

  const start = (task: Task, queue: SpaceQueue, now: number): void => {
    const { kind } = task.request
    queue.buckets[kind].tokens -= 1
    projectBuckets[kind].tokens -= 1
    inFlight += 1
    sent += 1
    task.attempts += 1
    const sentAt = now
    options.onEvent?.({ type: 'sent', request: task.request, attempt: task.attempts })
    task.send().then(
      value => {
        settle(task, queue, sentAt, { ok: true, value })
      },
      (error: unknown) => {
        settle(task, queue, sentAt, { ok: false, error })
      },
    )
  }

  const settle = (
    task: Task,
    queue: SpaceQueue,
    sentAt: number,
    result: { ok: true; value: unknown } | { ok: false; error: unknown },
  ): void => {
    inFlight -= 1
    const now = clock.now()
    const { kind } = task.request
    if (result.ok) {
      answered(now, sentAt)
      budget = Math.min(budgetOptions.maxTokens, budget + budgetOptions.tokenRatio)
      if (throttled === 0) openingWindow += 1
      for (const bucket of [queue.buckets[kind], projectBuckets[kind]]) {
        bucket.successes.push(now)
        if (bucket.successes.length > MEASURED_SUCCESSES) bucket.successes.shift()
      }
      // A lane probes above its rate only with enough work waiting to gain from it: a space with two writes
      // left would pay a 429 to save nothing.
      const worthProbing = (lane: RateLearner, backlog: number): boolean =>
        backlog >= Math.max(PROBE_BACKLOG_SECONDS, lane.rate(now) * PROBE_BACKLOG_SECONDS)
      queue.learners[kind].onSuccess(
        now,
        saturated(queue.buckets[kind], now) && worthProbing(queue.learners[kind], queue.tasks[kind].length),
      )
      projectLearners[kind].onSuccess(now, saturated(projectBuckets[kind], now))
      finish(task, { ok: true, value: result.value })
      pump()
      return
    }
    const failure = options.classify(result.error)
    task.lastError = result.error
    task.lastFailure = failure
    if (failure.status === undefined) unansweredInARow += 1
    else answered(now, sentAt)
    // Once Google has answered, losing it for a while is not the end; never having reached it is.
    const unreachableAfter = options.unreachableAfter ?? 8
    if (unansweredInARow >= (answeredEver ? unreachableAfter * 4 : unreachableAfter)) {
      unreachable = result.error
      finish(task, { ok: false, error: result.error, reason: 'unreachable', failure })
      stopReason = { reason: result.error }
      failQueued('unreachable', result.error)
      return
    }
    const decision = retryDecision(task, failure, queue, sentAt, now)
    if (!decision.retry) {
      finish(task, { ok: false, error: result.error, reason: decision.reason, failure })
      pump()
      return
    }
    if (stopReason !== undefined) {
      // It would have been tried again, but the run is stopping: not done, and not a failure of its own.
      finish(task, { ok: false, error: result.error, reason: 'stopped', failure })
      return
    }
    retried += 1
    options.onEvent?.({
      type: 'retry',
      request: task.request,
      failure,
      delayMs: decision.delayMs,
      attempt: task.attempts,
    })
    task.notBefore = now + decision.delayMs
    enqueue(task)
    pump()
  }

  const answered = (now: number, sentAt: number): void => {
    answeredEver = true
    unansweredInARow = 0
    // Little's law needs the time a request is in flight: a slow moving average of what was observed.
    const latency = Math.max(1, now - sentAt)
    latencyMs = latencyMs * 0.8 + latency * 0.2
    latencies.push(latency)
    if (latencies.length > MEASURED_LATENCIES) latencies.shift()
    if (latencies.length >= 5) latencySpreadMs = Math.max(...latencies) - Math.min(...latencies)
  }

  const retryDecision = (
    task: Task,
    failure: AttemptFailure,
    queue: SpaceQueue,
    sentAt: number,
    now: number,
  ): { retry: true; delayMs: number } | { retry: false; reason: 'failed' | 'budget' } => {
    if (failure.status === 429) {
      task.throttled += 1
      throttled += 1
      const { kind } = task.request
      const project = projectBuckets[kind]
      // A 429 that names no quota, once the project has drawn on its minute's allowance, most likely says
      // the allowance is not there: it ends, and no rate is cut for it, nor for the rest of that burst.
      const allowanceRefused =
        failure.quotaScope === undefined &&
        (sentAt < project.allowanceEndedAt || drewOnAllowance(project, projectLearners[kind], now))
      const scopes = allowanceRefused ? [] : scopesOf(failure, kind, queue, now)
      if ((allowanceRefused || scopes.includes('project')) && project.burstSeconds > BURST_SECONDS) {
        project.burstSeconds = BURST_SECONDS
        project.allowanceEndedAt = now
        project.tokens = Math.min(project.tokens, 0)
      }
      for (const scope of scopes) {
        const lane = scope === 'space' ? queue.learners[kind] : projectLearners[kind]
        const bucket = scope === 'space' ? queue.buckets[kind] : projectBuckets[kind]
        const measuredRate = measuredRateOf(bucket)
        const signal = {
          sentAt,
          ...(failure.quotaScope === scope &&
            failure.limitPerSecond !== undefined && { limitPerSecond: failure.limitPerSecond }),
          ...(measuredRate !== undefined && { measuredRate }),
        }
        if (lane.onThrottle(now, signal)) {
          const name: LaneName = `${scope} ${kind}s`
          options.onEvent?.({ type: 'rate', lane: name, space: queue.space, rate: lane.rate(now), reason: 'throttled' })
        }
        if (scope === 'space') teachOtherSpaces(kind, lane, signal.limitPerSecond)
        // The refused request's token was spent for nothing at the server: start the lane over, empty.
        bucket.tokens = Math.min(bucket.tokens, 0)
        if (failure.retryAfterMs !== undefined)
          bucket.pausedUntil = Math.max(bucket.pausedUntil, now + failure.retryAfterMs)
      }
      if (task.throttled >= (options.maxThrottledAttempts ?? 30)) return { retry: false, reason: 'failed' }
      // Pacing decides when it goes again; a server-named wait is honoured on the lane.
      return { retry: true, delayMs: 0 }
    }
    task.failures += 1
    const decision = decideRetry(failure, task.failures, task.policy, options.random)
    if (!decision.retry) return { retry: false, reason: 'failed' }
    if (budget - 1 < budgetOptions.maxTokens / 2) return { retry: false, reason: 'budget' }
    budget -= 1
    return decision
  }

  /** The space and time of the last 429 that named no quota. */
  let lastUnnamed: { space: string; at: number } | undefined
  /** When a 429 that named no quota was last put down to the project although a space was as likely. */
  let projectGuessedAt = Number.NEGATIVE_INFINITY
  /**
   * Which lane a 429 speaks of: the one the answer names; else the lane that was the bottleneck (requests were
   * waiting on it), since a lane with room to spare cannot be the one over its limit. When both were, the
   * project's, which every space shares, once a second at most (what else is refused in that second is most
   * likely the same overshoot), unless this space was refused just before: then the space's.
   */
  const scopesOf = (
    failure: AttemptFailure,
    kind: RequestKind,
    queue: SpaceQueue,
    now: number,
  ): readonly ('space' | 'project')[] => {
    if (failure.quotaScope !== undefined) return [failure.quotaScope]
    const previous = lastUnnamed
    lastUnnamed = { space: queue.space, at: now }
    const spaceBound = saturated(queue.buckets[kind], now)
    const projectBound = saturated(projectBuckets[kind], now)
    if (spaceBound && !projectBound) return ['space']
    if (projectBound && !spaceBound) return ['project']
    if (!spaceBound) return ['space', 'project']
    const againHere = previous?.space === queue.space && now - previous.at <= SATURATION_WINDOW_MS
    if (againHere) return ['space']
    // Others refused in the same second are most likely the same overshoot: one cut is enough.
    if (now - projectGuessedAt <= SATURATION_WINDOW_MS) return []
    projectGuessedAt = now
    return ['project']
  }

  /** Whether a lane holding more than a second's burst has spent more than a second's worth of it. */
  const drewOnAllowance = (bucket: Bucket, lane: RateLearner, now: number): boolean => {
    if (bucket.burstSeconds <= BURST_SECONDS) return false
    refill(bucket, lane, now)
    const rate = lane.rate(now)
    return bucket.tokens < capacityOf(rate, bucket.burstSeconds) - capacityOf(rate, BURST_SECONDS)
  }

  /** A space's lesson becomes where new spaces start; a named per-space limit holds for every space. */
  const teachOtherSpaces = (kind: RequestKind, taught: RateLearner, namedLimit: number | undefined): void => {
    const now = clock.now()
    spacePrior[kind] = {
      rate: taught.rate(now),
      ...(namedLimit !== undefined && { namedLimit }),
      ...(namedLimit === undefined &&
        spacePrior[kind].namedLimit !== undefined && { namedLimit: spacePrior[kind].namedLimit }),
    }
    if (namedLimit === undefined) return
    for (const queue of spaces.values())
      if (queue.learners[kind] !== taught) queue.learners[kind].learnLimit(namedLimit)
  }

  const enqueue = (task: Task): void => {
    const queue = queueOf(task.request.space)
    if (queue.tasks.read.length === 0 && queue.tasks.write.length === 0) turn.push(queue)
    queue.tasks[task.request.kind].push(task)
    queued += 1
  }

  return {
    submit<T>(request: ScheduledRequest, send: () => Promise<T>, submitted: SubmitOptions = {}): Promise<Scheduled<T>> {
      return new Promise<Scheduled<T>>(resolve => {
        const minAttempts = submitted.minAttempts ?? 0
        const task: Task = {
          request,
          send,
          resolve: resolve as (result: Scheduled<unknown>) => void,
          policy:
            options.retry.maxAttempts >= minAttempts ? options.retry : { ...options.retry, maxAttempts: minAttempts },
          attempts: 0,
          failures: 0,
          throttled: 0,
          notBefore: 0,
          lastError: undefined,
          lastFailure: undefined,
        }
        active[request.kind] += 1
        if (stopReason !== undefined) {
          finish(task, {
            ok: false,
            error: unreachable ?? stopReason.reason,
            reason: unreachable === undefined ? 'stopped' : 'unreachable',
            failure: undefined,
          })
          return
        }
        enqueue(task)
        pump()
      })
    },
    stop(reason) {
      if (stopReason !== undefined) return
      stopReason = { reason }
      cancelTimer?.()
      cancelTimer = undefined
      timerAt = Number.POSITIVE_INFINITY
      failQueued('stopped', reason)
    },
    get stopped() {
      return stopReason !== undefined
    },
    get unreachable() {
      return unreachable
    },
    stats() {
      const now = clock.now()
      const laneRates = { read: projectLearners.read.rate(now), write: projectLearners.write.rate(now) }
      return { sent, throttled, retried, queued, inFlight, waitingOnQuota, rates: laneRates }
    },
  }
}

const MEASURED_SUCCESSES = 16

function saturated(bucket: Bucket, now: number): boolean {
  return now - bucket.blockedAt <= SATURATION_WINDOW_MS
}

/** Successes per second over the last few, when there are enough to tell. */
function measuredRateOf(bucket: Bucket): number | undefined {
  const { successes } = bucket
  if (successes.length < 4) return undefined
  const span = (successes.at(-1) as number) - (successes[0] as number)
  return span > 0 ? ((successes.length - 1) / span) * 1000 : undefined
}

/**
 * Seconds the writes take at `rates`, with a second's burst for each space and a minute's for the project:
 * what a confirmation prompt promises before the learner has learned anything.
 */
export function expectedWriteSeconds(writesPerSpace: readonly number[], rates: QuotaRates): number {
  let total = 0
  let slowestSpace = 0
  for (const writes of writesPerSpace) {
    total += writes
    const burst = capacityOf(rates.spaceWrites, BURST_SECONDS)
    slowestSpace = Math.max(slowestSpace, Math.max(0, writes - burst) / rates.spaceWrites)
  }
  const allowance = capacityOf(rates.projectWrites, ALLOWANCE_SECONDS)
  return Math.max(slowestSpace, Math.max(0, total - allowance) / rates.projectWrites)
}

function capacityOf(rate: number, burstSeconds: number): number {
  return Math.max(1, rate * burstSeconds)
}
