// Small HTTP helpers for the OAuth side: bodies, client credentials and Google's answer shapes.
import type { IncomingMessage, ServerResponse } from 'node:http'

const MAX_BODY_BYTES = 64 * 1024

export class BodyTooLargeError extends Error {
  constructor() {
    super(`request body over ${MAX_BODY_BYTES} bytes`)
    this.name = 'BodyTooLargeError'
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    size += buffer.length
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError()
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Token-endpoint parameters: a form body as OAuth specifies, or a JSON object (Google accepts
 * both). Non-string JSON values are ignored.
 */
export function parseParams(body: string, contentType: string | undefined): URLSearchParams {
  if (contentType?.toLowerCase().includes('json')) {
    const params = new URLSearchParams()
    try {
      const value: unknown = JSON.parse(body)
      if (typeof value === 'object' && value !== null) {
        for (const [key, item] of Object.entries(value)) {
          if (typeof item === 'string') params.set(key, item)
        }
      }
    } catch {
      // An unparseable body carries no parameters; the endpoint reports what is missing.
    }
    return params
  }
  return new URLSearchParams(body)
}

export interface ClientCredentials {
  readonly clientId?: string
  readonly clientSecret?: string
  /** True when the Authorization header and the body named different clients. */
  readonly conflicting: boolean
}

/** Client authentication by HTTP Basic (RFC 6749 §2.3.1, form-encoded parts) or by body parameters. */
export function clientCredentials(req: IncomingMessage, params: URLSearchParams): ClientCredentials {
  const bodyId = params.get('client_id') ?? undefined
  const bodySecret = params.get('client_secret') ?? undefined
  const basic = parseBasic(req.headers.authorization)
  if (!basic) return { clientId: bodyId, clientSecret: bodySecret, conflicting: false }
  const conflicting = bodyId !== undefined && bodyId !== basic.clientId
  return { clientId: basic.clientId, clientSecret: basic.clientSecret, conflicting }
}

function parseBasic(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')
  if (!match?.[1]) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  try {
    const unescape = (part: string): string => decodeURIComponent(part.replace(/\+/g, ' '))
    return { clientId: unescape(decoded.slice(0, colon)), clientSecret: unescape(decoded.slice(colon + 1)) }
  } catch {
    return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) }
  }
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')
  return match?.[1]
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.')
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body, null, 2)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    // RFC 6749 §5.1: token responses must not be cached.
    'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
    pragma: 'no-cache',
    ...headers,
  })
  res.end(text)
}

/** The OAuth error codes Google's token, revoke and tokeninfo endpoints answer with. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'redirect_uri_mismatch'
  | 'invalid_token'

export function sendOAuthError(res: ServerResponse, status: number, error: OAuthErrorCode, description: string): void {
  sendJson(res, status, { error, error_description: description })
}

/** Google's JSON API error shape, for the emulator's own `/emulator/v1/` endpoints. */
export function sendApiError(res: ServerResponse, code: number, status: string, message: string): void {
  sendJson(res, code, { error: { code, message, status } })
}

export function sendMethodNotAllowed(res: ServerResponse, allowed: readonly string[]): void {
  res.setHeader('allow', allowed.join(', '))
  sendApiError(res, 405, 'METHOD_NOT_ALLOWED', `Method not allowed; use ${allowed.join(' or ')}.`)
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, char => HTML_ESCAPES[char] ?? char)
}

/** The page Google's authorization server shows instead of redirecting (bad client or redirect URI). */
export function sendErrorPage(res: ServerResponse, status: number, error: string, detail: string): void {
  const html =
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Error ' +
    `${status}: ${escapeHtml(error)}</title></head>\n<body><h1>Access blocked: authorization error</h1>\n` +
    `<p>${escapeHtml(detail)}</p>\n<p>Error ${status}: ${escapeHtml(error)}</p>\n` +
    '<p>(chat-role emulator: the request was not redirected.)</p></body></html>\n'
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(html)),
    'cache-control': 'no-store',
  })
  res.end(html)
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'cache-control': 'no-store', 'content-length': '0' })
  res.end()
}
