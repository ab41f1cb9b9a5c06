// The emulator's token registry: access tokens, refresh tokens, authorization codes and consents,
// all in memory, all on an injectable clock. Token values are opaque strings shaped like Google's
// (`ya29.…`, `1//…`, `4/…`); nothing here ever logs one.
//
// Dead entries are dropped so that a long run minting short-lived tokens stays small: revoked tokens
// and used codes at once, expired access tokens and codes by a sweep on issue that runs whenever the
// store has doubled since the last one (amortised O(1) per token). Access tokens and codes carry their
// expiry under an HMAC keyed per store (renewed by reset), so a dropped one still answers as it did:
// expired once past its expiry, otherwise revoked (or, for a code, used).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
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
  /** Access tokens minted from it and not yet dropped. */
  readonly accessTokens: Set<string>
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
  issueCode(record: Omit<AuthorizationCodeRecord, 'expiresAt'>): string
  /** Marks the code used (a code is burnt by its first redemption attempt, successful or not). */
  redeemCode(code: string): CodeRedemption
  /** Scopes the user granted the client so far (undefined: never consented, or consent revoked). */
  consentedScopes(consentKey: string): ReadonlySet<string> | undefined
  recordConsent(consentKey: string, scopes: readonly string[]): void
  /** How many entries the store holds (dead ones are dropped, see above). */
  size(): TokenStoreSize
  reset(): void
}

export interface TokenStoreSize {
  readonly accessTokens: number
  readonly refreshTokens: number
  readonly codes: number
  readonly consents: number
  /** Access tokens still listed under their refresh tokens. */
  readonly refreshLinks: number
}

export function consentKeyOf(userId: string, clientId: string): string {
  return `${userId}\u0000${clientId}`
}

function opaque(prefix: string, bytes: number): string {
  return prefix + randomBytes(bytes).toString('base64url')
}

const EXPIRY_BYTES = 8
const MAC_BYTES = 16
/** The store sweeps when it holds this many access tokens and codes, or twice as many as after the last sweep. */
const MIN_SWEEP_SIZE = 256

/** Opaque values that carry their expiry under an HMAC, so the store may forget them. */
function signedValues(secret: Buffer, prefix: string, randomLength: number) {
  const mac = (body: Buffer): Buffer =>
    createHmac('sha256', secret).update(prefix).update(body).digest().subarray(0, MAC_BYTES)
  return {
    mint(expiresAt: number): string {
      const body = Buffer.alloc(randomLength + EXPIRY_BYTES)
      randomBytes(randomLength).copy(body)
      body.writeDoubleBE(expiresAt, randomLength)
      return prefix + Buffer.concat([body, mac(body)]).toString('base64url')
    },
    /** The expiry (epoch ms) of a value this store minted since its last reset; undefined otherwise. */
    expiryOf(value: string): number | undefined {
      if (!value.startsWith(prefix)) return undefined
      const encoded = value.slice(prefix.length)
      const raw = Buffer.from(encoded, 'base64url')
      if (raw.length !== randomLength + EXPIRY_BYTES + MAC_BYTES || raw.toString('base64url') !== encoded) {
        return undefined
      }
      const body = raw.subarray(0, randomLength + EXPIRY_BYTES)
      if (!timingSafeEqual(raw.subarray(randomLength + EXPIRY_BYTES), mac(body))) return undefined
      return body.readDoubleBE(randomLength)
    },
  }
}

export function createTokenStore(now: () => number): TokenStore {
  const accessTokens = new Map<string, AccessTokenRecord>()
  const refreshTokens = new Map<string, RefreshTokenRecord>()
  const codes = new Map<string, AuthorizationCodeRecord>()
  const consents = new Map<string, Set<string>>()
  let accessValues = signedValues(randomBytes(32), 'ya29.a0', 72)
  let codeValues = signedValues(randomBytes(32), '4/0', 24)
  let sweepAt = MIN_SWEEP_SIZE

  function dropAccessToken(accessToken: string, record: AccessTokenRecord): void {
    accessTokens.delete(accessToken)
    if (record.refreshToken !== undefined) refreshTokens.get(record.refreshToken)?.accessTokens.delete(accessToken)
  }

  function revokeRefreshToken(refreshToken: string, record: RefreshTokenRecord): void {
    refreshTokens.delete(refreshToken)
    for (const accessToken of record.accessTokens) accessTokens.delete(accessToken)
    // Google forgets the grant: the next offline consent returns a refresh token again.
    if (record.consentKey !== undefined) consents.delete(record.consentKey)
  }

  /** Drops expired access tokens and codes once the store has doubled since the last sweep. */
  function sweepIfDue(): void {
    if (accessTokens.size + codes.size < sweepAt) return
    const at = now()
    for (const [accessToken, record] of accessTokens) if (at >= record.expiresAt) dropAccessToken(accessToken, record)
    for (const [code, record] of codes) if (at >= record.expiresAt) codes.delete(code)
    sweepAt = Math.max(MIN_SWEEP_SIZE, 2 * (accessTokens.size + codes.size))
  }

  return {
    mintAccessToken({ principal, scopes, clientId, ttlSeconds, refreshToken }) {
      sweepIfDue()
      const expiresAt = now() + ttlSeconds * 1000
      const accessToken = accessValues.mint(expiresAt)
      const record: AccessTokenRecord = {
        principal,
        scopes: [...scopes],
        clientId,
        expiresAt,
        accessType: refreshToken === undefined ? 'online' : 'offline',
        ...(refreshToken === undefined ? {} : { refreshToken }),
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
      })
      return refreshToken
    },

    lookupAccessToken(accessToken) {
      const record = accessTokens.get(accessToken)
      const expiresAt = record?.expiresAt ?? accessValues.expiryOf(accessToken)
      if (expiresAt === undefined) return { ok: false, reason: 'unknown' }
      if (now() >= expiresAt) return { ok: false, reason: 'expired' }
      // Minted here, unexpired, and dropped: revoked.
      if (!record) return { ok: false, reason: 'revoked' }
      return { ok: true, grant: { principal: record.principal, scopes: record.scopes, expiresAt: record.expiresAt } }
    },

    accessTokenRecord: accessToken => accessTokens.get(accessToken),

    liveRefreshToken: refreshToken => refreshTokens.get(refreshToken),

    revoke(token) {
      const refresh = refreshTokens.get(token)
      if (refresh) {
        revokeRefreshToken(token, refresh)
        return 'revoked'
      }
      const access = accessTokens.get(token)
      if (!access || now() >= access.expiresAt) return 'unknown'
      dropAccessToken(token, access)
      const parent = access.refreshToken === undefined ? undefined : refreshTokens.get(access.refreshToken)
      if (access.refreshToken !== undefined && parent) revokeRefreshToken(access.refreshToken, parent)
      return 'revoked'
    },

    issueCode(record) {
      sweepIfDue()
      const expiresAt = now() + CODE_TTL_MS
      const code = codeValues.mint(expiresAt)
      codes.set(code, { ...record, expiresAt })
      return code
    },

    redeemCode(code) {
      const record = codes.get(code)
      if (!record) {
        // A code minted here and dropped was redeemed before (or has expired and been swept).
        const expiresAt = codeValues.expiryOf(code)
        if (expiresAt === undefined) return { ok: false, reason: 'unknown' }
        return { ok: false, reason: now() >= expiresAt ? 'expired' : 'used' }
      }
      codes.delete(code)
      if (now() >= record.expiresAt) return { ok: false, reason: 'expired' }
      return { ok: true, record }
    },

    consentedScopes: consentKey => consents.get(consentKey),

    recordConsent(consentKey, scopes) {
      const granted = consents.get(consentKey) ?? new Set<string>()
      for (const scope of scopes) granted.add(scope)
      consents.set(consentKey, granted)
    },

    size() {
      let refreshLinks = 0
      for (const record of refreshTokens.values()) refreshLinks += record.accessTokens.size
      return {
        accessTokens: accessTokens.size,
        refreshTokens: refreshTokens.size,
        codes: codes.size,
        consents: consents.size,
        refreshLinks,
      }
    },

    reset() {
      accessTokens.clear()
      refreshTokens.clear()
      codes.clear()
      consents.clear()
      // Values minted before the reset no longer verify: they answer as unknown.
      accessValues = signedValues(randomBytes(32), 'ya29.a0', 72)
      codeValues = signedValues(randomBytes(32), '4/0', 24)
      sweepAt = MIN_SWEEP_SIZE
    },
  }
}
