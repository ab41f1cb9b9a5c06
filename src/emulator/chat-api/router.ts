// Maps `METHOD /v1/...` to a Chat method. Path segments are percent-decoded one by one (the Node
// client sends `user%40example.com`); `%2F` is decoded first, so a fully encoded resource name
// (`/v1/spaces%2FS%2Fmembers%2FM`) routes like the plain one. Real Chat methods the emulator does
// not serve answer 501; any other method or path answers 404, as Google's front end does.
import { ApiError, Messages } from '../http/errors.js'
import type { MethodName } from './methods.js'

export type RouteMatch =
  | { readonly kind: 'method'; readonly method: MethodName; readonly spaceId: string; readonly memberKey: string }
  | { readonly kind: 'unimplemented'; readonly methodId: string }
  | { readonly kind: 'none' }

type Verbs = Readonly<Record<string, MethodName | `chat.${string}`>>

const COLLECTION: Verbs = { GET: 'listSpaces', POST: 'chat.spaces.create' }
const SPACE: Verbs = { GET: 'getSpace', PATCH: 'chat.spaces.patch', DELETE: 'chat.spaces.delete' }
const MEMBERS: Verbs = { GET: 'listMemberships', POST: 'chat.spaces.members.create' }
const MEMBER: Verbs = { GET: 'getMembership', PATCH: 'updateMembership', DELETE: 'chat.spaces.members.delete' }
const CUSTOM: Readonly<Record<string, Verbs>> = {
  'spaces:search': { GET: 'searchSpaces' },
  'spaces:setup': { POST: 'chat.spaces.setup' },
  'spaces:findDirectMessage': { GET: 'chat.spaces.findDirectMessage' },
}

function decodeSegments(path: string): string[] {
  try {
    return path
      .replace(/%2F/gi, '/')
      .split('/')
      .map(segment => decodeURIComponent(segment))
  } catch {
    throw new ApiError('INVALID_ARGUMENT', Messages.invalidPath)
  }
}

/** `pathname` is the raw (still encoded) path and starts with `/v1/`. */
export function matchRoute(httpMethod: string, pathname: string): RouteMatch {
  const segments = decodeSegments(pathname.slice('/v1/'.length))
  if (segments.some(segment => segment === '')) return { kind: 'none' }
  const [collection, spaceId = '', members, memberKey = ''] = segments
  let verbs: Verbs | undefined
  if (segments.length === 1)
    verbs =
      collection === 'spaces'
        ? COLLECTION
        : Object.hasOwn(CUSTOM, collection ?? '')
          ? CUSTOM[collection ?? '']
          : undefined
  else if (collection === 'spaces' && segments.length === 2) verbs = SPACE
  else if (collection === 'spaces' && members === 'members')
    verbs = segments.length === 3 ? MEMBERS : segments.length === 4 ? MEMBER : undefined
  const target = verbs !== undefined && Object.hasOwn(verbs, httpMethod) ? verbs[httpMethod] : undefined
  if (target === undefined) return { kind: 'none' }
  if (target.startsWith('chat.')) return { kind: 'unimplemented', methodId: target }
  return { kind: 'method', method: target as MethodName, spaceId, memberKey }
}
