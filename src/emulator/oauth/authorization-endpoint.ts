// The authorization endpoint (accounts.google.com/o/oauth2/v2/auth): validates the request the way
// Google does for a Desktop client, "consents" as the configured user and redirects to the loopback
// redirect URI with a code, or with an error.
import type { ServerResponse } from 'node:http'
import { findHuman, type OAuthContext } from './context.js'
import { redirect, sendErrorPage } from './http.js'
import { coversScopes, parseScopes } from './scopes.js'
import { consentKeyOf } from './token-store.js'

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]'])
const PROMPTS: ReadonlySet<string> = new Set(['none', 'consent', 'select_account'])
/** RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is 43 characters; the grammar allows up to 128. */
const CODE_CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/

/** Desktop clients may only redirect to a loopback address over http, on any port. */
export function isLoopbackRedirectUri(value: string): boolean {
  let uri: URL
  try {
    uri = new URL(value)
  } catch {
    return false
  }
  return uri.protocol === 'http:' && LOOPBACK_HOSTS.has(uri.hostname) && !uri.username && !uri.password && !uri.hash
}

/** The denial knob: a login_hint whose local part is `deny` (e.g. `deny@example.com`). */
export function isDenyHint(loginHint: string | undefined): boolean {
  const hint = loginHint?.trim().toLowerCase()
  return hint === 'deny' || hint?.startsWith('deny@') === true
}

interface RedirectError {
  readonly error: string
  readonly description?: string
}

export function handleAuthorize(context: OAuthContext, res: ServerResponse, url: URL): void {
  const params = url.searchParams
  const clientId = params.get('client_id')?.trim()
  if (!clientId) {
    sendErrorPage(res, 400, 'invalid_request', 'Missing required parameter: client_id')
    return
  }
  const redirectUri = params.get('redirect_uri')
  if (!redirectUri) {
    sendErrorPage(res, 400, 'invalid_request', 'Missing required parameter: redirect_uri')
    return
  }
  if (!isLoopbackRedirectUri(redirectUri)) {
    sendErrorPage(
      res,
      400,
      'redirect_uri_mismatch',
      `You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. ` +
        `redirect_uri=${redirectUri} is not a loopback address (http://127.0.0.1:PORT/, http://localhost:PORT/ or http://[::1]:PORT/).`,
    )
    return
  }

  const state = params.get('state') ?? undefined
  const fail = (failure: RedirectError): void => {
    const target = new URL(redirectUri)
    target.searchParams.set('error', failure.error)
    if (failure.description !== undefined) target.searchParams.set('error_description', failure.description)
    if (state !== undefined) target.searchParams.set('state', state)
    redirect(res, target.toString())
  }

  const failure = validate(params)
  if (failure) {
    fail(failure)
    return
  }
  const { scopes, unknown } = parseScopes(params.get('scope') ?? '')
  if (scopes.length === 0 && unknown.length === 0) {
    fail({ error: 'invalid_request', description: 'Missing required parameter: scope' })
    return
  }
  if (unknown.length > 0) {
    fail({
      error: 'invalid_scope',
      description: `Some requested scopes were invalid. {valid=[${scopes.join(', ')}], invalid=[${unknown.join(', ')}]}`,
    })
    return
  }

  const loginHint = params.get('login_hint') ?? undefined
  if (context.consent.deny || isDenyHint(loginHint)) {
    fail({ error: 'access_denied' })
    return
  }
  const consentAs = context.consent.user ?? context.directory.defaultCaller
  const user = (loginHint === undefined ? undefined : findHuman(context, loginHint)) ?? findHuman(context, consentAs)
  if (!user) {
    sendErrorPage(
      res,
      500,
      'emulator_misconfigured',
      `The consenting user "${consentAs}" is not a seeded HUMAN user; start the emulator with --consent-as <id or email>.`,
    )
    return
  }

  const prompts = new Set((params.get('prompt') ?? '').split(' ').filter(word => word !== ''))
  const consentKey = consentKeyOf(user.id, clientId)
  const earlier = context.store.consentedScopes(consentKey)
  const alreadyGranted = earlier !== undefined && coversScopes(earlier, scopes)
  if (prompts.has('none') && !alreadyGranted) {
    fail({ error: 'consent_required' })
    return
  }
  const consentShown = prompts.has('consent') || !alreadyGranted
  const granted =
    params.get('include_granted_scopes') === 'true' && earlier ? [...new Set([...earlier, ...scopes])] : scopes
  context.store.recordConsent(consentKey, scopes)

  const accessType = params.get('access_type') === 'offline' ? 'offline' : 'online'
  const codeChallenge = params.get('code_challenge') ?? undefined
  const code = context.store.issueCode({
    clientId,
    redirectUri,
    userId: user.id,
    scopes: granted,
    ...(codeChallenge === undefined ? {} : { codeChallenge }),
    accessType,
    // Google returns a refresh token on the consent that creates the grant, and on every prompt=consent.
    issueRefreshToken: accessType === 'offline' && consentShown,
    consentKey,
  })
  const target = new URL(redirectUri)
  if (state !== undefined) target.searchParams.set('state', state)
  target.searchParams.set('code', code)
  target.searchParams.set('scope', granted.join(' '))
  target.searchParams.set('authuser', '0')
  target.searchParams.set('prompt', consentShown ? 'consent' : 'none')
  redirect(res, target.toString())
}

/** Checks of the parameters other than scope, answered by redirecting with `error=`. */
function validate(params: URLSearchParams): RedirectError | undefined {
  const responseType = params.get('response_type')
  if (!responseType) return { error: 'invalid_request', description: 'Missing required parameter: response_type' }
  if (responseType !== 'code') {
    return { error: 'unsupported_response_type', description: `Invalid response_type: ${responseType}` }
  }
  const accessType = params.get('access_type')
  if (accessType !== null && accessType !== 'online' && accessType !== 'offline') {
    return { error: 'invalid_request', description: `Invalid access_type: ${accessType}` }
  }
  const prompts = (params.get('prompt') ?? '').split(' ').filter(word => word !== '')
  const badPrompt = prompts.find(word => !PROMPTS.has(word))
  if (badPrompt !== undefined) return { error: 'invalid_request', description: `Invalid prompt: ${badPrompt}` }
  if (prompts.includes('none') && prompts.length > 1) {
    return { error: 'invalid_request', description: 'prompt=none must not be combined with other values' }
  }
  const challenge = params.get('code_challenge')
  const method = params.get('code_challenge_method')
  if (challenge === null) {
    if (method !== null) return { error: 'invalid_request', description: 'Missing code_challenge.' }
    return undefined
  }
  if (method !== 'S256') {
    return {
      error: 'invalid_request',
      description: `code_challenge_method must be S256 (got ${method ?? 'none, which means plain'}); the emulator rejects plain.`,
    }
  }
  if (!CODE_CHALLENGE.test(challenge)) return { error: 'invalid_request', description: 'Invalid code_challenge.' }
  return undefined
}
