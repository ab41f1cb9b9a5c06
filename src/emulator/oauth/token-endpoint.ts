// The token endpoint (oauth2.googleapis.com/token): authorization_code, refresh_token and the
// service-account JWT bearer grant, with Google's response and error shapes.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Principal } from './contract.js'
import { findHuman, type OAuthContext } from './context.js'
import { parseJws, serviceAccountClientId } from './keys.js'
import { clientCredentials, parseParams, sendJson, sendOAuthError, type OAuthErrorCode } from './http.js'
import { coversScopes, parseScopes } from './scopes.js'

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
/** What gtoken puts in `aud`; Google also takes its older token URLs. */
const GOOGLE_TOKEN_AUDIENCES = [
  'https://oauth2.googleapis.com/token',
  'https://www.googleapis.com/oauth2/v4/token',
  'https://accounts.google.com/o/oauth2/token',
]
/** Google refuses assertions that live longer than an hour. */
const MAX_ASSERTION_LIFETIME_S = 3600
/** Clock skew tolerated on `iat` and `exp`. */
const CLOCK_SKEW_S = 300

const EXPIRED_OR_REVOKED = 'Token has been expired or revoked.'
const INVALID_JWT_SIGNATURE = 'Invalid JWT Signature.'
const JWT_TIMEFRAME =
  'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. ' +
  'Check your iat and exp values in the assertion and use a clock with skew to account for clock differences between systems.'
const DWD_REFUSED =
  'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.'

/** A refused token request: HTTP status, OAuth error code, description. */
class TokenError extends Error {
  readonly status: number
  readonly error: OAuthErrorCode
  constructor(status: number, error: OAuthErrorCode, description: string) {
    super(description)
    this.status = status
    this.error = error
  }
}

interface TokenResponse {
  readonly access_token: string
  readonly expires_in: number
  readonly refresh_token?: string
  readonly scope?: string
  readonly token_type: 'Bearer'
}

export function handleToken(
  context: OAuthContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  baseUrl: string,
): void {
  const params = parseParams(body, req.headers['content-type'])
  try {
    sendJson(res, 200, grant(context, req, params, baseUrl))
  } catch (error) {
    if (!(error instanceof TokenError)) throw error
    sendOAuthError(res, error.status, error.error, error.message)
  }
}

function grant(context: OAuthContext, req: IncomingMessage, params: URLSearchParams, baseUrl: string): TokenResponse {
  const grantType = params.get('grant_type') ?? ''
  switch (grantType) {
    case 'authorization_code':
      return authorizationCodeGrant(context, params, client(req, params))
    case 'refresh_token':
      return refreshTokenGrant(context, params, client(req, params))
    case JWT_BEARER_GRANT:
      return jwtBearerGrant(context, params, baseUrl)
    default:
      throw new TokenError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`)
  }
}

/** The authenticated client. Any id and secret pass (no clients are seeded), but both must be sent. */
function client(req: IncomingMessage, params: URLSearchParams): string {
  const credentials = clientCredentials(req, params)
  if (credentials.conflicting) throw new TokenError(401, 'invalid_client', 'Unauthorized')
  if (!credentials.clientId) {
    throw new TokenError(400, 'invalid_request', 'Could not determine client ID from request.')
  }
  if (!credentials.clientSecret) throw new TokenError(400, 'invalid_request', 'client_secret is missing.')
  return credentials.clientId
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name)
  if (!value) throw new TokenError(400, 'invalid_request', `Missing required parameter: ${name}`)
  return value
}

function codeChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url')
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

function authorizationCodeGrant(context: OAuthContext, params: URLSearchParams, clientId: string): TokenResponse {
  const code = required(params, 'code')
  const redirectUri = params.get('redirect_uri')
  if (!redirectUri) throw new TokenError(400, 'invalid_request', 'Missing parameter: redirect_uri')
  const redemption = context.store.redeemCode(code)
  if (!redemption.ok) {
    throw new TokenError(400, 'invalid_grant', redemption.reason === 'unknown' ? 'Malformed auth code.' : 'Bad Request')
  }
  const record = redemption.record
  if (record.clientId !== clientId) throw new TokenError(400, 'invalid_grant', 'Bad Request')
  if (record.redirectUri !== redirectUri) throw new TokenError(400, 'redirect_uri_mismatch', 'Bad Request')
  if (record.codeChallenge !== undefined) {
    const verifier = params.get('code_verifier')
    if (!verifier) throw new TokenError(400, 'invalid_grant', 'Missing code verifier.')
    if (!sameString(codeChallengeOf(verifier), record.codeChallenge)) {
      throw new TokenError(400, 'invalid_grant', 'Invalid code verifier.')
    }
  }
  const principal: Principal = { kind: 'user', userId: record.userId }
  const refreshToken = record.issueRefreshToken
    ? context.store.mintRefreshToken({ principal, scopes: record.scopes, clientId, consentKey: record.consentKey })
    : undefined
  const { accessToken } = context.store.mintAccessToken({
    principal,
    scopes: record.scopes,
    clientId,
    ttlSeconds: context.tokenTtlSeconds,
    ...(refreshToken === undefined ? {} : { refreshToken }),
  })
  return {
    access_token: accessToken,
    expires_in: context.tokenTtlSeconds,
    ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
    scope: record.scopes.join(' '),
    token_type: 'Bearer',
  }
}

function refreshTokenGrant(context: OAuthContext, params: URLSearchParams, clientId: string): TokenResponse {
  const refreshToken = required(params, 'refresh_token')
  const record = context.store.liveRefreshToken(refreshToken)
  if (!record) throw new TokenError(400, 'invalid_grant', EXPIRED_OR_REVOKED)
  if (record.clientId !== undefined && record.clientId !== clientId) {
    throw new TokenError(401, 'unauthorized_client', 'Unauthorized')
  }
  let scopes = record.scopes
  const requested = params.get('scope')
  if (requested) {
    const parsed = parseScopes(requested)
    if (parsed.unknown.length > 0 || !coversScopes(record.scopes, parsed.scopes)) {
      throw new TokenError(400, 'invalid_scope', 'Bad Request')
    }
    scopes = parsed.scopes
  }
  const ttlSeconds = record.ttlSeconds ?? context.tokenTtlSeconds
  const { accessToken } = context.store.mintAccessToken({
    principal: record.principal,
    scopes,
    clientId: record.clientId ?? clientId,
    ttlSeconds,
    refreshToken,
  })
  return { access_token: accessToken, expires_in: ttlSeconds, scope: scopes.join(' '), token_type: 'Bearer' }
}

function jwtBearerGrant(context: OAuthContext, params: URLSearchParams, baseUrl: string): TokenResponse {
  const jws = parseJws(required(params, 'assertion'))
  if (!jws) throw new TokenError(400, 'invalid_grant', INVALID_JWT_SIGNATURE)
  const { iss, sub, aud, iat, exp, scope } = jws.claims
  if (typeof iss !== 'string' || iss === '') throw new TokenError(400, 'invalid_grant', 'Invalid JWT: no issuer.')
  const account = context.directory.findServiceAccount(iss)
  if (!account) throw new TokenError(400, 'invalid_grant', 'Invalid grant: account not found')
  if (!context.keys.verifies(jws, account.clientEmail))
    throw new TokenError(400, 'invalid_grant', INVALID_JWT_SIGNATURE)

  const audiences = [...GOOGLE_TOKEN_AUDIENCES, new URL('/token', baseUrl).toString()]
  if (typeof aud !== 'string' || !audiences.includes(aud)) {
    throw new TokenError(
      400,
      'invalid_grant',
      `Invalid JWT: Failed audience check. The expected value was ${GOOGLE_TOKEN_AUDIENCES[0] ?? ''} but the JWT had ${String(aud)}.`,
    )
  }
  const nowSeconds = context.now() / 1000
  if (
    typeof iat !== 'number' ||
    typeof exp !== 'number' ||
    exp <= iat ||
    exp - iat > MAX_ASSERTION_LIFETIME_S ||
    iat > nowSeconds + CLOCK_SKEW_S ||
    exp < nowSeconds - CLOCK_SKEW_S
  ) {
    throw new TokenError(400, 'invalid_grant', JWT_TIMEFRAME)
  }
  const parsed = parseScopes(typeof scope === 'string' ? scope : '')
  if (parsed.scopes.length === 0 && parsed.unknown.length === 0) {
    throw new TokenError(400, 'invalid_scope', 'Empty or missing scope not allowed.')
  }
  if (parsed.unknown.length > 0) {
    throw new TokenError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.')
  }

  let principal: Principal
  if (sub !== undefined) {
    // Domain-wide delegation: the service account impersonates a user of the domain.
    if (typeof sub !== 'string' || sub === '') throw new TokenError(400, 'invalid_grant', 'Invalid email or User ID')
    if (!account.domainWideDelegation) throw new TokenError(401, 'unauthorized_client', DWD_REFUSED)
    const user = findHuman(context, sub)
    if (!user) throw new TokenError(400, 'invalid_grant', 'Invalid email or User ID')
    principal = { kind: 'user', userId: user.id, viaServiceAccount: account.clientEmail }
  } else {
    if (account.appUser === undefined) {
      throw new TokenError(
        401,
        'unauthorized_client',
        `Service account ${account.clientEmail} has no Chat app (seed an appUser for it to use app authentication).`,
      )
    }
    principal = { kind: 'app', appUserId: account.appUser, serviceAccount: account.clientEmail }
  }
  const { accessToken } = context.store.mintAccessToken({
    principal,
    scopes: parsed.scopes,
    clientId: serviceAccountClientId(account.clientEmail),
    ttlSeconds: context.tokenTtlSeconds,
  })
  return { access_token: accessToken, expires_in: context.tokenTtlSeconds, token_type: 'Bearer' }
}
