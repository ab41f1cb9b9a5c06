// Where every Google endpoint the CLI uses lives. CHAT_EMULATOR_HOST=host:port points all of them at the
// emulator; nothing else in the CLI knows it is talking to one. Requests whose URL is hard-coded in the
// Google libraries (the service-account token URL in gtoken) are rewritten by `emulatorUrlOf`, which the
// transporter of every auth client applies (see clients.ts).
export interface GoogleEndpoints {
  readonly chatRootUrl: string
  readonly authorizeUrl: string
  readonly tokenUrl: string
  readonly revokeUrl: string
  readonly tokenInfoUrl: string
  /** The emulator's origin when CHAT_EMULATOR_HOST is set. */
  readonly emulatorOrigin: string | undefined
}

export const GOOGLE_ENDPOINTS: GoogleEndpoints = {
  chatRootUrl: 'https://chat.googleapis.com/',
  authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenUrl: 'https://oauth2.googleapis.com/token',
  revokeUrl: 'https://oauth2.googleapis.com/revoke',
  tokenInfoUrl: 'https://oauth2.googleapis.com/tokeninfo',
  emulatorOrigin: undefined,
}

/** The Google origins the emulator stands in for. */
export const EMULATED_ORIGINS: readonly string[] = [
  'https://oauth2.googleapis.com',
  'https://chat.googleapis.com',
  'https://accounts.google.com',
]

export function resolveEndpoints(env: Readonly<Record<string, string | undefined>>): GoogleEndpoints {
  const host = env.CHAT_EMULATOR_HOST?.trim()
  if (host === undefined || host === '') return GOOGLE_ENDPOINTS
  const origin = `http://${host.replace(/^https?:\/\//, '').replace(/\/+$/, '')}`
  return {
    chatRootUrl: `${origin}/`,
    authorizeUrl: `${origin}/o/oauth2/v2/auth`,
    tokenUrl: `${origin}/token`,
    revokeUrl: `${origin}/revoke`,
    tokenInfoUrl: `${origin}/tokeninfo`,
    emulatorOrigin: origin,
  }
}

/** The same URL on the emulator when one is set and the URL is on a Google origin it emulates. */
export function emulatorUrlOf(url: URL, endpoints: GoogleEndpoints): URL | undefined {
  const origin = endpoints.emulatorOrigin
  if (origin === undefined || !EMULATED_ORIGINS.includes(url.origin)) return undefined
  return new URL(`${url.pathname}${url.search}`, origin)
}
