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
  /** The membership or space the request was about, for the sentence. */
  readonly subject: string
  /** `spaces/S` */
  readonly space: string
  readonly admin: boolean
  /** App authentication can only act in spaces the app created. */
  readonly asApp: boolean
  readonly attempts: number
}

const CHAT_APP_MISSING = /chat app not found/i

/** One sentence and a hint for a failed API call; never a stack trace, never a token. */
export function toChatRoleError(error: unknown, context: ErrorContext): ChatRoleError {
  if (error instanceof ChatRoleError) return error
  const authError = authErrorOf(error)
  if (authError !== undefined) return authError
  const info = readApiError(error)
  const api = info.message === undefined ? '' : `: ${info.message}`
  const loginHint = `run chat-role auth login${context.admin ? ' --admin' : ''}`
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
      return new ChatRoleError('NOT_FOUND', `${context.subject} was not found${api}`, {
        hint: `check the name with chat-role list ${context.space}${context.admin ? ' --admin' : ''}; without --admin you only see spaces you are in`,
        cause: error,
      })
    case 429:
      return new ChatRoleError(
        'RATE_LIMITED',
        `Google Chat kept refusing ${context.subject} for quota after ${context.attempts} attempts${api}`,
        {
          hint: 'run the same command again later, or with a lower --concurrency; finished memberships will show as unchanged',
          cause: error,
        },
      )
    default:
      break
  }
  if (info.httpStatus >= 500) {
    return new ChatRoleError(
      'UNAVAILABLE',
      `Google Chat failed on ${context.subject} after ${context.attempts} attempts (HTTP ${info.httpStatus})${api}`,
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

function hintForRefusal(message: string, context: ErrorContext): string | undefined {
  if (/owner/i.test(message)) return `make someone else owner of ${context.space} first`
  if (/group chat|direct message|GROUP_CHAT|DIRECT_MESSAGE|spaceType/i.test(message)) {
    return 'group chats and direct messages have no roles: everyone is a member'
  }
  if (/invite/i.test(message)) return 'only joined members have roles; try again once they have joined'
  return undefined
}
