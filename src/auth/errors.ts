// Failures of Google's token endpoint, as one sentence with a hint (exit 4). The lead's Chat error
// mapper calls `authErrorOf` first; each session's transporter calls it with its own context so a
// refresh that fails mid-run names the profile or service account. Never quotes a token.
import { ChatRoleError, type ErrorCode } from '../errors.js'
import { shortScope } from './scopes.js'

/** Which token request failed. */
export type GrantKind = 'refresh' | 'authorization-code' | 'service-account'

export interface AuthErrorContext {
  /** Who the credentials are, as the subject of a sentence: `the sign-in for profile "work"`. */
  readonly subject: string
  /** The command that fixes an expired sign-in: `chat-role auth login --profile work`. */
  readonly loginCommand: string
  readonly grant?: GrantKind
  readonly serviceAccount?: {
    readonly clientEmail: string
    readonly clientId?: string
    /** The user impersonated with domain-wide delegation. */
    readonly subject?: string
    readonly scopes: readonly string[]
    readonly file?: string
  }
}

const GENERIC: AuthErrorContext = { subject: 'the sign-in', loginCommand: 'chat-role auth login' }

const AUTH_CODES: ReadonlySet<ErrorCode> = new Set([
  'AUTH_REQUIRED',
  'AUTH_EXPIRED',
  'SCOPE_MISSING',
  'CHAT_APP_MISSING',
])

interface OAuthFailure {
  readonly error: string
  readonly description: string
}

/** The OAuth error of a token-endpoint answer (`{"error": "invalid_grant", ...}`), if that is what this is. */
export function oauthFailureOf(error: unknown): OAuthFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const data = (error as { response?: { data?: unknown } }).response?.data
  if (typeof data !== 'object' || data === null) return undefined
  const { error: code, error_description: description } = data as { error?: unknown; error_description?: unknown }
  if (typeof code !== 'string') return undefined
  return { error: code, description: typeof description === 'string' ? description : '' }
}

/** Which grant a failed token request was, from the parameter names it sent (values are never read). */
function grantOf(error: unknown): GrantKind | undefined {
  const data = (error as { config?: { data?: unknown } }).config?.data
  const has = (name: string): boolean =>
    data instanceof URLSearchParams ? data.has(name) : typeof data === 'object' && data !== null && name in data
  if (has('assertion')) return 'service-account'
  if (has('code')) return 'authorization-code'
  if (has('refresh_token')) return 'refresh'
  return undefined
}

/**
 * A ChatRoleError (exit 4) for a sign-in failure, or undefined when the error is something else
 * (a Chat API error, a network failure: those are the caller's).
 */
export function authErrorOf(error: unknown, context: AuthErrorContext = GENERIC): ChatRoleError | undefined {
  if (error instanceof ChatRoleError) return AUTH_CODES.has(error.code) ? error : undefined
  const failure = oauthFailureOf(error)
  if (failure === undefined) return undefined
  const grant = context.grant ?? grantOf(error) ?? (context.serviceAccount ? 'service-account' : 'refresh')
  switch (grant) {
    case 'service-account':
      return serviceAccountError(failure, context, error)
    case 'authorization-code':
      return authorizationCodeError(failure, context, error)
    case 'refresh':
      return refreshError(failure, context, error)
  }
}

function refreshError(failure: OAuthFailure, context: AuthErrorContext, cause: unknown): ChatRoleError {
  const hint = `run ${context.loginCommand}`
  switch (failure.error) {
    case 'invalid_grant':
      return new ChatRoleError('AUTH_EXPIRED', `${context.subject} has expired or was revoked`, { hint, cause })
    case 'invalid_client':
      return new ChatRoleError(
        'AUTH_EXPIRED',
        `Google no longer accepts the OAuth client of ${context.subject} (deleted, or its secret was reset)`,
        { hint: `download the Desktop client's JSON again, then ${hint} --client-secrets FILE`, cause },
      )
    case 'unauthorized_client':
      return new ChatRoleError(
        'AUTH_EXPIRED',
        `the OAuth client may not refresh ${context.subject} (it was issued to another client)`,
        {
          hint,
          cause,
        },
      )
    case 'invalid_scope':
      return new ChatRoleError('SCOPE_MISSING', `${context.subject} does not hold the scopes asked for`, {
        hint,
        cause,
      })
    default:
      return new ChatRoleError('AUTH_EXPIRED', `Google refused to refresh ${context.subject}: ${describe(failure)}`, {
        hint,
        cause,
      })
  }
}

function authorizationCodeError(failure: OAuthFailure, context: AuthErrorContext, cause: unknown): ChatRoleError {
  const hint = `run ${context.loginCommand} again`
  switch (failure.error) {
    case 'invalid_grant':
      return new ChatRoleError(
        'AUTH_REQUIRED',
        'Google did not accept the authorization code (it expired, was used already, or came from another sign-in); nothing was saved',
        { hint, cause },
      )
    case 'invalid_client':
    case 'unauthorized_client':
      return new ChatRoleError(
        'AUTH_REQUIRED',
        'Google does not accept this OAuth client (deleted, or a wrong secret); nothing was saved',
        {
          hint: "download the Desktop client's JSON again from Google Cloud console → APIs & Services → Credentials",
          cause,
        },
      )
    case 'redirect_uri_mismatch':
      return new ChatRoleError(
        'AUTH_REQUIRED',
        'the OAuth client does not accept a loopback redirect: it is not a "Desktop app" client',
        {
          hint: 'create an OAuth client ID of type "Desktop app" and sign in with its JSON',
          cause,
        },
      )
    default:
      return new ChatRoleError('AUTH_REQUIRED', `Google refused the sign-in: ${describe(failure)}; nothing was saved`, {
        hint,
        cause,
      })
  }
}

function serviceAccountError(failure: OAuthFailure, context: AuthErrorContext, cause: unknown): ChatRoleError {
  const account = context.serviceAccount
  const email = account?.clientEmail ?? 'the service account'
  const scopes = (account?.scopes ?? []).map(shortScope).join(', ') || 'the Chat scopes'
  const clientId = account?.clientId ?? `the client ID of ${email}`
  switch (failure.error) {
    case 'unauthorized_client':
      if (account?.subject !== undefined) {
        return new ChatRoleError(
          'SCOPE_MISSING',
          `${email} may not act as ${account.subject}: domain-wide delegation is not granted for ${scopes}`,
          {
            hint: `a super admin adds client ID ${clientId} with the scope(s) https://www.googleapis.com/auth/${scopes} in Admin console → Security → Access and data control → API controls → Manage domain-wide delegation`,
            cause,
          },
        )
      }
      return new ChatRoleError(
        'SCOPE_MISSING',
        `${email} may not act as a Chat app with ${scopes}${failure.description === '' ? '' : ` (${failure.description})`}`,
        {
          hint: 'configure the Chat app in the Cloud project of this service account and have a Workspace admin approve chat.app.memberships for it',
          cause,
        },
      )
    case 'invalid_grant':
      if (/email|user id/i.test(failure.description) && account?.subject !== undefined) {
        return new ChatRoleError('AUTH_REQUIRED', `Google knows no user ${account.subject} to act as`, {
          hint: '--impersonate takes the email of a user in the Workspace domain that granted domain-wide delegation',
          cause,
        })
      }
      if (/timeframe|iat|exp/i.test(failure.description)) {
        return new ChatRoleError(
          'AUTH_REQUIRED',
          "Google refused the service-account token request because this computer's clock is off",
          {
            hint: 'synchronise the clock (NTP) and run the command again',
            cause,
          },
        )
      }
      return new ChatRoleError(
        'AUTH_EXPIRED',
        `Google no longer accepts the key of ${email}${account?.file === undefined ? '' : ` in ${account.file}`} (deleted or disabled)`,
        {
          hint: 'create a new JSON key: Google Cloud console → IAM & Admin → Service accounts → Keys → Add key',
          cause,
        },
      )
    case 'invalid_scope':
      return new ChatRoleError('SCOPE_MISSING', `Google refused the scopes ${scopes} for ${email}`, {
        hint: 'check that the Google Chat API is enabled',
        cause,
      })
    default:
      return new ChatRoleError('AUTH_EXPIRED', `Google refused a token for ${email}: ${describe(failure)}`, {
        hint: 'check the service-account key and its permissions',
        cause,
      })
  }
}

function describe(failure: OAuthFailure): string {
  return failure.description === '' ? failure.error : `${failure.error} (${failure.description})`
}
