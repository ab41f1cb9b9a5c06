// spaces.search with useAdminAccess=true: every space of the organisation that matches the query
// (the caller need not be a member), ordered by orderBy, paged, with totalSize. The page token holds
// the last space id of the page and is bound to the query and the order.
import { ApiError, Messages, invalidArgument } from '../http/errors.js'
import { intParam, stringParam } from '../http/query-params.js'
import { type SpaceResource, renderSpace } from '../domain/resources.js'
import type { HandlerContext } from './handler-context.js'
import { decodePageToken, effectivePageSize, encodePageToken } from './page-token.js'
import { parseSearchOrder, parseSearchQuery, sortSpaces } from './search-query.js'

export interface SearchSpacesResponse {
  /** Deprecated in favour of `results`; Google fills both under admin access. */
  readonly spaces?: readonly SpaceResource[]
  readonly results?: readonly { readonly space: SpaceResource }[]
  readonly nextPageToken?: string
  readonly totalSize?: number
}

export function searchSpaces(context: HandlerContext): SearchSpacesResponse {
  const { state, caller, query } = context
  if (caller.kind !== 'admin')
    throw new ApiError('UNIMPLEMENTED', Messages.userSearchUnimplemented('chat.spaces.search'))
  const text = stringParam(query, 'query')
  const keep = parseSearchQuery(text)
  const orderBy = stringParam(query, 'orderBy')
  const order = parseSearchOrder(orderBy)
  const pageSize = effectivePageSize(intParam(query, 'pageSize'))
  const matching = sortSpaces(state.sortedSpaces.filter(keep), order)
  const boundTo = ['search', text ?? '', order.key, order.descending]
  const pageToken = stringParam(query, 'pageToken')
  let start = 0
  if (pageToken) {
    const lastId = decodePageToken(pageToken, boundTo)
    const index = matching.findIndex(space => space.id === lastId)
    if (index < 0) throw invalidArgument(Messages.pageTokenInvalid, 'page_token')
    start = index + 1
  }
  const page = matching.slice(start, start + pageSize)
  const last = page[page.length - 1]
  const more = last !== undefined && start + page.length < matching.length
  const spaces = page.map(renderSpace)
  return {
    ...(spaces.length === 0 ? {} : { spaces, results: spaces.map(space => ({ space })) }),
    ...(more ? { nextPageToken: encodePageToken(last.id, boundTo) } : {}),
    ...(matching.length === 0 ? {} : { totalSize: matching.length }),
  }
}
