// The HTTP server: OAuth routes first (oauth/service.ts), then /emulator/v1/ inspection, then the Chat API
// under /v1/ with faults, the request log, and Google-shaped answers. startEmulator resolves once
// the server listens.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  type ChatApiDependencies,
  type ChatOutcome,
  handleChatRequest,
  internalError,
} from '../chat-api/handle-request.js'
import { demoSeed } from '../domain/demo-seed.js'
import { createDirectory } from '../domain/directory.js'
import { ApiError, Messages, errorEnvelope } from './errors.js'
import { type FaultPlan, type FaultSettings, planFaults, waitLatency } from '../limits/faults.js'
import type { RuleSettings } from '../chat-api/handler-context.js'
import { handleInspection } from './inspection.js'
import { createOAuthService, redactOAuthQuery } from '../oauth/service.js'
import { type EmulatorOptions, checkOptions } from '../options.js'
import { DEFAULT_QUOTA_LIMITS, QuotaBook } from '../limits/quota.js'
import { seededRandom } from '../limits/random.js'
import { type RequestLogEntry, RequestLog } from './request-log.js'
import { sendJson } from './respond.js'
import { type Seed, type ValidSeed, validateSeed } from '../domain/seed.js'
import { type StateSnapshot, snapshotState } from '../domain/state-snapshot.js'
import { type ChatState, buildState } from '../domain/state.js'

export interface Emulator {
  /** Base URL, e.g. http://127.0.0.1:8085 (no trailing slash). */
  readonly url: string
  readonly port: number
  /** Stops listening and closes every connection. */
  close(): Promise<void>
  /** The current domain, as GET /emulator/v1/state returns it. */
  state(): StateSnapshot
  /** Recent requests, newest last, as GET /emulator/v1/requests returns them. */
  requests(): RequestLogEntry[]
  clearRequests(): void
  /** Back to the seed (or to a new one); clears the request log, quotas and OAuth tokens. */
  reset(seed?: Seed): void
}

const MAX_BODY_BYTES = 1024 * 1024

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge()
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** The error a request stream fails with when its client disconnects ("aborted", ECONNRESET). */
function clientWentAway(req: IncomingMessage, error: unknown): boolean {
  const code = error instanceof Error && 'code' in error ? error.code : undefined
  return code === 'ECONNRESET' || req.socket.destroyed
}

function rulesFor(options: EmulatorOptions, seed: ValidSeed): RuleSettings {
  return {
    allowPatchEmailAlias: options.allowPatchEmailAlias === true || seed.settings.allowPatchEmailAlias === true,
    allowInvitedRoleChange: options.allowInvitedRoleChange === true || seed.settings.allowInvitedRoleChange === true,
    nonMemberStatus: options.nonMemberStatus ?? seed.settings.nonMemberStatus ?? 404,
  }
}

/** The query as logged: values that carry secrets (tokens, codes, keys) never reach /emulator/v1/requests. */
function queryRecord(url: URL): Record<string, string> {
  return redactOAuthQuery(url)
}

function loggedBody(body: string): unknown {
  if (body === '') return undefined
  try {
    return JSON.parse(body) as unknown
  } catch {
    return body
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  checkOptions(options)
  const host = options.host ?? '127.0.0.1'
  const now = options.now ?? Date.now
  let seed = validateSeed(options.seed ?? demoSeed)
  let state: ChatState = buildState(seed)
  const oauth = (options.oauth ?? createOAuthService)(
    createDirectory(() => state),
    {
      tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
      now,
      ...(options.consentUser === undefined ? {} : { consentUser: options.consentUser }),
    },
  )
  const quotas =
    options.quotas === false
      ? undefined
      : new QuotaBook({
          limits: { ...DEFAULT_QUOTA_LIMITS, ...options.quotas },
          now,
          retryAfter: options.retryAfter === true,
        })
  const faults: FaultSettings = {
    latencyMs: options.latencyMs ?? 0,
    failRate: options.failRate ?? 0,
    dropRate: options.dropRate ?? 0,
  }
  const random = seededRandom(options.randomSeed ?? Math.floor(Math.random() * 2 ** 32))
  const log = new RequestLog(options.requestLogLimit ?? 10_000)
  const dependenciesFor = (current: ValidSeed): ChatApiDependencies => ({
    state: () => state,
    oauth,
    quotas,
    rules: rulesFor(options, current),
    chatApp: options.chatApp !== false,
  })
  let dependencies = dependenciesFor(seed)

  const reset = (next?: ValidSeed): void => {
    if (next !== undefined) seed = next
    state = buildState(seed)
    dependencies = dependenciesFor(seed)
    log.clear()
    quotas?.reset()
    oauth.reset()
  }

  const record = (
    req: IncomingMessage,
    url: URL,
    time: number,
    entry: Omit<RequestLogEntry, 'time' | 'method' | 'path' | 'query'>,
  ): void => {
    log.add({
      time: new Date(time).toISOString(),
      method: req.method ?? '',
      path: url.pathname,
      query: queryRecord(url),
      ...entry,
    })
  }

  const latencyWait = options.latencyWait ?? waitLatency

  // A request is applied once its body is in, whatever the client does next (as at Google): a
  // client that leaves during the latency or before the answer still has its change applied and
  // logged, with the status it would have got. One that leaves while sending its body changes nothing.
  const serveChat = async (req: IncomingMessage, res: ServerResponse, url: URL, time: number): Promise<void> => {
    const gone = new AbortController()
    res.once('close', () => {
      gone.abort()
    })
    const method = req.method ?? 'GET'
    let body: string
    try {
      body = await readBody(req)
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        const tooLarge = new ApiError('INVALID_ARGUMENT', Messages.bodyTooLarge)
        sendJson(res, tooLarge.httpStatus, errorEnvelope(tooLarge))
        record(req, url, time, { caller: null, status: tooLarge.httpStatus })
        return
      }
      if (!clientWentAway(req, error)) throw error
      record(req, url, time, { caller: null, status: null, clientGone: 'during-body' })
      return
    }
    const plan: FaultPlan = planFaults(faults, random)
    if (plan.delayMs > 0) await latencyWait(plan.delayMs, gone.signal)
    const goneEntry = (): Pick<RequestLogEntry, 'clientGone'> =>
      gone.signal.aborted ? { clientGone: 'before-answer' } : {}
    if (plan.outcome === 'drop-before') {
      req.socket.destroy()
      record(req, url, time, { caller: null, status: null, fault: 'drop-before' })
      return
    }
    if (plan.outcome === 'fail-internal' || plan.outcome === 'fail-unavailable') {
      const error =
        plan.outcome === 'fail-internal'
          ? new ApiError('INTERNAL', Messages.internal)
          : new ApiError('UNAVAILABLE', Messages.unavailable)
      if (!gone.signal.aborted) sendJson(res, error.httpStatus, errorEnvelope(error))
      record(req, url, time, { caller: null, status: error.httpStatus, fault: 'fail', ...goneEntry() })
      return
    }
    const outcome: ChatOutcome = handleChatRequest(dependencies, {
      method,
      url,
      authorization: req.headers.authorization,
      body,
    })
    const bodyEntry = method === 'PATCH' && body !== '' ? { body: loggedBody(body) } : {}
    if (plan.outcome === 'drop-after') {
      req.socket.destroy()
      record(req, url, time, { caller: outcome.caller, status: null, fault: 'drop-after', ...bodyEntry })
      return
    }
    if (!gone.signal.aborted) sendJson(res, outcome.status, outcome.payload, outcome.system, outcome.headers)
    record(req, url, time, { caller: outcome.caller, status: outcome.status, ...goneEntry(), ...bodyEntry })
  }

  let baseUrl = ''
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const time = now()
    const target = req.url ?? '/'
    // Origin-form targets (`/v1/…`) are the norm; anything unparsable lands on `/` (a 404).
    const url = URL.parse(target.startsWith('/') ? `${baseUrl}${target}` : target) ?? new URL('/', baseUrl)
    if (await oauth.handle(req, res, url, baseUrl)) {
      const recordAnswer = (): void => {
        record(req, url, time, { caller: null, status: res.statusCode })
      }
      if (res.writableFinished) recordAnswer()
      else res.once('finish', recordAnswer)
      return
    }
    if (url.pathname.startsWith('/v1/')) {
      await serveChat(req, res, url, time)
      return
    }
    if (url.pathname.startsWith('/emulator/')) {
      const body = req.method === 'POST' ? await readBody(req) : ''
      const snapshot = (): StateSnapshot => snapshotState(state)
      handleInspection({ snapshot, log, reset }, req, res, url, body)
      return
    }
    sendJson(res, 404, errorEnvelope(new ApiError('NOT_FOUND', Messages.routeNotFound(url.pathname))))
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      // A client that went away (e.g. mid-body on /emulator/) is nobody's bug: nothing to answer or print.
      if (clientWentAway(req, error)) {
        res.destroy()
        return
      }
      const apiError =
        error instanceof BodyTooLarge ? new ApiError('INVALID_ARGUMENT', Messages.bodyTooLarge) : internalError(error)
      if (res.headersSent) res.destroy()
      else sendJson(res, apiError.httpStatus, errorEnvelope(apiError))
    })
  })
  server.keepAliveTimeout = 30_000
  await listen(server, options.port ?? 0, host)
  const port = (server.address() as AddressInfo).port
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`

  return {
    url: baseUrl,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close(error => {
          if (error === undefined) resolve()
          else reject(error)
        })
        server.closeAllConnections()
      }),
    state: () => snapshotState(state),
    requests: () => log.list(),
    clearRequests: () => {
      log.clear()
    },
    reset: (next?: Seed) => {
      reset(next === undefined ? undefined : validateSeed(next))
    },
  }
}
