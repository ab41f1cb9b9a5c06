// Who is calling and what they may see: scopes per method, admin access, app authentication, and
// space visibility. Errors follow the front end (401/403 with ErrorInfo) and then the Chat backend.
import type { Grant, TokenLookup } from '../oauth/contract.js'
import { ApiError, Messages, SERVICE, errorInfo, notFound } from '../http/errors.js'
import { type MethodSpec, Scope } from './methods.js'
import { type ChatState, type SpaceRecord, isJoinedMember } from '../domain/state.js'

export type Caller =
  | { readonly kind: 'user'; readonly userId: string; readonly importOnly: boolean }
  /** A user calling with useAdminAccess=true, after the admin checks passed. */
  | { readonly kind: 'admin'; readonly userId: string }
  | { readonly kind: 'app'; readonly appUserId: string }

export interface VisibilitySettings {
  /** What a non-admin caller who is not in the space gets: 404 (default) or 403. */
  readonly nonMemberStatus: 403 | 404
}

const GOOGLE_REALM = 'Bearer realm="https://accounts.google.com/"'

export function unauthenticated(lookup: TokenLookup | undefined, method: MethodSpec): ApiError {
  const reason =
    lookup === undefined
      ? 'CREDENTIALS_MISSING'
      : !lookup.ok && lookup.reason === 'expired'
        ? 'ACCESS_TOKEN_EXPIRED'
        : 'ACCESS_TOKEN_TYPE_UNSUPPORTED'
  const message = lookup === undefined ? Messages.credentialsMissing : Messages.credentialsInvalid
  const metadata = { service: SERVICE, method: method.rpc }
  return new ApiError('UNAUTHENTICATED', message, [errorInfo(reason, 'googleapis.com', metadata)], {
    'WWW-Authenticate': GOOGLE_REALM,
  })
}

function scopeInsufficient(method: MethodSpec): ApiError {
  return new ApiError(
    'PERMISSION_DENIED',
    Messages.scopeInsufficient,
    [errorInfo('ACCESS_TOKEN_SCOPE_INSUFFICIENT', 'googleapis.com', { service: SERVICE, method: method.rpc })],
    { 'WWW-Authenticate': `${GOOGLE_REALM}, error="insufficient_scope", scope="${method.scopes.join(' ')}"` },
  )
}

function holdsAny(grant: Grant, scopes: readonly string[]): boolean {
  return scopes.some(scope => grant.scopes.includes(scope))
}

/** Turns a valid grant into a caller for this method, or throws 403. */
export function authorize(state: ChatState, grant: Grant, method: MethodSpec, useAdminAccess: boolean): Caller {
  if (!holdsAny(grant, method.scopes)) throw scopeInsufficient(method)
  const principal = grant.principal
  if (principal.kind === 'app') {
    if (useAdminAccess) throw new ApiError('PERMISSION_DENIED', Messages.adminAccessNeedsUser)
    if (!holdsAny(grant, method.appScopes)) throw scopeInsufficient(method)
    return { kind: 'app', appUserId: principal.appUserId }
  }
  if (useAdminAccess) {
    if (!holdsAny(grant, method.adminScopes)) throw scopeInsufficient(method)
    if (state.users.get(principal.userId)?.admin !== true) throw new ApiError('PERMISSION_DENIED', Messages.notAnAdmin)
    return { kind: 'admin', userId: principal.userId }
  }
  if (!holdsAny(grant, method.userScopes)) throw scopeInsufficient(method)
  const importOnly = !holdsAny(
    grant,
    method.userScopes.filter(scope => scope !== Scope.import),
  )
  return { kind: 'user', userId: principal.userId, importOnly }
}

/** The space, if this caller may see it. */
export function requireSpace(
  state: ChatState,
  caller: Caller,
  spaceId: string,
  settings: VisibilitySettings,
): SpaceRecord {
  const space = state.spaces.get(spaceId)
  if (space === undefined) throw notFound()
  switch (caller.kind) {
    case 'admin':
      return space
    case 'app':
      if (space.createdBy !== caller.appUserId && !isJoinedMember(space, caller.appUserId)) throw notFound()
      return space
    case 'user':
      if (!isJoinedMember(space, caller.userId)) {
        throw settings.nonMemberStatus === 403 ? new ApiError('PERMISSION_DENIED', Messages.notAMember) : notFound()
      }
      if (caller.importOnly && !space.importMode)
        throw new ApiError('PERMISSION_DENIED', Messages.importScopeOutsideImport)
      return space
  }
}

/** The user id the `app` alias stands for: the calling app, or this project's Chat app. */
export function appUserIdFor(state: ChatState, caller: Caller): string | undefined {
  return caller.kind === 'app' ? caller.appUserId : state.seed.app
}
