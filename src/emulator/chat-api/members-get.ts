// spaces.members.get: by member id, email alias, or `app`.
import { appUserIdFor, requireSpace } from './access.js'
import { ApiError, Messages, notFound } from '../http/errors.js'
import type { HandlerContext } from './handler-context.js'
import { type MembershipResource, renderMembership } from '../domain/resources.js'
import { type MembershipRecord, type SpaceRecord, findMembership } from '../domain/state.js'

/** The membership named by the path's `{member}`: an id, an email, or `app`. */
export function resolveMember(context: HandlerContext, space: SpaceRecord): MembershipRecord {
  const { state, caller, memberKey } = context
  let membership: MembershipRecord | undefined
  if (memberKey === 'app') {
    const appId = appUserIdFor(state, caller)
    membership = appId === undefined ? undefined : space.members.get(appId)
  } else {
    membership = findMembership(state, space, memberKey)
  }
  if (membership === undefined) throw notFound()
  return membership
}

export function getMembership(context: HandlerContext): MembershipResource {
  const { state, caller, rules } = context
  const membership = resolveMember(context, requireSpace(state, caller, context.spaceId, rules))
  if (caller.kind === 'admin' && membership.kind === 'BOT')
    throw new ApiError('INVALID_ARGUMENT', Messages.adminAppMembership)
  // App authentication sees no app memberships (its own included) and no groups.
  if (caller.kind === 'app' && membership.kind === 'BOT') throw notFound()
  if (caller.kind === 'app' && membership.kind === 'GROUP')
    throw new ApiError('PERMISSION_DENIED', Messages.groupsNeedUserAuth)
  return renderMembership(membership)
}
