// The seam between the emulator's Chat side (server, state, rules) and its OAuth side (oauth/service.ts):
// who a bearer token speaks for, and what the OAuth side needs to know about the seeded domain.

/** Who an access token acts as. */
export type Principal =
  | { readonly kind: 'user'; readonly userId: string; readonly viaServiceAccount?: string }
  | { readonly kind: 'app'; readonly appUserId: string; readonly serviceAccount: string }

/** What a valid access token grants. */
export interface Grant {
  readonly principal: Principal
  /** Full scope URLs, e.g. https://www.googleapis.com/auth/chat.memberships */
  readonly scopes: readonly string[]
  /** Epoch milliseconds; Infinity for the `owner` convenience token. */
  readonly expiresAt: number
}

/** The result of looking up a bearer token. */
export type TokenLookup =
  | { readonly ok: true; readonly grant: Grant }
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' | 'revoked' }

export interface DirectoryUser {
  readonly id: string
  readonly email?: string
  readonly displayName?: string
  readonly type: 'HUMAN' | 'BOT'
  readonly admin: boolean
}

export interface DirectoryServiceAccount {
  readonly clientEmail: string
  /** The BOT user this service account acts as under app authentication. */
  readonly appUser?: string
  /** Whether an admin granted it domain-wide delegation (JWT `sub` accepted). */
  readonly domainWideDelegation: boolean
}

/** Read-only view of the seeded domain that the Chat side hands to the OAuth side. */
export interface Directory {
  findUser(idOrEmail: string): DirectoryUser | undefined
  findServiceAccount(clientEmail: string): DirectoryServiceAccount | undefined
  readonly defaultCaller: string
}

export interface OAuthOptions {
  /** Lifetime of issued access tokens (--token-ttl), seconds. */
  readonly tokenTtlSeconds: number
  /** User who consents at the authorization endpoint when no login_hint names another (--consent-as). */
  readonly consentUser?: string
  /** Injectable clock, epoch ms. */
  readonly now?: () => number
}

/** Implemented in service.ts. */
export interface OAuthService {
  /** Handles OAuth and token-minting routes; resolves false when the path is not one of them. */
  handle(
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
    url: URL,
    baseUrl: string,
  ): Promise<boolean>
  /** Resolves a bearer token (`owner` is the default caller with every user scope). */
  authenticate(accessToken: string): TokenLookup
  /** Forget every issued token and key (POST /emulator/v1/reset). */
  reset(): void
}
