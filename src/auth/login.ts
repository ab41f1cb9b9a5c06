// `chat-role auth login`: the installed-app loopback flow (RFC 8252) on google-auth-library. A one-shot
// server on 127.0.0.1, `state` checked, PKCE S256, access_type=offline with prompt=consent so that a
// refresh token comes back even on a second sign-in. The consent URL is always printed; a browser is
// opened when one can be; the answer arrives by the loopback redirect or is pasted on stdin. A timeout,
// Ctrl-C or the end of stdin ends a forgotten flow; nothing is saved unless everything checked out.
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { CodeChallengeMethod } from 'google-auth-library'
import { ChatRoleError } from '../errors.js'
import { authorizationCodeOf, belongsToSignIn, parseRedirect } from './authorization-response.js'
import { openBrowser as defaultOpenBrowser, type OpenResult } from './browser.js'
import { loadClientSecrets } from './client-secrets.js'
import { createLoginClient, revokeToken, tokenInfoOf } from './clients.js'
import { nonEmpty } from './config-paths.js'
import { saveStoredSignIn } from './credential-store.js'
import { loginCommandFor } from './credential-source.js'
import { resolveEndpoints } from './endpoints.js'
import { authErrorOf } from './errors.js'
import { startLoopbackServer } from './loopback-server.js'
import { loginScopes, parseScopeList, shortScope } from './scopes.js'

type Env = Readonly<Record<string, string | undefined>>

export interface LoginRequest {
  readonly profile: string
  readonly clientSecrets: { readonly path: string; readonly explicit: boolean }
  readonly admin: boolean
  readonly import: boolean
  /** False with --no-browser: print the URL and read the answer from stdin. */
  readonly browser: boolean
  /** --account: sent as login_hint and recorded when Google does not tell the account. */
  readonly account?: string
  readonly timeoutMs: number
  /** 0: any free port. */
  readonly port: number
}

export interface LoginEnvironment {
  readonly env: Env
  readonly stdin: Readable & { readonly isTTY?: boolean }
  readonly signal: AbortSignal
  /** Progress and instructions, to stderr. */
  readonly info: (text: string) => void
  readonly warn: (text: string) => void
  readonly openBrowser?: (url: string, env: Env, onFailure: (detail: string) => void) => Promise<OpenResult>
}

export interface LoginResult {
  readonly profile: string
  readonly account?: string
  readonly scopes: readonly string[]
  readonly file: string
  readonly created: string
}

export function isCi(env: Env): boolean {
  const ci = nonEmpty(env.CI)?.toLowerCase()
  return ci !== undefined && ci !== 'false' && ci !== '0'
}

/**
 * A browser sign-in needs someone at a terminal. Without a TTY on stdin, or under CI, it runs only when
 * told how to reach the browser: --no-browser (the answer is pasted on stdin) or an explicit BROWSER.
 */
export function checkCanSignIn(request: LoginRequest, env: Env, stdinIsTty: boolean): void {
  if (!request.browser || nonEmpty(env.BROWSER) !== undefined) return
  if (stdinIsTty && !isCi(env)) return
  throw new ChatRoleError(
    'AUTH_REQUIRED',
    `a browser sign-in needs a terminal, and ${isCi(env) ? 'CI is set' : 'stdin is not a terminal'}`,
    {
      hint:
        'sign in once on a terminal (or use --no-browser and paste the answer on stdin); ' +
        'unattended runs use that stored sign-in, GOOGLE_APPLICATION_CREDENTIALS, or a service-account key with --impersonate/--as-app',
    },
  )
}

export async function login(request: LoginRequest, environment: LoginEnvironment): Promise<LoginResult> {
  const { env, info, warn } = environment
  const stdinIsTty = environment.stdin.isTTY === true
  checkCanSignIn(request, env, stdinIsTty)
  const oauthClient = await loadClientSecrets(request.clientSecrets.path, request.clientSecrets.explicit)
  const scopes = loginScopes(request)
  const loginCommand = loginCommandFor(request.profile, request)
  const endpoints = resolveEndpoints(env)

  const state = randomBytes(32).toString('base64url')
  let warnedForeign = false
  const server = await startLoopbackServer({
    port: request.port,
    expectedState: state,
    // Any local process can reach the port; its answer is refused and the sign-in goes on waiting.
    onForeignAnswer: () => {
      if (warnedForeign) return
      warnedForeign = true
      warn(
        'the local sign-in server received an answer that does not belong to this sign-in (wrong state); ' +
          "it was refused, and chat-role is still waiting for Google's answer",
      )
    },
  })
  try {
    const client = createLoginClient(oauthClient, server.redirectUri, {
      endpoints,
      translate: (error, grant) => authErrorOf(error, { subject: 'the sign-in', loginCommand, grant }),
    })
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync()
    const url = client.generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      scope: scopes,
      state,
      code_challenge: codeChallenge,
      code_challenge_method: CodeChallengeMethod.S256,
      redirect_uri: server.redirectUri,
      ...(request.account !== undefined && { login_hint: request.account }),
    })

    const readsStdin = !request.browser || stdinIsTty
    if (request.browser) {
      info(`Opening Google's sign-in page in your browser. If it does not open, visit this address:\n\n  ${url}\n`)
      const open = environment.openBrowser ?? defaultOpenBrowser
      const opened = await open(url, env, detail => {
        warn(`the browser did not open (${detail}); open the address above yourself`)
      })
      if (!opened.opened) warn(`no browser could be started (${opened.detail}); open the address above yourself`)
    } else {
      info(`Open this address in a browser, on any device:\n\n  ${url}\n`)
    }
    if (readsStdin) {
      info(
        `After you allow access, the browser goes to ${server.redirectUri}?… ` +
          (request.browser
            ? 'and chat-role continues by itself. If that page cannot load (another device), '
            : '(that page may fail to load). ') +
          'paste its whole address here and press Enter.',
      )
    }
    info(`Waiting for the sign-in (at most ${describeSeconds(request.timeoutMs)}; Ctrl-C cancels)…`)

    const answer = await waitForAnswer(server.answer, {
      expectedState: state,
      timeoutMs: request.timeoutMs,
      signal: environment.signal,
      ...(readsStdin && { stdin: environment.stdin }),
      warn,
    })
    const code = authorizationCodeOf(answer, state)
    const { tokens } = await client.getToken({ code, codeVerifier, redirect_uri: server.redirectUri })
    client.setCredentials(tokens)

    const granted = parseScopeList(tokens.scope)
    const refused = granted.length === 0 ? [] : scopes.filter(scope => !granted.includes(scope))
    if (refused.length > 0) {
      await revokeQuietly(client, tokens.refresh_token ?? tokens.access_token)
      throw new ChatRoleError(
        'SCOPE_MISSING',
        `access to ${refused.map(shortScope).join(', ')} was not allowed on the consent page; nothing was saved`,
        {
          hint: `run ${loginCommand} again and allow every access it asks for`,
        },
      )
    }
    if (tokens.refresh_token == null || tokens.refresh_token === '') {
      throw new ChatRoleError(
        'AUTH_REQUIRED',
        'Google returned no refresh token, so the sign-in would not last beyond an hour; nothing was saved',
        {
          hint: `remove the app's access at https://myaccount.google.com/permissions, then run ${loginCommand} again`,
        },
      )
    }
    const account = (await tokenInfoOf(client))?.email ?? request.account
    const created = new Date().toISOString()
    const finalScopes = granted.length > 0 ? granted : scopes
    const file = await saveStoredSignIn(
      request.profile,
      {
        type: 'authorized_user',
        clientId: oauthClient.clientId,
        clientSecret: oauthClient.clientSecret,
        refreshToken: tokens.refresh_token,
        ...(account !== undefined && { account }),
        scopes: finalScopes,
        profile: request.profile,
        created,
      },
      env,
    )
    return { profile: request.profile, ...(account !== undefined && { account }), scopes: finalScopes, file, created }
  } finally {
    server.close()
  }
}

async function revokeQuietly(
  client: ReturnType<typeof createLoginClient>,
  token: string | null | undefined,
): Promise<void> {
  if (token == null) return
  try {
    await revokeToken(client, token)
  } catch {
    // The grant stays listed at myaccount.google.com/permissions; nothing else depends on it.
  }
}

function describeSeconds(ms: number): string {
  const seconds = ms / 1000
  if (seconds % 60 === 0 && seconds >= 60) return `${seconds / 60} minute${seconds === 60 ? '' : 's'}`
  return `${seconds} second${seconds === 1 ? '' : 's'}`
}

interface WaitOptions {
  readonly expectedState: string
  readonly timeoutMs: number
  readonly signal: AbortSignal
  readonly stdin?: Readable
  readonly warn: (text: string) => void
}

/**
 * The first of: the loopback answer, a pasted answer of this sign-in, the end of stdin, the timeout, Ctrl-C.
 * A pasted address of another sign-in (an older link) is refused with a warning, and the wait goes on.
 */
function waitForAnswer(loopback: Promise<URLSearchParams>, options: WaitOptions): Promise<URLSearchParams> {
  const cleanups: (() => void)[] = []
  return new Promise<URLSearchParams>((resolve, reject) => {
    if (options.signal.aborted) {
      reject(interrupted())
      return
    }
    void loopback.then(resolve)
    const timer = setTimeout(() => {
      reject(
        new ChatRoleError(
          'AUTH_REQUIRED',
          `no sign-in answer arrived within ${describeSeconds(options.timeoutMs)}; nothing was saved`,
          {
            hint: 'run chat-role auth login again (with --no-browser to paste the answer by hand)',
          },
        ),
      )
    }, options.timeoutMs)
    cleanups.push(() => {
      clearTimeout(timer)
    })
    const onAbort = (): void => {
      reject(interrupted())
    }
    options.signal.addEventListener('abort', onAbort, { once: true })
    cleanups.push(() => {
      options.signal.removeEventListener('abort', onAbort)
    })
    if (options.stdin !== undefined) {
      const lines = createInterface({ input: options.stdin, terminal: false })
      lines.on('line', line => {
        if (line.trim() === '') return
        const params = parseRedirect(line)
        if (params === undefined) {
          options.warn(
            "that is not the sign-in answer: paste the whole address from the browser's address bar (it has code= in it)",
          )
          return
        }
        if (!belongsToSignIn(params, options.expectedState)) {
          options.warn(
            'that address belongs to another sign-in (its state does not match): open the address printed above and paste where it lands',
          )
          return
        }
        resolve(params)
      })
      lines.once('close', () => {
        reject(
          new ChatRoleError('AUTH_REQUIRED', 'stdin ended before a sign-in answer was pasted; nothing was saved', {
            hint: 'run chat-role auth login again',
          }),
        )
      })
      cleanups.push(() => {
        lines.removeAllListeners('close')
        lines.close()
      })
    }
  }).finally(() => {
    for (const cleanup of cleanups) cleanup()
  })
}

function interrupted(): ChatRoleError {
  return new ChatRoleError('INTERRUPTED', 'sign-in cancelled; nothing was saved')
}
