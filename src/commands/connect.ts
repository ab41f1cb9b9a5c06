// Opens a session and the Chat API behind the scheduler: pacing, retries and error mapping that every API
// command shares. Imported lazily by actions; it pulls in the Google libraries.
import { openSession, type Session, type SessionRequest } from '../auth/session.js'
import { attemptFailureOf, toChatRoleError } from '../chat/errors.js'
import { createChatApi, type ChatApi, type ListPageRequest } from '../chat/memberships.js'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../core/backoff.js'
import type { MembershipSnapshot } from '../core/plan.js'
import {
  createScheduler,
  type Scheduled,
  type ScheduledRequest,
  type Scheduler,
  type SchedulerClock,
  type SchedulerEvent,
  type SubmitOptions,
} from '../core/scheduler.js'
import type { ChatRoleError } from '../errors.js'
import type { Io } from '../io.js'
import type { Reporter } from '../output/reporter.js'

export interface Connection {
  readonly session: Session
  readonly admin: boolean
  readonly scheduler: Scheduler
  /** One request, paced and retried by the scheduler. */
  send<T>(request: ScheduledRequest, call: (api: ChatApi) => Promise<T>, options?: SubmitOptions): Promise<Scheduled<T>>
  /** Reads every page of a space's memberships, handing each page over as it comes. */
  listAll(
    request: Omit<ListPageRequest, 'pageToken'>,
    onPage: (memberships: MembershipSnapshot[]) => void,
  ): Promise<ListOutcome>
  /** The sentence and hint for a failed request. */
  explain(error: unknown, subject: string, space: string, attempts: number): ChatRoleError
}

export type ListOutcome =
  | { readonly ok: true; readonly attempts: number }
  | { readonly ok: false; readonly error: unknown; readonly attempts: number }

export interface ConnectOptions {
  readonly maxAttempts?: number
  /** --concurrency: the most requests in flight; by default the scheduler chooses from rate and latency. */
  readonly maxInFlight?: number
  /** --max-rate, per minute: a cap on writes for admins who share the project's quota with other tools. */
  readonly maxWritesPerMinute?: number
  /** Aborting it stops the scheduler: nothing new starts, requests in flight settle. */
  readonly signal: AbortSignal
  readonly onEvent?: (event: SchedulerEvent) => void
}

const realClock: SchedulerClock = {
  now: Date.now,
  setTimer(ms, fire) {
    const timer = setTimeout(fire, ms)
    return () => {
      clearTimeout(timer)
    }
  },
}

export async function connect(
  request: SessionRequest,
  io: Io,
  reporter: Reporter,
  options: ConnectOptions,
): Promise<Connection> {
  const session = await openSession(request, io.env, {
    warn: text => {
      reporter.warn(text)
    },
    debug: text => {
      reporter.debug(text)
    },
  })
  reporter.debug(`acting as ${session.account}`)
  const api = createChatApi(session)
  const scheduler = createScheduler({
    clock: realClock,
    random: Math.random,
    retry: retryPolicyOf(options.maxAttempts, io.env),
    classify: attemptFailureOf,
    ...(options.maxInFlight !== undefined && { maxInFlight: options.maxInFlight }),
    ...(options.maxWritesPerMinute !== undefined && { maxWritesPerSecond: options.maxWritesPerMinute / 60 }),
    onEvent: event => {
      options.onEvent?.(event)
      describeEvent(event, reporter)
    },
  })
  const stop = (): void => {
    scheduler.stop(options.signal.reason)
  }
  if (options.signal.aborted) stop()
  else options.signal.addEventListener('abort', stop, { once: true })
  const send = <T>(
    paced: ScheduledRequest,
    call: (api: ChatApi) => Promise<T>,
    submitted?: SubmitOptions,
  ): Promise<Scheduled<T>> => scheduler.submit(paced, () => call(api), submitted)
  return {
    session,
    admin: request.admin,
    scheduler,
    send,
    async listAll(list, onPage) {
      let pageToken: string | undefined
      let attempts = 0
      do {
        const token = pageToken
        const page = await send({ space: list.space, kind: 'read', label: `${list.space} members` }, chat =>
          chat.listPage({ ...list, ...(token !== undefined && { pageToken: token }) }),
        )
        attempts += page.attempts
        if (!page.outcome.ok) return { ok: false, error: page.outcome.error, attempts }
        onPage(page.outcome.value.memberships)
        pageToken = page.outcome.value.nextPageToken
      } while (pageToken !== undefined && pageToken !== '' && !options.signal.aborted)
      return { ok: true, attempts }
    },
    explain: (error, subject, space, attempts) =>
      toChatRoleError(error, {
        subject,
        space,
        admin: request.admin,
        asApp: request.asApp,
        attempts,
        loginCommand: session.loginCommand,
      }),
  }
}

/** --verbose: each request as it goes out, each retry and why, each rate the learner settles on. */
function describeEvent(event: SchedulerEvent, reporter: Reporter): void {
  switch (event.type) {
    case 'sent':
      reporter.debug(`${event.request.kind} ${event.request.label ?? event.request.space} (attempt ${event.attempt})`)
      return
    case 'retry': {
      const why = event.failure.status === undefined ? 'no answer' : `HTTP ${event.failure.status}`
      const when = event.delayMs > 0 ? ` in ${(event.delayMs / 1000).toFixed(1)} s` : ' when the quota allows'
      reporter.debug(`${event.request.label ?? event.request.space}: ${why}; trying again${when}`)
      return
    }
    case 'rate':
      reporter.debug(`${event.lane} (${event.space}): refused for quota; now ${event.rate.toFixed(2)} requests/s`)
  }
}

/** CHAT_ROLE_BACKOFF_BASE_MS shortens waits for rehearsals against the emulator; Google wants the default. */
function retryPolicyOf(maxAttempts: number | undefined, env: Io['env']): RetryPolicy {
  const base = Number(env.CHAT_ROLE_BACKOFF_BASE_MS)
  return {
    ...DEFAULT_RETRY_POLICY,
    ...(maxAttempts !== undefined && { maxAttempts }),
    ...(Number.isFinite(base) && base > 0 && { baseDelayMs: base }),
  }
}
