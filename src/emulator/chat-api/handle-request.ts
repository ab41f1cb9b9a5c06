// One /v1/ request, start to finish, without touching the socket: route → parameters →
// authentication (401) → scopes and admin checks (403) → a mode the emulator does not serve (501)
// → Chat app configured (404) → quotas (429) → the method's handler. Everything that can refuse a call does so before the handler runs.
import type { OAuthService, TokenLookup } from '../oauth/contract.js'
import { authorize, unauthenticated } from './access.js'
import { ApiError, Messages, errorEnvelope } from '../http/errors.js'
import { getMembership } from './members-get.js'
import { getSpace } from './spaces-get.js'
import { searchSpaces } from './spaces-search.js'
import type { Handler, RuleSettings } from './handler-context.js'
import { listMemberships } from './members-list.js'
import { listSpaces } from './spaces-list.js'
import { type MethodName, Methods } from './methods.js'
import { type SystemParams, boolParam, parseQuery } from '../http/query-params.js'
import type { QuotaBook } from '../limits/quota.js'
import { DEFAULT_SYSTEM } from '../http/respond.js'
import { matchRoute } from './router.js'
import type { ChatState } from '../domain/state.js'
import { updateMembership } from './members-patch.js'

const HANDLERS: Readonly<Record<MethodName, Handler>> = {
  getMembership,
  listMemberships,
  updateMembership,
  getSpace,
  listSpaces,
  searchSpaces,
}

export interface ChatApiDependencies {
  readonly state: () => ChatState
  readonly oauth: OAuthService
  /** Undefined with --no-quotas. */
  readonly quotas: QuotaBook | undefined
  readonly rules: RuleSettings
  /** False with --no-chat-app: every call is 404 "Google Chat app not found". */
  readonly chatApp: boolean
}

export interface ChatRequest {
  readonly method: string
  readonly url: URL
  readonly authorization: string | undefined
  readonly body: string
}

export interface ChatOutcome {
  readonly status: number
  readonly payload: unknown
  readonly system: SystemParams
  readonly headers: Readonly<Record<string, string>>
  /** For the request log: user id, `app`, or null. */
  readonly caller: string | null
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization)
  return match?.[1]
}

function callerOf(lookup: TokenLookup | undefined): string | null {
  if (lookup?.ok !== true) return null
  const principal = lookup.grant.principal
  return principal.kind === 'app' ? 'app' : principal.userId
}

export function handleChatRequest(dependencies: ChatApiDependencies, request: ChatRequest): ChatOutcome {
  let system = DEFAULT_SYSTEM
  let lookup: TokenLookup | undefined
  try {
    const route = matchRoute(request.method, request.url.pathname)
    if (route.kind === 'none') throw new ApiError('NOT_FOUND', Messages.routeNotFound(request.url.pathname))
    if (route.kind === 'unimplemented') throw new ApiError('UNIMPLEMENTED', Messages.unimplemented(route.methodId))
    const method = Methods[route.method]
    const query = parseQuery(request.url.searchParams, method.params)
    system = query.system
    const token = bearerToken(request.authorization) ?? query.system.accessToken
    lookup = token === undefined ? undefined : dependencies.oauth.authenticate(token)
    if (lookup?.ok !== true) throw unauthenticated(lookup, method)
    const state = dependencies.state()
    const caller = authorize(state, lookup.grant, method, boolParam(query, 'useAdminAccess'))
    if (method.adminAccessOnly === true && caller.kind === 'user') {
      throw new ApiError('UNIMPLEMENTED', Messages.userSearchUnimplemented(method.id))
    }
    if (!dependencies.chatApp) throw new ApiError('NOT_FOUND', Messages.chatAppNotFound)
    dependencies.quotas?.take(method, state.spaces.has(route.spaceId) ? route.spaceId : undefined)
    const payload = HANDLERS[route.method]({
      state,
      caller,
      query,
      rules: dependencies.rules,
      body: request.body,
      spaceId: route.spaceId,
      memberKey: route.memberKey,
    })
    return { status: 200, payload, system, headers: {}, caller: callerOf(lookup) }
  } catch (error) {
    const apiError = error instanceof ApiError ? error : internalError(error)
    return {
      status: apiError.httpStatus,
      payload: errorEnvelope(apiError),
      system,
      headers: apiError.headers,
      caller: callerOf(lookup),
    }
  }
}

/** A bug, not a Google answer: logged on stderr, answered 500 INTERNAL. */
export function internalError(error: unknown): ApiError {
  process.stderr.write(
    `chat-role-emulator: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  return new ApiError('INTERNAL', Messages.internal)
}
