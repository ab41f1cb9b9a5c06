// Inspection routes under /emulator/v1/, unauthenticated and for loopback clients only:
// GET state, GET/DELETE requests, POST reset (optionally with a new seed as the body).
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ApiError, Messages, errorEnvelope } from './errors.js'
import type { RequestLog } from './request-log.js'
import { sendJson } from './respond.js'
import { SeedError, type ValidSeed, parseSeedText } from '../domain/seed.js'
import type { StateSnapshot } from '../domain/state-snapshot.js'

export interface InspectionTarget {
  readonly snapshot: () => StateSnapshot
  readonly log: RequestLog
  /** Back to the current seed, or to `seed` when given; clears the log, quotas and OAuth tokens. */
  readonly reset: (seed?: ValidSeed) => void
}

function isLoopback(address: string | undefined): boolean {
  return (
    address !== undefined &&
    (address.startsWith('127.') ||
      address === '::1' ||
      address === '::ffff:127.0.0.1' ||
      address.startsWith('::ffff:127.'))
  )
}

function fail(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.httpStatus, errorEnvelope(error))
}

/** Serves one inspection request; `body` is the request body text. */
export function handleInspection(
  target: InspectionTarget,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: string,
): void {
  if (!isLoopback(req.socket.remoteAddress)) {
    fail(res, new ApiError('PERMISSION_DENIED', Messages.inspectionLoopbackOnly))
    return
  }
  const route = `${req.method ?? ''} ${url.pathname}`
  switch (route) {
    case 'GET /emulator/v1/state':
      sendJson(res, 200, target.snapshot())
      return
    case 'GET /emulator/v1/requests':
      sendJson(res, 200, { requests: target.log.list() })
      return
    case 'DELETE /emulator/v1/requests':
      target.log.clear()
      sendJson(res, 200, {})
      return
    case 'POST /emulator/v1/reset':
      try {
        target.reset(body.trim() === '' ? undefined : parseSeedText(body))
      } catch (error) {
        if (!(error instanceof SeedError)) throw error
        fail(res, new ApiError('INVALID_ARGUMENT', Messages.invalidSeed(error.message)))
        return
      }
      sendJson(res, 200, {})
      return
    default:
      fail(res, new ApiError('NOT_FOUND', Messages.routeNotFound(url.pathname)))
  }
}
