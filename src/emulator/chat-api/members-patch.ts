// spaces.members.patch: the role-change rules of the spec's §3.3 matrix, checked in this order:
// request (mask, body, alias) → space visibility and caller kind → target → space type → target kind
// → caller's own role → last owner → no-op. The order is part of the contract: tests pin it.
import { requireSpace } from './access.js'
import { ApiError, Messages, invalidArgument } from '../http/errors.js'
import { resolveMember } from './members-get.js'
import type { HandlerContext } from './handler-context.js'
import { parseMembershipBody } from './membership-body.js'
import { stringParam } from '../http/query-params.js'
import { type MembershipResource, renderMembership } from '../domain/resources.js'
import { setRole } from '../domain/state.js'

function checkUpdateMask(mask: string | undefined): void {
  const paths = (mask ?? '')
    .split(',')
    .map(path => path.trim())
    .filter(path => path !== '')
  if (paths.length === 0) throw invalidArgument(Messages.updateMaskMissing, 'update_mask')
  const unsupported = paths.find(path => path !== 'role' && path !== '*')
  if (unsupported !== undefined) throw invalidArgument(Messages.updateMaskUnsupported(unsupported), 'update_mask')
}

export function updateMembership(context: HandlerContext): MembershipResource {
  const { state, caller, rules } = context
  checkUpdateMask(stringParam(context.query, 'updateMask'))
  const { role } = parseMembershipBody(context.body)
  if (role === undefined || role === 'MEMBERSHIP_ROLE_UNSPECIFIED')
    throw invalidArgument(Messages.roleMissing, 'membership.role')
  if (context.memberKey.includes('@') && !rules.allowPatchEmailAlias) {
    throw invalidArgument(Messages.patchEmailAlias, 'membership.name')
  }

  const space = requireSpace(state, caller, context.spaceId, rules)
  if (caller.kind === 'app' && space.createdBy !== caller.appUserId) {
    throw new ApiError('PERMISSION_DENIED', Messages.appDidNotCreateSpace)
  }
  const target = resolveMember(context, space)

  if (space.spaceType !== 'SPACE' && role !== 'ROLE_MEMBER') {
    throw invalidArgument(Messages.rolesOnlyInSpaces(space.spaceType), 'membership.role')
  }
  if (target.kind === 'BOT') throw invalidArgument(Messages.appTarget, 'membership.name')
  if (target.kind === 'GROUP') throw invalidArgument(Messages.groupTarget, 'membership.name')
  if (target.state === 'INVITED' && !rules.allowInvitedRoleChange) {
    throw new ApiError('FAILED_PRECONDITION', Messages.invitedTarget)
  }

  // Outside SPACE everyone is ROLE_MEMBER and only ROLE_MEMBER got here: a no-op for any member.
  // Admins and the app that created the space act with an owner's rights.
  if (space.spaceType === 'SPACE' && caller.kind === 'user') {
    const callerRole = space.members.get(caller.userId)?.role
    if (callerRole === 'ROLE_ASSISTANT_MANAGER') {
      if (role === 'ROLE_MANAGER') throw new ApiError('PERMISSION_DENIED', Messages.managerCannotMakeOwner)
      if (target.role === 'ROLE_MANAGER') throw new ApiError('PERMISSION_DENIED', Messages.managerCannotChangeOwner)
    } else if (callerRole !== 'ROLE_MANAGER') {
      throw new ApiError('PERMISSION_DENIED', Messages.memberCannotChangeRoles)
    }
  }

  const demotesOwner = target.role === 'ROLE_MANAGER' && role !== 'ROLE_MANAGER' && target.state === 'JOINED'
  if (demotesOwner && space.ownerCount <= 1) throw new ApiError('FAILED_PRECONDITION', Messages.lastOwner)
  if (target.role !== role) setRole(space, target, role)
  return renderMembership(target)
}
