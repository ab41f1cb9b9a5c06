// The OAuth scopes chat-role asks for, and the check of a grant against what a run needs.
// Membership scopes, and read-only spaces scopes to find spaces: nothing that reads messages or changes spaces.

const PREFIX = 'https://www.googleapis.com/auth/'

export const SCOPES = {
  memberships: `${PREFIX}chat.memberships`,
  membershipsReadonly: `${PREFIX}chat.memberships.readonly`,
  adminMemberships: `${PREFIX}chat.admin.memberships`,
  adminMembershipsReadonly: `${PREFIX}chat.admin.memberships.readonly`,
  import: `${PREFIX}chat.import`,
  appMemberships: `${PREFIX}chat.app.memberships`,
  /** spaces.list: `chat-role spaces`, and finding a person's spaces (--user --all-spaces, handover). */
  spacesReadonly: `${PREFIX}chat.spaces.readonly`,
  /** spaces.search with admin access: every space of the organisation. */
  adminSpacesReadonly: `${PREFIX}chat.admin.spaces.readonly`,
} as const

export type Access = 'read' | 'write'

/** How the run acts: as a user, as a Workspace admin (useAdminAccess), or as the Chat app. */
export type Authority = 'user' | 'admin' | 'app'

/**
 * Scopes `chat-role auth login` asks for: chat.memberships and chat.spaces.readonly (to find spaces), plus the
 * admin ones (chat.admin.memberships, chat.admin.spaces.readonly) and import on request.
 */
export function loginScopes(options: { readonly admin: boolean; readonly import: boolean }): string[] {
  return [
    SCOPES.memberships,
    SCOPES.spacesReadonly,
    ...(options.admin ? [SCOPES.adminMemberships, SCOPES.adminSpacesReadonly] : []),
    ...(options.import ? [SCOPES.import] : []),
  ]
}

/** What a service-account token is asked for: it carries exactly what the run needs. */
export function serviceAccountScopes(authority: Authority, options: { readonly spaces?: boolean } = {}): string[] {
  switch (authority) {
    case 'app':
      return [SCOPES.appMemberships]
    case 'admin':
      return [SCOPES.adminMemberships, ...(options.spaces === true ? [SCOPES.adminSpacesReadonly] : [])]
    case 'user':
      return [SCOPES.memberships, ...(options.spaces === true ? [SCOPES.spacesReadonly] : [])]
  }
}

/** Any one of these scopes lets a run of this authority read or write memberships (Chat v1 discovery). */
const SUFFICIENT: Record<Authority, Record<Access, readonly string[]>> = {
  user: {
    read: [SCOPES.memberships, SCOPES.membershipsReadonly, SCOPES.import],
    write: [SCOPES.memberships, SCOPES.import],
  },
  admin: {
    read: [SCOPES.adminMemberships, SCOPES.adminMembershipsReadonly],
    write: [SCOPES.adminMemberships],
  },
  app: { read: [SCOPES.appMemberships], write: [SCOPES.appMemberships] },
}

/** The scope to ask for when `granted` cannot do `access`; undefined when it can. */
export function missingScope(granted: readonly string[], authority: Authority, access: Access): string | undefined {
  const sufficient = SUFFICIENT[authority][access]
  if (sufficient.some(scope => granted.includes(scope))) return undefined
  return authority === 'app'
    ? SCOPES.appMemberships
    : authority === 'admin'
      ? SCOPES.adminMemberships
      : SCOPES.memberships
}

/** `https://www.googleapis.com/auth/chat.memberships` → `chat.memberships`, for messages. */
export function shortScope(scope: string): string {
  return scope.startsWith(PREFIX) ? scope.slice(PREFIX.length) : scope
}

export function parseScopeList(value: string | readonly string[] | undefined | null): string[] {
  if (value === undefined || value === null) return []
  const words = typeof value === 'string' ? value.split(/\s+/) : value.flatMap(item => item.split(/\s+/))
  return [...new Set(words.filter(word => word !== ''))]
}
