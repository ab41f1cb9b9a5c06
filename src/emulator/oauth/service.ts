// Google's OAuth endpoints, emulated: the authorization endpoint, token, revoke and tokeninfo, plus the
// emulator's own routes to mint tokens for any seeded user, issue service-account keys and steer consent.
// Nothing here logs a token, a code or a key.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Directory, Grant, OAuthOptions, OAuthService, TokenLookup } from './contract.js'
import { handleAuthorize } from './authorization-endpoint.js'
import { findHuman, type OAuthContext } from './context.js'
import {
  BodyTooLargeError,
  bearerToken,
  isLoopbackAddress,
  parseParams,
  readBody,
  sendApiError,
  sendJson,
  sendMethodNotAllowed,
  sendOAuthError,
} from './http.js'
import { createServiceAccountKeys, serviceAccountClientId } from './keys.js'
import { EMAIL_SCOPE, parseScopes, USER_SCOPES } from './scopes.js'
import { handleToken } from './token-endpoint.js'
import { createTokenStore } from './token-store.js'

export { USER_SCOPES } from './scopes.js'

/** The convenience token that acts as the default caller with every user scope, forever. */
export const OWNER_TOKEN = 'owner'

/** Emulator paths for Google's OAuth URLs (the CLI rewrites Google's hosts to the emulator). */
export const OAUTH_PATHS = {
  /** https://accounts.google.com/o/oauth2/v2/auth (and the older /o/oauth2/auth) */
  authorize: ['/o/oauth2/v2/auth', '/o/oauth2/auth'],
  /** https://oauth2.googleapis.com/token */
  token: ['/token'],
  /** https://oauth2.googleapis.com/revoke (and accounts.google.com/o/oauth2/revoke) */
  revoke: ['/revoke', '/o/oauth2/revoke'],
  /** https://oauth2.googleapis.com/tokeninfo (and www.googleapis.com/oauth2/v3/tokeninfo) */
  tokenInfo: ['/tokeninfo', '/oauth2/v3/tokeninfo'],
} as const

/** Query parameters that carry secrets (google-auth-library revokes with ?token=; `access_token`, `oauth_token`
 * and `key` are standard parameters of every Google API). */
export const OAUTH_SECRET_PARAMS: ReadonlySet<string> = new Set([
  'token',
  'access_token',
  'refresh_token',
  'code',
  'code_verifier',
  'client_secret',
  'assertion',
  'oauth_token',
  'key',
])

/** A request's query for logs, with secret values replaced by "[redacted]". */
export function redactOAuthQuery(url: URL): Record<string, string> {
  return Object.fromEntries(
    [...url.searchParams].map(([key, value]) => [key, OAUTH_SECRET_PARAMS.has(key) ? '[redacted]' : value]),
  )
}

const MINT_PATH = '/emulator/v1/tokens'
const CONSENT_PATH = '/emulator/v1/consent'
const KEYS_PATH = /^\/emulator\/v1\/service-accounts\/([^/]+)\/keys$/

type Route = (req: IncomingMessage, res: ServerResponse, url: URL, baseUrl: string) => Promise<void> | void

export function createOAuthService(directory: Directory, options: OAuthOptions): OAuthService {
  const now = options.now ?? Date.now
  const context: OAuthContext = {
    directory,
    store: createTokenStore(now),
    keys: createServiceAccountKeys(),
    tokenTtlSeconds: options.tokenTtlSeconds,
    consent: { user: options.consentUser, deny: false },
    now,
  }

  function ownerGrant(): Grant {
    const userId = directory.findUser(directory.defaultCaller)?.id ?? directory.defaultCaller
    return { principal: { kind: 'user', userId }, scopes: USER_SCOPES, expiresAt: Infinity }
  }

  function authenticate(accessToken: string): TokenLookup {
    if (accessToken === OWNER_TOKEN) return { ok: true, grant: ownerGrant() }
    return context.store.lookupAccessToken(accessToken)
  }

  const routes = new Map<string, { readonly methods: readonly string[]; readonly route: Route }>()
  const add = (paths: readonly string[], methods: readonly string[], route: Route): void => {
    for (const path of paths) routes.set(path, { methods, route })
  }
  add(OAUTH_PATHS.authorize, ['GET'], (_req, res, url) => {
    handleAuthorize(context, res, url)
  })
  add(OAUTH_PATHS.token, ['POST'], async (req, res, _url, baseUrl) => {
    handleToken(context, req, res, await readBody(req), baseUrl)
  })
  add(OAUTH_PATHS.revoke, ['POST', 'GET'], async (req, res, url) => {
    await handleRevoke(context, req, res, url)
  })
  add(OAUTH_PATHS.tokenInfo, ['GET', 'POST'], async (req, res, url) => {
    await handleTokenInfo(context, req, res, url, authenticate)
  })
  add([MINT_PATH], ['POST'], async (req, res) => {
    await handleMint(context, req, res)
  })
  add([CONSENT_PATH], ['POST'], async (req, res) => {
    await handleConsent(context, req, res)
  })

  async function dispatch(req: IncomingMessage, res: ServerResponse, url: URL, baseUrl: string): Promise<boolean> {
    const method = req.method ?? 'GET'
    const entry = routes.get(url.pathname)
    if (entry) {
      if (!entry.methods.includes(method)) sendMethodNotAllowed(res, entry.methods)
      else await entry.route(req, res, url, baseUrl)
      return true
    }
    const keys = KEYS_PATH.exec(url.pathname)
    if (keys?.[1] !== undefined) {
      if (method !== 'POST') sendMethodNotAllowed(res, ['POST'])
      else await handleCreateKey(context, req, res, safeDecode(keys[1]))
      return true
    }
    return false
  }

  return {
    async handle(req, res, url, baseUrl) {
      try {
        return await dispatch(req, res, url, baseUrl)
      } catch (error) {
        if (!res.headersSent) {
          if (error instanceof BodyTooLargeError) sendApiError(res, 413, 'INVALID_ARGUMENT', error.message)
          else sendApiError(res, 500, 'INTERNAL', 'The emulator failed to handle this OAuth request.')
        } else {
          res.destroy()
        }
        return true
      }
    },
    authenticate,
    reset() {
      context.store.reset()
      context.keys.reset()
      context.consent.user = options.consentUser
      context.consent.deny = false
    },
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** POST /revoke?token=… or with `token` in a form body (GET too, as Google still answers it). */
async function handleRevoke(context: OAuthContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const body = req.method === 'POST' ? await readBody(req) : ''
  const token = url.searchParams.get('token') ?? parseParams(body, req.headers['content-type']).get('token')
  if (!token) {
    sendOAuthError(res, 400, 'invalid_request', 'Missing required parameter: token')
    return
  }
  if (token === OWNER_TOKEN || context.store.revoke(token) === 'unknown') {
    sendOAuthError(res, 400, 'invalid_token', 'Token expired or revoked')
    return
  }
  sendJson(res, 200, {})
}

/**
 * GET|POST /tokeninfo with `access_token` in the query or form body, or the token as a Bearer
 * header (google-auth-library's getTokenInfo). Numbers come back as strings, as Google sends them.
 */
async function handleTokenInfo(
  context: OAuthContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  authenticate: (accessToken: string) => TokenLookup,
): Promise<void> {
  const body = req.method === 'POST' ? await readBody(req) : ''
  const token =
    url.searchParams.get('access_token') ??
    parseParams(body, req.headers['content-type']).get('access_token') ??
    bearerToken(req)
  if (!token) {
    sendOAuthError(res, 400, 'invalid_request', 'Missing required parameter: access_token')
    return
  }
  const lookup = authenticate(token)
  if (!lookup.ok) {
    sendOAuthError(res, 400, 'invalid_token', 'Invalid Value')
    return
  }
  const { principal, scopes } = lookup.grant
  const nowMs = context.now()
  // The owner token never expires; report a year, as JSON has no Infinity.
  const expiresAt = Number.isFinite(lookup.grant.expiresAt) ? lookup.grant.expiresAt : nowMs + 365 * 24 * 3600 * 1000
  const record = context.store.accessTokenRecord(token)
  const clientId =
    record?.clientId ?? (principal.kind === 'app' ? serviceAccountClientId(principal.serviceAccount) : 'emulator-owner')
  const email =
    principal.kind === 'user'
      ? context.directory.findUser(principal.userId)?.email
      : context.directory.findServiceAccount(principal.serviceAccount)?.clientEmail
  const info: Record<string, string> = { azp: clientId, aud: clientId }
  if (principal.kind === 'user') info.sub = principal.userId.replace(/^users\//, '')
  info.scope = scopes.join(' ')
  info.exp = String(Math.floor(expiresAt / 1000))
  info.expires_in = String(Math.max(0, Math.floor((expiresAt - nowMs) / 1000)))
  if (email !== undefined && scopes.includes(EMAIL_SCOPE)) {
    info.email = email
    info.email_verified = 'true'
  }
  info.access_type = record?.accessType ?? 'online'
  sendJson(res, 200, info)
}

interface JsonObject {
  readonly [key: string]: unknown
}

async function readJsonObject(req: IncomingMessage, res: ServerResponse): Promise<JsonObject | undefined> {
  const body = await readBody(req)
  try {
    const value: unknown = body.trim() === '' ? {} : JSON.parse(body)
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as JsonObject
  } catch {
    // answered below
  }
  sendApiError(res, 400, 'INVALID_ARGUMENT', 'The request body must be a JSON object.')
  return undefined
}

/** The emulator's own routes act for anyone without a browser, so they answer loopback callers only. */
function refuseRemote(req: IncomingMessage, res: ServerResponse): boolean {
  if (isLoopbackAddress(req.socket.remoteAddress)) return false
  sendApiError(res, 403, 'PERMISSION_DENIED', 'The emulator mints tokens for loopback callers only.')
  return true
}

/**
 * POST /emulator/v1/tokens {"user", "scopes", "ttlSeconds"?, "clientId"?}: an access and a refresh
 * token for a seeded HUMAN user, as if they had consented in a browser.
 */
async function handleMint(context: OAuthContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (refuseRemote(req, res)) return
  const request = await readJsonObject(req, res)
  if (!request) return
  const { user: userName, scopes: scopeList, ttlSeconds, clientId } = request
  if (typeof userName !== 'string' || userName === '') {
    sendApiError(res, 400, 'INVALID_ARGUMENT', '"user" must be a seeded user\'s id or email.')
    return
  }
  const user = context.directory.findUser(userName)
  if (!user) {
    sendApiError(res, 404, 'NOT_FOUND', `No seeded user "${userName}".`)
    return
  }
  if (user.type !== 'HUMAN') {
    sendApiError(
      res,
      400,
      'INVALID_ARGUMENT',
      `User "${userName}" is a BOT; use a service-account key (app authentication).`,
    )
    return
  }
  const scopeInput =
    typeof scopeList === 'string'
      ? scopeList
      : Array.isArray(scopeList) && scopeList.every(item => typeof item === 'string')
        ? scopeList
        : undefined
  const parsed = scopeInput === undefined ? undefined : parseScopes(scopeInput, true)
  if (!parsed || parsed.scopes.length === 0 || parsed.unknown.length > 0) {
    const detail = parsed && parsed.unknown.length > 0 ? ` Unknown: ${parsed.unknown.join(', ')}.` : ''
    sendApiError(res, 400, 'INVALID_ARGUMENT', `"scopes" must be a non-empty list of known scopes.${detail}`)
    return
  }
  if (
    ttlSeconds !== undefined &&
    (typeof ttlSeconds !== 'number' || !Number.isInteger(ttlSeconds) || ttlSeconds <= 0)
  ) {
    sendApiError(res, 400, 'INVALID_ARGUMENT', '"ttlSeconds" must be a positive integer.')
    return
  }
  if (clientId !== undefined && (typeof clientId !== 'string' || clientId === '')) {
    sendApiError(res, 400, 'INVALID_ARGUMENT', '"clientId" must be a non-empty string.')
    return
  }
  const principal = { kind: 'user', userId: user.id } as const
  const ttl = ttlSeconds ?? context.tokenTtlSeconds
  const refreshToken = context.store.mintRefreshToken({
    principal,
    scopes: parsed.scopes,
    ...(clientId === undefined ? {} : { clientId }),
    ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
  })
  const { accessToken } = context.store.mintAccessToken({
    principal,
    scopes: parsed.scopes,
    clientId: clientId ?? 'emulator-minted',
    ttlSeconds: ttl,
    refreshToken,
  })
  sendJson(res, 200, {
    access_token: accessToken,
    refresh_token: refreshToken,
    expires_in: ttl,
    scope: parsed.scopes.join(' '),
    token_type: 'Bearer',
  })
}

/** POST /emulator/v1/consent {"deny"?: boolean, "user"?: id or email | null}: how the authorization endpoint consents. */
async function handleConsent(context: OAuthContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (refuseRemote(req, res)) return
  const request = await readJsonObject(req, res)
  if (!request) return
  const { deny, user } = request
  if (deny !== undefined && typeof deny !== 'boolean') {
    sendApiError(res, 400, 'INVALID_ARGUMENT', '"deny" must be true or false.')
    return
  }
  if (user !== undefined && user !== null && (typeof user !== 'string' || !findHuman(context, user))) {
    sendApiError(res, 400, 'INVALID_ARGUMENT', '"user" must name a seeded HUMAN user (id or email), or be null.')
    return
  }
  if (deny !== undefined) context.consent.deny = deny
  if (user !== undefined) context.consent.user = user ?? undefined
  const consentAs = context.consent.user ?? context.directory.defaultCaller
  sendJson(res, 200, { deny: context.consent.deny, user: findHuman(context, consentAs)?.id ?? consentAs })
}

/** POST /emulator/v1/service-accounts/{clientEmail}/keys: a new JSON key file for a seeded service account. */
async function handleCreateKey(
  context: OAuthContext,
  req: IncomingMessage,
  res: ServerResponse,
  clientEmail: string,
): Promise<void> {
  if (refuseRemote(req, res)) return
  await readBody(req)
  const account = context.directory.findServiceAccount(clientEmail)
  if (!account) {
    sendApiError(res, 404, 'NOT_FOUND', `Service account ${clientEmail} does not exist.`)
    return
  }
  sendJson(res, 200, await context.keys.create(account))
}
