// Opens a session and the Chat API behind one retrying, error-mapping front: what every API command shares.
// Imported lazily by actions; it pulls in the Google libraries.
import { setTimeout as sleep } from 'node:timers/promises'
import { openSession, type Session, type SessionRequest } from '../auth/session.js'
import { attemptFailureOf, toChatRoleError } from '../chat/errors.js'
import { createChatApi, type ChatApi, type ListPageRequest } from '../chat/memberships.js'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../core/backoff.js'
import type { PacedRequest, PacingPolicy } from '../core/bulk-runner.js'
import { createBackpressurePacing } from '../core/pacing.js'
import type { MembershipSnapshot } from '../core/plan.js'
import { withRetries, type Attempted, type RetryEnvironment } from '../core/retry.js'
import type { ChatRoleError } from '../errors.js'
import type { Io } from '../io.js'
import type { Reporter } from '../output/reporter.js'

export interface Connection {
  readonly session: Session
  readonly admin: boolean
  /** One request with pacing and retries. */
  send<T>(request: PacedRequest, call: (api: ChatApi) => Promise<T>): Promise<Attempted<T>>
  /** Reads every page of a space's memberships, handing each page over as it comes. */
  listAll(
    request: Omit<ListPageRequest, 'pageToken'>,
    onPage: (memberships: MembershipSnapshot[]) => void,
  ): Promise<ListOutcome>
  /** The sentence and hint for a failed request. */
  explain(error: unknown, subject: string, space: string, attempts: number): ChatRoleError
}

export type ListOutcome =
  { readonly ok: true } | { readonly ok: false; readonly error: unknown; readonly attempts: number }

export interface ConnectOptions {
  readonly maxAttempts?: number
  readonly pacing?: PacingPolicy
  /** Aborting it stops retries and pacing waits. */
  readonly signal: AbortSignal
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
  })
  reporter.debug(`acting as ${session.account}`)
  const api = createChatApi(session)
  const wait = (ms: number, signal: AbortSignal): Promise<void> => sleep(ms, undefined, { signal })
  const retryEnv: RetryEnvironment = {
    policy: retryPolicyOf(options.maxAttempts, io.env),
    pacing: options.pacing ?? createBackpressurePacing({ now: Date.now, sleep: wait }),
    sleep: wait,
    random: Math.random,
    signal: options.signal,
    classify: attemptFailureOf,
    onRetry: (paced, failure, delayMs, attempt) => {
      const why = failure.status === undefined ? 'no answer' : `HTTP ${failure.status}`
      reporter.debug(
        `${paced.kind} in ${paced.space}: ${why}; attempt ${attempt + 1} in ${(delayMs / 1000).toFixed(1)} s`,
      )
    },
  }
  const send = <T>(paced: PacedRequest, call: (api: ChatApi) => Promise<T>): Promise<Attempted<T>> =>
    withRetries(paced, () => call(api), retryEnv)
  return {
    session,
    admin: request.admin,
    send,
    async listAll(list, onPage) {
      let pageToken: string | undefined
      do {
        const token = pageToken
        const page = await send({ space: list.space, kind: 'read' }, chat =>
          chat.listPage({ ...list, ...(token !== undefined && { pageToken: token }) }),
        )
        if (!page.outcome.ok) return { ok: false, error: page.outcome.error, attempts: page.attempts }
        onPage(page.outcome.value.memberships)
        pageToken = page.outcome.value.nextPageToken
      } while (pageToken !== undefined && pageToken !== '' && !options.signal.aborted)
      return { ok: true }
    },
    explain: (error, subject, space, attempts) =>
      toChatRoleError(error, { subject, space, admin: request.admin, asApp: request.asApp, attempts }),
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
