// The emulator's token registry: access tokens, refresh tokens, authorization codes and consents,
// all in memory, all on an injectable clock. Token values are opaque random strings shaped like
// Google's (`ya29.…`, `1//…`, `4/…`); nothing here ever logs one.
import { randomBytes } from 'node:crypto'
import type { Principal, TokenLookup } from './contract.js'

export interface AccessTokenRecord {
  readonly principal: Principal
  readonly scopes: readonly string[]
  /** The OAuth client (or service account client id) the token was issued to. */
  readonly clientId: string
  /** Epoch ms. */
  readonly expiresAt: number
  /** `offline` when a refresh token stands behind the token. */
  readonly accessType: 'online' | 'offline'
  /** The refresh token this access token was minted from, if any. */
  readonly refreshToken?: string
  revoked: boolean
}

export interface RefreshTokenRecord {
  readonly principal: Principal
  readonly scopes: readonly string[]
  /** Undefined for tokens minted by `/emulator/v1/tokens` without a clientId: any client may refresh them. */
  readonly clientId?: string
  /** Lifetime of the access tokens it mints; undefined means the emulator's --token-ttl. */
  readonly ttlSeconds?: number
  /** The consent (user + client) it belongs to, forgotten when the token is revoked. */
  readonly consentKey?: string
  readonly accessTokens: Set<string>
  revoked: boolean
}

export interface AuthorizationCodeRecord {
  readonly clientId: string
  /** Exactly as sent to the authorization endpoint; the token request must repeat it. */
  readonly redirectUri: string
  readonly userId: string
  readonly scopes: readonly string[]
  readonly codeChallenge?: string
  readonly accessType: 'online' | 'offline'
  /** Whether redeeming the code returns a refresh token (offline and consent was shown). */
  readonly issueRefreshToken: boolean
  readonly consentKey: string
  readonly expiresAt: number
  used: boolean
}

/** Authorization codes live ten minutes, as Google's do. */
export const CODE_TTL_MS = 10 * 60 * 1000

export interface MintedAccessToken {
  readonly accessToken: string
  readonly record: AccessTokenRecord
}

export type RevokeOutcome = 'revoked' | 'unknown'

export type CodeRedemption =
  | { readonly ok: true; readonly record: AuthorizationCodeRecord }
  | { readonly ok: false; readonly reason: 'unknown' | 'used' | 'expired' }

export interface TokenStore {
  mintAccessToken(input: {
    principal: Principal
    scopes: readonly string[]
    clientId: string
    ttlSeconds: number
    refreshToken?: string
  }): MintedAccessToken
  mintRefreshToken(input: {
    principal: Principal
    scopes: readonly string[]
    clientId?: string
    ttlSeconds?: number
    consentKey?: string
  }): string
  lookupAccessToken(accessToken: string): TokenLookup
  /** The access token's record whether or not it is still valid. */
  accessTokenRecord(accessToken: string): AccessTokenRecord | undefined
  /** A refresh token that is neither unknown nor revoked. */
  liveRefreshToken(refreshToken: string): RefreshTokenRecord | undefined
  /**
   * Revokes an access or refresh token. Revoking a refresh token kills every access token minted
   * from it; revoking an access token backed by a refresh token revokes that refresh token too
   * (Google: "If the token is an access token and it has a corresponding refresh token, the refresh
   * token will also be revoked."). Already revoked, expired or unknown tokens answer `unknown`.
   */
  revoke(token: string): RevokeOutcome
  issueCode(record: Omit<AuthorizationCodeRecord, 'used' | 'expiresAt'>): string
  /** Marks the code used (a code is burnt by its first redemption attempt, successful or not). */
  redeemCode(code: string): CodeRedemption
  /** Scopes the user granted the client so far (undefined: never consented, or consent revoked). */
  consentedScopes(consentKey: string): ReadonlySet<string> | undefined
  recordConsent(consentKey: string, scopes: readonly string[]): void
  reset(): void
}

export function consentKeyOf(userId: string, clientId: string): string {
  return `${userId}\u0000${clientId}`
}

function opaque(prefix: string, bytes: number): string {
  return prefix + randomBytes(bytes).toString('base64url')
}

export function createTokenStore(now: () => number): TokenStore {
  const accessTokens = new Map<string, AccessTokenRecord>()
  const refreshTokens = new Map<string, RefreshTokenRecord>()
  const codes = new Map<string, AuthorizationCodeRecord>()
  const consents = new Map<string, Set<string>>()

  function revokeRefreshToken(record: RefreshTokenRecord): void {
    record.revoked = true
    for (const accessToken of record.accessTokens) {
      const access = accessTokens.get(accessToken)
      if (access) access.revoked = true
    }
    // Google forgets the grant: the next offline consent returns a refresh token again.
    if (record.consentKey !== undefined) consents.delete(record.consentKey)
  }

  return {
    mintAccessToken({ principal, scopes, clientId, ttlSeconds, refreshToken }) {
      const accessToken = opaque('ya29.a0', 96)
      const record: AccessTokenRecord = {
        principal,
        scopes: [...scopes],
        clientId,
        expiresAt: now() + ttlSeconds * 1000,
        accessType: refreshToken === undefined ? 'online' : 'offline',
        ...(refreshToken === undefined ? {} : { refreshToken }),
        revoked: false,
      }
      accessTokens.set(accessToken, record)
      if (refreshToken !== undefined) refreshTokens.get(refreshToken)?.accessTokens.add(accessToken)
      return { accessToken, record }
    },

    mintRefreshToken({ principal, scopes, clientId, ttlSeconds, consentKey }) {
      const refreshToken = opaque('1//0', 72)
      refreshTokens.set(refreshToken, {
        principal,
        scopes: [...scopes],
        ...(clientId === undefined ? {} : { clientId }),
        ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
        ...(consentKey === undefined ? {} : { consentKey }),
        accessTokens: new Set(),
        revoked: false,
      })
      return refreshToken
    },

    lookupAccessToken(accessToken) {
      const record = accessTokens.get(accessToken)
      if (!record) return { ok: false, reason: 'unknown' }
      if (record.revoked) return { ok: false, reason: 'revoked' }
      if (now() >= record.expiresAt) return { ok: false, reason: 'expired' }
      return { ok: true, grant: { principal: record.principal, scopes: record.scopes, expiresAt: record.expiresAt } }
    },

    accessTokenRecord: accessToken => accessTokens.get(accessToken),

    liveRefreshToken(refreshToken) {
      const record = refreshTokens.get(refreshToken)
      return record && !record.revoked ? record : undefined
    },

    revoke(token) {
      const refresh = refreshTokens.get(token)
      if (refresh) {
        if (refresh.revoked) return 'unknown'
        revokeRefreshToken(refresh)
        return 'revoked'
      }
      const access = accessTokens.get(token)
      if (!access || access.revoked || now() >= access.expiresAt) return 'unknown'
      access.revoked = true
      const parent = access.refreshToken === undefined ? undefined : refreshTokens.get(access.refreshToken)
      if (parent && !parent.revoked) revokeRefreshToken(parent)
      return 'revoked'
    },

    issueCode(record) {
      const code = opaque('4/0', 48)
      codes.set(code, { ...record, expiresAt: now() + CODE_TTL_MS, used: false })
      return code
    },

    redeemCode(code) {
      const record = codes.get(code)
      if (!record) return { ok: false, reason: 'unknown' }
      if (record.used) return { ok: false, reason: 'used' }
      record.used = true
      if (now() >= record.expiresAt) return { ok: false, reason: 'expired' }
      return { ok: true, record }
    },

    consentedScopes: consentKey => consents.get(consentKey),

    recordConsent(consentKey, scopes) {
      const granted = consents.get(consentKey) ?? new Set<string>()
      for (const scope of scopes) granted.add(scope)
      consents.set(consentKey, granted)
    },

    reset() {
      accessTokens.clear()
      refreshTokens.clear()
      codes.clear()
      consents.clear()
    },
  }
}
