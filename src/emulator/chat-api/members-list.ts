// spaces.members.list: filter, paging, showGroups/showInvited, and what admin access and app
// authentication leave out (app memberships; for apps also groups and invitations).
import { requireSpace } from './access.js'
import type { HandlerContext } from './handler-context.js'
import { parseMembershipFilter } from './list-filters.js'
import { collectPage, decodePageToken, effectivePageSize, encodePageToken, indexAfter } from './page-token.js'
import { boolParam, intParam, stringParam } from '../http/query-params.js'
import { type MembershipResource, renderMembership } from '../domain/resources.js'
import type { MembershipRecord } from '../domain/state.js'

export interface ListMembershipsResponse {
  readonly memberships?: readonly MembershipResource[]
  readonly nextPageToken?: string
}

const memberIdOf = (membership: MembershipRecord): string => membership.memberId

export function listMemberships(context: HandlerContext): ListMembershipsResponse {
  const { state, caller, query, rules } = context
  const admin = caller.kind === 'admin'
  const app = caller.kind === 'app'
  const filter = stringParam(query, 'filter')
  const matches = parseMembershipFilter(filter, admin)
  const pageSize = effectivePageSize(intParam(query, 'pageSize'))
  const space = requireSpace(state, caller, context.spaceId, rules)
  // showInvited "currently requires user authentication"; groups need user authentication too.
  const showGroups = boolParam(query, 'showGroups') && !app
  const showInvited = boolParam(query, 'showInvited') && !app
  const boundTo = ['members', space.id, filter ?? '', showGroups, showInvited, caller.kind]
  const pageToken = stringParam(query, 'pageToken')
  const start = pageToken ? indexAfter(space.sortedMembers, decodePageToken(pageToken, boundTo), memberIdOf) : 0
  const keep = (membership: MembershipRecord): boolean =>
    (membership.kind !== 'GROUP' || showGroups) &&
    (membership.state !== 'INVITED' || showInvited) &&
    (membership.kind !== 'BOT' || !(admin || app)) &&
    matches(membership)
  const page = collectPage(space.sortedMembers, start, pageSize, keep, memberIdOf)
  return {
    ...(page.items.length === 0 ? {} : { memberships: page.items.map(renderMembership) }),
    ...(page.nextKey === undefined ? {} : { nextPageToken: encodePageToken(page.nextKey, boundTo) }),
  }
}
