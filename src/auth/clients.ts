// Builds google-auth-library clients for every way chat-role signs in, all sharing one kind of
// transporter: a Gaxios (the one google-auth-library re-exports, so there is a single copy) that
// sends Google's hosts to the emulator when CHAT_EMULATOR_HOST is set and turns token-endpoint
// refusals into ChatRoleErrors that name the credentials. Never GoogleAuth.fromJSON (deprecated in v11).
import { Compute, gaxios, JWT, OAuth2Client, UserRefreshClient } from 'google-auth-library'
import type { ChatRoleError } from '../errors.js'
import type { AuthorizedUser, ServiceAccountKey } from './credential-files.js'
import { emulatorUrlOf, type GoogleEndpoints } from './endpoints.js'
import type { GrantKind } from './errors.js'

/** Turns a failed token request into a sentence, or leaves it (undefined). */
export type TokenErrorTranslator = (error: unknown, grant: GrantKind) => ChatRoleError | undefined

export interface ClientOptions {
  readonly endpoints: GoogleEndpoints
  readonly translate?: TokenErrorTranslator
}

const REQUEST_TIMEOUT_MS = 60_000

/** google-auth-library's default: refresh an access token 5 minutes before it expires. */
const DEFAULT_EAGER_REFRESH_MS = 5 * 60 * 1000

function grantOfRequest(options: gaxios.GaxiosOptions): GrantKind | undefined {
  const data = options.data
  if (!(data instanceof URLSearchParams)) return undefined
  if (data.has('assertion')) return 'service-account'
  if (data.has('code')) return 'authorization-code'
  if (data.has('refresh_token') && data.get('grant_type') === 'refresh_token') return 'refresh'
  return undefined
}

/** The transporter of every auth client (and so of every Chat API request made through it). */
export class SessionTransporter extends gaxios.Gaxios {
  readonly #translate: TokenErrorTranslator | undefined

  constructor(options: ClientOptions) {
    // No request may hang forever (gaxios has no default timeout); a request's own timeout wins.
    super({ timeout: REQUEST_TIMEOUT_MS })
    this.#translate = options.translate
    const { endpoints } = options
    if (endpoints.emulatorOrigin !== undefined) {
      const emulatorOrigin = endpoints.emulatorOrigin
      this.interceptors.request.add({
        resolved: config => {
          const target = emulatorUrlOf(config.url, endpoints)
          if (target !== undefined) config.url = target
          // The emulator is reached directly: a proxy chosen for Google's host must not carry it.
          if (config.url.origin === emulatorOrigin && config.agent?.constructor.name === 'HttpsProxyAgent')
            delete config.agent
          return Promise.resolve(config)
        },
      })
    }
  }

  override async request<T = ReturnType<JSON['parse']>>(options: gaxios.GaxiosOptions = {}): gaxios.GaxiosPromise<T> {
    const grant = grantOfRequest(options)
    try {
      return await super.request<T>(options)
    } catch (error) {
      const translated = grant === undefined ? undefined : this.#translate?.(error, grant)
      throw translated ?? error
    }
  }
}

function oauthEndpoints(endpoints: GoogleEndpoints) {
  return {
    oauth2AuthBaseUrl: endpoints.authorizeUrl,
    oauth2TokenUrl: endpoints.tokenUrl,
    oauth2RevokeUrl: endpoints.revokeUrl,
    tokenInfoUrl: endpoints.tokenInfoUrl,
  }
}

/**
 * Refresh ahead of expiry by a quarter of the token's lifetime, at most the library's 5 minutes: with
 * Google's 1-hour tokens nothing changes; with a short-lived token (the emulator's --token-ttl) a run
 * does not refresh before every request. Concurrent requests share one refresh (the library dedupes).
 */
function refreshAhead<T extends OAuth2Client>(client: T): T {
  client.on('tokens', (tokens: { expiry_date?: number | null }) => {
    if (typeof tokens.expiry_date !== 'number') return
    const lifetime = tokens.expiry_date - Date.now()
    client.eagerRefreshThresholdMillis = Math.max(0, Math.min(DEFAULT_EAGER_REFRESH_MS, Math.floor(lifetime / 4)))
  })
  return client
}

/**
 * JWT and Compute clients refresh without a refresh token, which bypasses the library's de-duplication
 * of concurrent refreshes (keyed by refresh token). The placeholder is what JWT.authorize() itself sets.
 */
function dedupeRefreshes<T extends OAuth2Client>(client: T): T {
  client.credentials = { ...client.credentials, refresh_token: 'jwt-placeholder' }
  return client
}

export function createUserClient(credentials: AuthorizedUser, options: ClientOptions): UserRefreshClient {
  return refreshAhead(
    new UserRefreshClient({
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      refreshToken: credentials.refreshToken,
      endpoints: oauthEndpoints(options.endpoints),
      transporter: new SessionTransporter(options),
      ...(credentials.quotaProjectId !== undefined && { quotaProjectId: credentials.quotaProjectId }),
    }),
  )
}

/** The client of a browser sign-in: generates the consent URL and exchanges the code. */
export function createLoginClient(
  client: { readonly clientId: string; readonly clientSecret: string },
  redirectUri: string,
  options: ClientOptions,
): OAuth2Client {
  return new OAuth2Client({
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    redirectUri,
    endpoints: oauthEndpoints(options.endpoints),
    transporter: new SessionTransporter(options),
  })
}

export function createServiceAccountClient(
  key: ServiceAccountKey,
  scopes: readonly string[],
  subject: string | undefined,
  options: ClientOptions,
): JWT {
  return refreshAhead(
    dedupeRefreshes(
      new JWT({
        email: key.clientEmail,
        key: key.privateKey,
        ...(key.privateKeyId !== undefined && { keyId: key.privateKeyId }),
        scopes: [...scopes],
        ...(subject !== undefined && { subject }),
        transporter: new SessionTransporter(options),
      }),
    ),
  )
}

/** The Compute Engine (metadata server) identity; only ever built when the user asked for it. */
export function createMetadataClient(scopes: readonly string[], options: ClientOptions): Compute {
  return refreshAhead(
    dedupeRefreshes(
      new Compute({
        scopes: [...scopes],
        endpoints: oauthEndpoints(options.endpoints),
        transporter: new SessionTransporter(options),
      }),
    ),
  )
}

/** The emulator's default caller: the bearer token `owner`, which never expires. */
export function createEmulatorDefaultClient(options: ClientOptions): OAuth2Client {
  const client = new OAuth2Client({
    endpoints: oauthEndpoints(options.endpoints),
    transporter: new SessionTransporter(options),
  })
  client.setCredentials({ access_token: 'owner' })
  return client
}

/**
 * Google's tokeninfo for the client's current access token (scopes; the email only for tokens with an
 * email scope, which chat-role does not ask for). Best effort: undefined when it cannot be had.
 */
export async function tokenInfoOf(
  client: OAuth2Client,
): Promise<{ scopes: string[]; email?: string; sub?: string } | undefined> {
  const token = client.credentials.access_token
  if (token == null) return undefined
  try {
    const info = await client.getTokenInfo(token)
    return {
      scopes: info.scopes,
      ...(info.email !== undefined && { email: info.email }),
      // The Google account id: the same id Chat uses in users/ID.
      ...(info.sub !== undefined && { sub: info.sub }),
    }
  } catch {
    return undefined
  }
}

/** Revokes a token at Google. The token goes in the form body, never in a URL that an error could print. */
export async function revokeToken(client: OAuth2Client, token: string): Promise<void> {
  await client.transporter.request({
    method: 'POST',
    url: client.endpoints.oauth2RevokeUrl.toString(),
    data: new URLSearchParams({ token }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    timeout: 15_000,
    retry: false,
  })
}
