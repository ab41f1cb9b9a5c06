// Turns what the Chat API (through gaxios) throws into one plain sentence with a hint, and into what the
// retry logic needs: the HTTP status and any wait the server asked for.
import { authErrorOf } from '../auth/errors.js'
import { parseProtoDuration, parseRetryAfter, type AttemptFailure } from '../core/backoff.js'
import { ChatRoleError } from '../errors.js'

interface GoogleErrorDetail {
  readonly '@type'?: string
  readonly reason?: string
  readonly retryDelay?: unknown
  readonly metadata?: Readonly<Record<string, unknown>>
}

interface GoogleErrorBody {
  readonly error?: {
    readonly code?: number
    readonly message?: string
    readonly status?: string
    readonly details?: readonly GoogleErrorDetail[]
  }
}

/** The parts of a GaxiosError (or a fetch failure) we read; everything is optional because anything can be thrown. */
interface ThrownByClient {
  readonly status?: number
  readonly code?: string | number
  readonly message?: string
  readonly response?: { readonly status?: number; readonly data?: unknown; readonly headers?: unknown }
}

export interface ApiErrorInfo {
  readonly httpStatus: number | undefined
  /** Canonical google.rpc.Code name, e.g. PERMISSION_DENIED. */
  readonly status: string | undefined
  readonly message: string | undefined
  readonly reason: string | undefined
  readonly retryAfterMs: number | undefined
  /** A system error code for failures without a response (ECONNRESET, ETIMEDOUT, …). */
  readonly networkCode: string | undefined
  /** For a quota 429: which quota and its limit, as google.rpc.ErrorInfo names them. */
  readonly quota: QuotaNamed | undefined
}

export interface QuotaNamed {
  readonly scope: 'space' | 'project' | undefined
  readonly limitPerSecond: number | undefined
}

/**
 * Reads ErrorInfo's quota_limit ("WriteRequestsPerSecondPerSpace", "MembershipWriteRequestsPerMinutePerProject")
 * and quota_limit_value ("300"): which lane refused, and how fast it lets requests through.
 */
export function quotaNamedBy(metadata: Readonly<Record<string, unknown>> | undefined): QuotaNamed | undefined {
  const limitName = metadata?.quota_limit
  if (typeof limitName !== 'string') return undefined
  const scope = /PerSpace/i.test(limitName) ? 'space' : /PerProject/i.test(limitName) ? 'project' : undefined
  const value = Number(metadata?.quota_limit_value)
  const window = /PerMinute/i.test(limitName) ? 60 : /PerSecond/i.test(limitName) ? 1 : undefined
  const limitPerSecond = Number.isFinite(value) && value > 0 && window !== undefined ? value / window : undefined
  return { scope, limitPerSecond }
}

export function readApiError(error: unknown, nowMs: number = Date.now()): ApiErrorInfo {
  const thrown = (typeof error === 'object' && error !== null ? error : {}) as ThrownByClient
  const httpStatus = thrown.response?.status ?? thrown.status
  const body = (thrown.response?.data ?? {}) as GoogleErrorBody
  const details: readonly GoogleErrorDetail[] = Array.isArray(body.error?.details) ? body.error.details : []
  const reason = details.find(detail => detail.reason !== undefined)?.reason
  const retryInfo = details.find(detail => detail['@type']?.endsWith('google.rpc.RetryInfo') === true)
  const retryAfterMs =
    parseRetryAfter(headerOf(thrown.response?.headers, 'retry-after'), nowMs) ??
    parseProtoDuration(retryInfo?.retryDelay)
  return {
    httpStatus,
    status: body.error?.status,
    message: body.error?.message ?? (httpStatus === undefined ? thrown.message : undefined),
    reason,
    retryAfterMs,
    networkCode: httpStatus === undefined && typeof thrown.code === 'string' ? thrown.code : undefined,
    quota:
      httpStatus === 429 ? quotaNamedBy(details.find(detail => detail.metadata !== undefined)?.metadata) : undefined,
  }
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined
  if (typeof headers === 'object' && headers !== null) {
    const value = (headers as Record<string, unknown>)[name]
    return typeof value === 'string' ? value : undefined
  }
  return undefined
}

export function attemptFailureOf(error: unknown): AttemptFailure {
  if (authErrorOf(error) !== undefined) return { status: 400, retryAfterMs: undefined }
  const info = readApiError(error)
  return {
    status: info.httpStatus,
    retryAfterMs: info.retryAfterMs,
    ...(info.quota?.scope !== undefined && { quotaScope: info.quota.scope }),
    ...(info.quota?.limitPerSecond !== undefined && { limitPerSecond: info.quota.limitPerSecond }),
  }
}

export interface ErrorContext {
  /**
   * What the request was about, for the sentence: the space itself (`spaces/S`, equal to `space`: a listing
   * of its members), a membership name, or a phrase such as "this membership" when the line names it.
   */
  readonly subject: string
  /** `spaces/S` */
  readonly space: string
  readonly admin: boolean
  /** App authentication can only act in spaces the app created. */
  readonly asApp: boolean
  readonly attempts: number
  /** What signs the session in again (Session.loginCommand), so the hint names its profile. */
  readonly loginCommand?: string
}

const CHAT_APP_MISSING = /chat app not found/i
/** What Google says for every 404; it adds nothing to our sentence, unlike any other text. */
const GENERIC_NOT_FOUND = /^requested entity was not found\.?$/i

/** Where a space id is found, for hints: a user knows the space by its Chat URL. */
export const SPACE_ID_HINT = "find the space id in the space's Chat URL (after /room/ or #chat/space/)"

/** One sentence and a hint for a failed API call; never a stack trace, never a token. */
export function toChatRoleError(error: unknown, context: ErrorContext): ChatRoleError {
  if (error instanceof ChatRoleError) return error
  const authError = authErrorOf(error)
  if (authError !== undefined) return authError
  const info = readApiError(error)
  const api = info.message === undefined ? '' : `: ${info.message}`
  const loginHint = `run ${context.loginCommand ?? `chat-role auth login${context.admin ? ' --admin' : ''}`}`
  switch (info.httpStatus) {
    case undefined:
      return new ChatRoleError(
        'NETWORK',
        `no answer from Google Chat for ${context.subject} (${info.networkCode ?? info.message ?? 'network error'})`,
        {
          hint: 'check the network; running the same command again is safe: setting a role twice changes nothing',
          cause: error,
        },
      )
    case 401:
      return new ChatRoleError('AUTH_EXPIRED', 'Google Chat did not accept the sign-in', {
        hint: loginHint,
        cause: error,
      })
    case 403:
      if (info.reason === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT') {
        return new ChatRoleError(
          'SCOPE_MISSING',
          `the sign-in lacks the scope ${context.admin ? 'chat.admin.memberships' : 'chat.memberships'}`,
          {
            hint: loginHint,
            cause: error,
          },
        )
      }
      if (isAboutSpace(context)) {
        return new ChatRoleError('PERMISSION_DENIED', `not allowed to see the members of ${context.space}${api}`, {
          hint: context.asApp
            ? `the Chat app sees only spaces it is a member of; act as a user who is in ${context.space} instead`
            : context.admin
              ? 'your account needs the Workspace admin privilege "Manage Chat and spaces conversations"'
              : `only members of ${context.space} can list its members; a Workspace admin can use --admin`,
          cause: error,
        })
      }
      return new ChatRoleError('PERMISSION_DENIED', `not allowed to change ${context.subject}${api}`, {
        hint: context.asApp
          ? 'a Chat app can change roles only in spaces it created; act as a user instead'
          : context.admin
            ? 'your account needs the Workspace admin privilege "Manage Chat and spaces conversations"'
            : `only owners and managers of ${context.space} can change roles (managers cannot touch owners); a Workspace admin can use --admin`,
        cause: error,
      })
    case 404:
      if (CHAT_APP_MISSING.test(info.message ?? '')) {
        return new ChatRoleError(
          'CHAT_APP_MISSING',
          'Google Chat app not found for the Cloud project of this sign-in',
          {
            hint: 'enable the Google Chat API and configure a Chat app in that project (see the README, "Set up Google Cloud")',
            cause: error,
          },
        )
      }
      return notFound(info.message, context, error)
    case 429:
      return new ChatRoleError(
        'RATE_LIMITED',
        `Google Chat kept refusing ${context.subject} for quota after ${attemptsOf(context.attempts)}${api}`,
        {
          hint: "run the same command again later (what is done shows as unchanged), or cap the pace with --max-rate N writes a minute where other tools share the project's quota",
          cause: error,
        },
      )
    default:
      break
  }
  if (info.httpStatus >= 500) {
    return new ChatRoleError(
      'UNAVAILABLE',
      `Google Chat failed on ${context.subject} after ${attemptsOf(context.attempts)} (HTTP ${info.httpStatus})${api}`,
      {
        hint: 'run the same command again later; setting a role twice changes nothing',
        cause: error,
      },
    )
  }
  const code =
    info.status === 'FAILED_PRECONDITION'
      ? 'FAILED_PRECONDITION'
      : info.status === 'INVALID_ARGUMENT'
        ? 'INVALID_ARGUMENT'
        : 'API'
  const hint = hintForRefusal(info.message ?? '', context)
  return new ChatRoleError(code, `Google Chat refused ${context.subject}${api || ` (HTTP ${info.httpStatus})`}`, {
    ...(hint !== undefined && { hint }),
    cause: error,
  })
}

/** A request about the space itself (listing its members), rather than about one membership. */
function isAboutSpace(context: ErrorContext): boolean {
  return context.subject === context.space
}

/**
 * Not found: which thing, the likely reasons, and the next step, which is never the command that failed:
 * a missing space points at its Chat URL, a missing membership at listing the space's members.
 */
function notFound(message: string | undefined, context: ErrorContext, cause: unknown): ChatRoleError {
  const google = message === undefined || GENERIC_NOT_FOUND.test(message.trim()) ? '' : ` (Google Chat: ${message})`
  const { space } = context
  if (isAboutSpace(context)) {
    const why = context.admin
      ? 'was not found, even with admin access: the space id may be wrong, or the space was deleted'
      : context.asApp
        ? 'was not found: the space id may be wrong, or the Chat app is not a member of it'
        : 'was not found: the space id may be wrong, or you are not a member of it (with --admin, a Workspace admin sees every space)'
    return new ChatRoleError('NOT_FOUND', `${space} ${why}${google}`, { hint: SPACE_ID_HINT, cause })
  }
  const why = context.admin
    ? `no such member in ${space}, or no such space`
    : `no such member in ${space}, or you cannot see ${space}`
  return new ChatRoleError('NOT_FOUND', `${context.subject} was not found: ${why}${google}`, {
    hint: `see who is in the space with chat-role list ${space}${context.admin ? ' --admin' : ''}`,
    cause,
  })
}

function hintForRefusal(message: string, context: ErrorContext): string | undefined {
  if (/owner/i.test(message)) return `make someone else owner of ${context.space} first`
  if (/group chat|direct message|GROUP_CHAT|DIRECT_MESSAGE|spaceType/i.test(message)) {
    return 'group chats and direct messages have no roles: everyone is a member'
  }
  if (/invite/i.test(message)) return 'only joined members have roles; try again once they have joined'
  return undefined
}

/** "1 attempt", "6 attempts". */
function attemptsOf(count: number): string {
  return `${count} attempt${count === 1 ? '' : 's'}`
}
