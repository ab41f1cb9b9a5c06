// Turns the credential options of a command into an authenticated client, and checks before the first
// request that the credentials can do what the run needs. Loads google-auth-library only when called,
// so importing this module (for its types) costs nothing.
import type { OAuth2Client } from 'google-auth-library'
import { ChatRoleError } from '../errors.js'
import type { TokenErrorTranslator } from './clients.js'
import { DEFAULT_PROFILE } from './config-paths.js'
import {
  describeCredentialSource,
  loginCommandFor,
  resolveCredentialSource,
  type CredentialSource,
  type SessionRequest,
} from './credential-source.js'
import { resolveEndpoints, type GoogleEndpoints } from './endpoints.js'
import { authErrorOf, type AuthErrorContext } from './errors.js'
import {
  missingScope,
  parseScopeList,
  SCOPES,
  serviceAccountScopes,
  shortScope,
  type Access,
  type Authority,
} from './scopes.js'

export type { SessionRequest } from './credential-source.js'

/** How requests are authorised, for error messages: app authentication can act only in spaces the app created. */
export type SessionMode = 'user' | 'admin' | 'app' | 'emulator-default'

/** What the credentials are, without a secret: for `auth status` and messages. */
export interface CredentialSummary {
  readonly source: 'profile' | 'adc' | 'key-file' | 'metadata' | 'emulator-default'
  readonly profile?: string
  readonly file?: string
  /** The account's email when recorded at sign-in (not the display text of Session.account). */
  readonly account?: string
  readonly serviceAccount?: string
  readonly impersonating?: string
  /** Scopes recorded at sign-in, if any. */
  readonly storedScopes?: readonly string[]
  readonly created?: string
}

export interface Session {
  readonly authClient: OAuth2Client
  readonly endpoints: GoogleEndpoints
  /** Who the run acts as, for messages. Never a secret. */
  readonly account: string
  readonly mode: SessionMode
  readonly credential: CredentialSummary
  /** What signs these credentials in again, for hints: `chat-role auth login --profile work --admin`. */
  readonly loginCommand: string
  /** Fails (exit 4) before the first request when the credentials cannot carry what the run needs. */
  assertScopes(access: 'read' | 'write'): Promise<void>
  /** Gets an access token (refreshing it when needed) and returns the scopes it carries. */
  grantedScopes(): Promise<readonly string[]>
  /**
   * The caller as Chat names people (`users/ID`), from tokeninfo's `sub`, so a run can keep the caller's own
   * role for last. Undefined for a Chat app, or when it cannot be known.
   */
  callerUser(): Promise<string | undefined>
}

export interface SessionHooks {
  /** Non-fatal notes; the caller routes them to stderr. */
  readonly warn?: (text: string) => void
  /**
   * For --verbose (reporter.debug): which credentials were chosen and why, and each new access token's
   * lifetime and scopes. Never a token, a refresh token, a key or a client secret.
   */
  readonly debug?: (text: string) => void
}

type Env = Readonly<Record<string, string | undefined>>

export async function openSession(request: SessionRequest, env: Env, hooks: SessionHooks = {}): Promise<Session> {
  const endpoints = resolveEndpoints(env)
  const source = await resolveCredentialSource(request, env)
  hooks.debug?.(describeCredentialSource(source, request, env))
  const authority: Authority = request.asApp ? 'app' : request.admin ? 'admin' : 'user'
  const context = errorContext(source, request)
  const translate: TokenErrorTranslator = (error, grant) => authErrorOf(error, { ...context, grant })
  const clients = await import('./clients.js')
  const options = { endpoints, translate }

  switch (source.kind) {
    case 'emulator-default': {
      const authClient = clients.createEmulatorDefaultClient(options)
      return createSession({
        authClient,
        endpoints,
        account: `the emulator's default caller (${source.origin})`,
        mode: 'emulator-default',
        credential: { source: 'emulator-default' },
        authority,
        context,
        debug: hooks.debug,
        scopes: async () => (await clients.tokenInfoOf(authClient))?.scopes,
      })
    }
    case 'profile':
    case 'adc-user': {
      const { credentials } = source
      const authClient = clients.createUserClient(credentials, options)
      return createSession({
        authClient,
        endpoints,
        account:
          credentials.account ??
          (source.kind === 'profile' ? `profile "${source.profile}"` : `the user in ${source.file}`),
        mode: authority === 'admin' ? 'admin' : 'user',
        credential: {
          source: source.kind === 'profile' ? 'profile' : 'adc',
          ...(source.kind === 'profile' && { profile: source.profile }),
          file: source.file,
          ...(credentials.account !== undefined && { account: credentials.account }),
          ...(credentials.scopes !== undefined && { storedScopes: credentials.scopes }),
          ...(credentials.created !== undefined && { created: credentials.created }),
        },
        authority,
        context,
        debug: hooks.debug,
        // The refresh answer names the scopes the token carries; the file's record and tokeninfo are fallbacks.
        scopes: async () => {
          const fromToken = parseScopeList(authClient.credentials.scope)
          if (fromToken.length > 0) return fromToken
          if (credentials.scopes !== undefined) return credentials.scopes
          return (await clients.tokenInfoOf(authClient))?.scopes
        },
      })
    }
    case 'service-account': {
      const scopes = serviceAccountScopes(authority, { spaces: request.spaces === true })
      const { key } = source
      return createSession({
        authClient: clients.createServiceAccountClient(key, scopes, request.impersonate, options),
        endpoints,
        account:
          request.impersonate !== undefined
            ? `${request.impersonate} (through ${key.clientEmail})`
            : `the Chat app of ${key.clientEmail}`,
        mode: authority,
        credential: {
          source: source.from === 'key-file' ? 'key-file' : 'adc',
          file: source.file,
          serviceAccount: key.clientEmail,
          ...(request.impersonate !== undefined && { impersonating: request.impersonate }),
        },
        authority,
        context,
        debug: hooks.debug,
        // A service-account token carries exactly the scopes asked for, or is refused.
        scopes: () => Promise.resolve(scopes),
      })
    }
    case 'metadata': {
      const scopes = serviceAccountScopes(authority)
      const authClient = clients.createMetadataClient(scopes, options)
      return createSession({
        authClient,
        endpoints,
        account: 'the Chat app of the Compute Engine service account',
        mode: 'app',
        credential: { source: 'metadata' },
        authority,
        context,
        debug: hooks.debug,
        scopes: async () => (await clients.tokenInfoOf(authClient))?.scopes,
      })
    }
  }
}

function errorContext(source: CredentialSource, request: SessionRequest): AuthErrorContext {
  switch (source.kind) {
    case 'profile':
      return {
        subject: `the sign-in for profile "${source.profile}"`,
        loginCommand: loginCommandFor(source.profile, loginFlagsFor(request, source.credentials.scopes)),
      }
    case 'adc-user':
      return {
        subject: `the sign-in in ${source.file} (GOOGLE_APPLICATION_CREDENTIALS)`,
        loginCommand: `${loginCommandFor(DEFAULT_PROFILE, loginFlagsFor(request, source.credentials.scopes))} and unset GOOGLE_APPLICATION_CREDENTIALS, or renew that file`,
      }
    case 'service-account':
      return {
        subject: `the service account ${source.key.clientEmail}`,
        loginCommand: 'chat-role auth login',
        serviceAccount: {
          clientEmail: source.key.clientEmail,
          ...(source.key.clientId !== undefined && { clientId: source.key.clientId }),
          ...(request.impersonate !== undefined && { subject: request.impersonate }),
          scopes: serviceAccountScopes(request.asApp ? 'app' : request.admin ? 'admin' : 'user', {
            spaces: request.spaces === true,
          }),
          file: source.file,
        },
      }
    case 'metadata':
      return { subject: 'the Compute Engine service account', loginCommand: 'chat-role auth login' }
    case 'emulator-default':
      return { subject: "the emulator's default caller", loginCommand: 'chat-role auth login' }
  }
}

interface SessionParts {
  readonly authClient: OAuth2Client
  readonly endpoints: GoogleEndpoints
  readonly account: string
  readonly mode: SessionMode
  readonly credential: CredentialSummary
  readonly authority: Authority
  readonly context: AuthErrorContext
  /** The scopes of the current token, once one was obtained; undefined when they cannot be known. */
  readonly scopes: () => Promise<readonly string[] | undefined>
  readonly debug: ((text: string) => void) | undefined
}

function createSession(parts: SessionParts): Session {
  let granted: Promise<readonly string[]> | undefined
  const checked = new Map<Access, Promise<void>>()
  const { debug } = parts
  if (debug !== undefined) {
    // Every new access token, at the start and at each refresh of a long run: its lifetime and scopes only.
    parts.authClient.on('tokens', (tokens: { expiry_date?: number | null; scope?: string | null }) => {
      const lifetime =
        typeof tokens.expiry_date === 'number'
          ? `, valid for ${Math.max(0, Math.round((tokens.expiry_date - Date.now()) / 1000))} s`
          : ''
      const scopes = parseScopeList(tokens.scope).map(shortScope)
      debug(
        `new access token for ${parts.context.subject}${lifetime}${scopes.length > 0 ? ` (${scopes.join(', ')})` : ''}`,
      )
    })
  }

  const grantedScopes = (): Promise<readonly string[]> => {
    granted ??= obtain().catch((error: unknown) => {
      granted = undefined
      throw error
    })
    return granted
  }
  const obtain = async (): Promise<readonly string[]> => {
    try {
      await parts.authClient.getAccessToken()
      return (await parts.scopes()) ?? []
    } catch (error) {
      throw authErrorOf(error, parts.context) ?? networkError(error)
    }
  }
  const check = async (access: Access): Promise<void> => {
    if (parts.mode === 'emulator-default') return
    const scopes = await grantedScopes()
    if (scopes.length === 0) return // unknown: let the API decide
    const missing = missingScope(scopes, parts.authority, access)
    if (missing === undefined) return
    const what =
      parts.authority === 'admin'
        ? 'Workspace administrator access'
        : access === 'write'
          ? 'changing memberships'
          : 'reading memberships'
    throw new ChatRoleError(
      'SCOPE_MISSING',
      `${parts.context.subject} does not allow ${what} (it lacks ${shortScope(missing)})`,
      {
        hint: `run ${parts.context.loginCommand}`,
      },
    )
  }

  return {
    authClient: parts.authClient,
    endpoints: parts.endpoints,
    account: parts.account,
    mode: parts.mode,
    credential: parts.credential,
    loginCommand: parts.context.loginCommand,
    grantedScopes,
    async callerUser() {
      if (parts.mode === 'app') return undefined
      try {
        await parts.authClient.getAccessToken()
        const { tokenInfoOf } = await import('./clients.js')
        const sub = (await tokenInfoOf(parts.authClient))?.sub
        return sub === undefined ? undefined : `users/${sub}`
      } catch {
        return undefined
      }
    },
    assertScopes(access) {
      let result = checked.get(access)
      if (result === undefined) {
        result = check(access)
        checked.set(access, result)
      }
      return result
    },
  }
}

/** A new sign-in keeps what the old one could do (admin, import) and adds what this run needs. */
function loginFlagsFor(
  request: SessionRequest,
  stored: readonly string[] | undefined,
): { admin: boolean; import: boolean } {
  return {
    admin: request.admin || (stored?.includes(SCOPES.adminMemberships) ?? false),
    import: stored?.includes(SCOPES.import) ?? false,
  }
}

function networkError(error: unknown): unknown {
  if (error instanceof ChatRoleError || typeof error !== 'object' || error === null) return error
  const code = (error as { code?: unknown }).code
  const status = (error as { status?: unknown }).status
  if (typeof status !== 'number' && typeof code !== 'string') return error
  if (typeof status === 'number') {
    return new ChatRoleError('UNAVAILABLE', `Google's sign-in service failed (HTTP ${status})`, {
      hint: 'run the command again later',
      cause: error,
    })
  }
  return new ChatRoleError('NETWORK', `cannot reach Google's sign-in service (${String(code)})`, {
    hint: 'check the network (and HTTPS_PROXY/NO_PROXY), then run the command again',
    cause: error,
  })
}
