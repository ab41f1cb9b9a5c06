// In-process emulator for the auth tests: the real Chat and OAuth sides on an ephemeral port, with a
// counter of token-endpoint requests (through the emulator's `oauth` seam) and helpers to mint
// credentials the way a browser sign-in or the Cloud console would.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js'
import { createOAuthService } from '../../src/emulator/oauth/service.js'
import { seed } from '../e2e/seed.js'

export const APP_SA = 'helper-bot@chat-role-test.iam.gserviceaccount.com'
export const DWD_SA = 'delegate@chat-role-test.iam.gserviceaccount.com'
export const BARE_SA = 'bare@chat-role-test.iam.gserviceaccount.com'

/** The e2e seed, plus service accounts and a space the Chat app created. */
export function authSeed(options: { bulkSpaces?: number; bulkMembers?: number } = {}) {
  const base = seed(options)
  return {
    ...base,
    spaces: [
      ...base.spaces,
      {
        id: 'AAAAappmade',
        displayName: 'Made by the app',
        spaceType: 'SPACE',
        createdBy: 'app-1',
        memberships: [
          { user: '100000000000000000001', role: 'ROLE_MANAGER' },
          { user: '100000000000000000002', role: 'ROLE_MEMBER' },
          { user: 'app-1', role: 'ROLE_MEMBER' },
        ],
      },
    ],
    serviceAccounts: [
      { clientEmail: APP_SA, appUser: 'app-1', domainWideDelegation: false },
      { clientEmail: DWD_SA, domainWideDelegation: true },
      { clientEmail: BARE_SA, domainWideDelegation: false },
    ],
  }
}

export interface TestEmulator {
  readonly emulator: Emulator
  readonly url: string
  readonly host: string
  /** Requests to /token since the start or the last reset. */
  tokenRequests(): number
  /** Every access and refresh token the emulator has handed out (for leak checks). */
  issuedTokens(): readonly string[]
  resetCounts(): void
  /** An access and refresh token for a seeded user, as if they had signed in. */
  mint(
    user: string,
    scopes: readonly string[],
    ttlSeconds?: number,
  ): Promise<{ access_token: string; refresh_token: string }>
  /** A Google-style service-account key file, written to a temp dir (mode 0600). */
  keyFile(clientEmail: string): Promise<string>
  revoke(token: string): Promise<number>
  /** POST /token with a refresh token: the HTTP status the emulator answers. */
  refreshStatus(refreshToken: string, clientId?: string): Promise<number>
  close(): Promise<void>
}

export async function startTestEmulator(
  options: Omit<EmulatorOptions, 'seed' | 'oauth'> & { seed?: unknown } = {},
): Promise<TestEmulator> {
  let tokenRequests = 0
  const issued = new Set<string>()
  const { seed: seedOption, ...rest } = options
  const emulator = await startEmulator({
    quotas: false,
    ...rest,
    seed: seedOption ?? authSeed(),
    oauth: (directory, oauthOptions) => {
      const service = createOAuthService(directory, oauthOptions)
      return {
        ...service,
        handle: (req, res, url, baseUrl) => {
          if (url.pathname === '/token') tokenRequests += 1
          if (url.pathname === '/token' || url.pathname === '/emulator/v1/tokens') {
            // Keep every token handed out, to prove later that the CLI never prints one.
            const end = res.end.bind(res) as (chunk?: unknown, ...more: unknown[]) => typeof res
            res.end = ((chunk?: unknown, ...more: unknown[]) => {
              if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) {
                try {
                  const body = JSON.parse(chunk.toString()) as { access_token?: string; refresh_token?: string }
                  if (body.access_token !== undefined) issued.add(body.access_token)
                  if (body.refresh_token !== undefined) issued.add(body.refresh_token)
                } catch {
                  // not JSON: nothing issued
                }
              }
              return end(chunk, ...more)
            }) as typeof res.end
          }
          return service.handle(req, res, url, baseUrl)
        },
      }
    },
  })
  const url = emulator.url
  const post = (path: string, body: string, type: string) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': type }, body })
  return {
    emulator,
    url,
    host: new URL(url).host,
    tokenRequests: () => tokenRequests,
    issuedTokens: () => [...issued],
    resetCounts: () => {
      tokenRequests = 0
    },
    async mint(user, scopes, ttlSeconds) {
      const response = await post(
        '/emulator/v1/tokens',
        JSON.stringify({ user, scopes, ...(ttlSeconds !== undefined && { ttlSeconds }) }),
        'application/json',
      )
      if (!response.ok) throw new Error(`mint: ${response.status} ${await response.text()}`)
      return (await response.json()) as { access_token: string; refresh_token: string }
    },
    async keyFile(clientEmail) {
      const response = await post(
        `/emulator/v1/service-accounts/${encodeURIComponent(clientEmail)}/keys`,
        '',
        'application/json',
      )
      if (!response.ok) throw new Error(`key: ${response.status} ${await response.text()}`)
      const file = join(mkdtempSync(join(tmpdir(), 'chat-role-key-')), 'key.json')
      writeFileSync(file, await response.text(), { mode: 0o600 })
      return file
    },
    async revoke(token) {
      return (await post('/revoke', new URLSearchParams({ token }).toString(), 'application/x-www-form-urlencoded'))
        .status
    },
    async refreshStatus(refreshToken, clientId = 'c') {
      const body = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: clientId,
        client_secret: 's',
      })
      return (await post('/token', body.toString(), 'application/x-www-form-urlencoded')).status
    },
    close: () => emulator.close(),
  }
}

/** A scrubbed environment pointing at the emulator: temp HOME and config folder, nothing else. */
export function testEnv(host: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'chat-role-auth-'))
  return {
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    METADATA_SERVER_DETECTION: 'none',
    ...(host !== undefined && { CHAT_EMULATOR_HOST: host }),
    ...extra,
  }
}
