// spaces.list: the spaces the caller (a user, or an app under app authentication) has joined.
import type { HandlerContext } from './handler-context.js'
import { parseSpaceFilter } from './list-filters.js'
import { collectPage, decodePageToken, effectivePageSize, encodePageToken, indexAfter } from './page-token.js'
import { intParam, stringParam } from '../http/query-params.js'
import { type SpaceResource, renderSpace } from '../domain/resources.js'
import type { SpaceRecord } from '../domain/state.js'

export interface ListSpacesResponse {
  readonly spaces?: readonly SpaceResource[]
  readonly nextPageToken?: string
}

const spaceIdOf = (space: SpaceRecord): string => space.id

export function listSpaces(context: HandlerContext): ListSpacesResponse {
  const { state, caller, query } = context
  const filter = stringParam(query, 'filter')
  const keep = parseSpaceFilter(filter) ?? (() => true)
  const pageSize = effectivePageSize(intParam(query, 'pageSize'))
  const memberId = caller.kind === 'app' ? caller.appUserId : caller.userId
  const spaces = state.joinedSpaces.get(memberId) ?? []
  const boundTo = ['spaces', memberId, filter ?? '']
  const pageToken = stringParam(query, 'pageToken')
  const start = pageToken ? indexAfter(spaces, decodePageToken(pageToken, boundTo), spaceIdOf) : 0
  const page = collectPage(spaces, start, pageSize, keep, spaceIdOf)
  return {
    ...(page.items.length === 0 ? {} : { spaces: page.items.map(renderSpace) }),
    ...(page.nextKey === undefined ? {} : { nextPageToken: encodePageToken(page.nextKey, boundTo) }),
  }
}
