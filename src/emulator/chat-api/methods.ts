// The Chat API methods the emulator serves: ids, RPC names, scopes (verbatim from the discovery
// document rev 20260920), query parameters and the quota buckets each one draws on.

const AUTH = 'https://www.googleapis.com/auth/'

export const Scope = {
  memberships: `${AUTH}chat.memberships`,
  membershipsReadonly: `${AUTH}chat.memberships.readonly`,
  adminMemberships: `${AUTH}chat.admin.memberships`,
  adminMembershipsReadonly: `${AUTH}chat.admin.memberships.readonly`,
  appMemberships: `${AUTH}chat.app.memberships`,
  bot: `${AUTH}chat.bot`,
  import: `${AUTH}chat.import`,
  spaces: `${AUTH}chat.spaces`,
  spacesReadonly: `${AUTH}chat.spaces.readonly`,
  adminSpaces: `${AUTH}chat.admin.spaces`,
  adminSpacesReadonly: `${AUTH}chat.admin.spaces.readonly`,
  appSpaces: `${AUTH}chat.app.spaces`,
} as const

export type ParamType = 'string' | 'bool' | 'int32'

/** Which project-wide bucket a method draws on; Google keeps membership and space reads apart. */
export type ProjectQuota = 'membershipWrites' | 'membershipReads' | 'spaceReads'

export interface MethodSpec {
  readonly id: string
  readonly rpc: string
  readonly scopes: readonly string[]
  /** Scopes that authorize the call with useAdminAccess=true. */
  readonly adminScopes: readonly string[]
  /** Scopes that authorize a user without admin access. */
  readonly userScopes: readonly string[]
  /** Scopes that authorize app authentication. */
  readonly appScopes: readonly string[]
  /** Query parameters by JSON (camelCase) name. */
  readonly params: Readonly<Record<string, ParamType>>
  readonly projectQuota: ProjectQuota
  /** Per-space bucket, when the method targets one space. */
  readonly spaceQuota?: 'reads' | 'writes'
  /** Served with useAdminAccess=true only: a user's own call answers 501 (spaces.search). */
  readonly adminAccessOnly?: boolean
}

const getMembership: MethodSpec = {
  id: 'chat.spaces.members.get',
  rpc: 'google.chat.v1.ChatService.GetMembership',
  scopes: [
    Scope.adminMemberships,
    Scope.adminMembershipsReadonly,
    Scope.appMemberships,
    Scope.bot,
    Scope.memberships,
    Scope.membershipsReadonly,
  ],
  adminScopes: [Scope.adminMemberships, Scope.adminMembershipsReadonly],
  userScopes: [Scope.memberships, Scope.membershipsReadonly],
  appScopes: [Scope.appMemberships, Scope.bot],
  params: { useAdminAccess: 'bool' },
  projectQuota: 'membershipReads',
  spaceQuota: 'reads',
}

const listMemberships: MethodSpec = {
  id: 'chat.spaces.members.list',
  rpc: 'google.chat.v1.ChatService.ListMemberships',
  scopes: [
    Scope.adminMemberships,
    Scope.adminMembershipsReadonly,
    Scope.appMemberships,
    Scope.bot,
    Scope.import,
    Scope.memberships,
    Scope.membershipsReadonly,
  ],
  adminScopes: [Scope.adminMemberships, Scope.adminMembershipsReadonly],
  userScopes: [Scope.memberships, Scope.membershipsReadonly, Scope.import],
  appScopes: [Scope.appMemberships, Scope.bot],
  params: {
    filter: 'string',
    pageSize: 'int32',
    pageToken: 'string',
    showGroups: 'bool',
    showInvited: 'bool',
    useAdminAccess: 'bool',
  },
  projectQuota: 'membershipReads',
  spaceQuota: 'reads',
}

const updateMembership: MethodSpec = {
  id: 'chat.spaces.members.patch',
  rpc: 'google.chat.v1.ChatService.UpdateMembership',
  scopes: [Scope.adminMemberships, Scope.appMemberships, Scope.import, Scope.memberships],
  adminScopes: [Scope.adminMemberships],
  userScopes: [Scope.memberships, Scope.import],
  appScopes: [Scope.appMemberships],
  params: { updateMask: 'string', useAdminAccess: 'bool' },
  projectQuota: 'membershipWrites',
  spaceQuota: 'writes',
}

const getSpace: MethodSpec = {
  id: 'chat.spaces.get',
  rpc: 'google.chat.v1.ChatService.GetSpace',
  scopes: [
    Scope.adminSpaces,
    Scope.adminSpacesReadonly,
    Scope.appSpaces,
    Scope.bot,
    Scope.spaces,
    Scope.spacesReadonly,
  ],
  adminScopes: [Scope.adminSpaces, Scope.adminSpacesReadonly],
  userScopes: [Scope.spaces, Scope.spacesReadonly],
  appScopes: [Scope.appSpaces, Scope.bot],
  params: { useAdminAccess: 'bool' },
  projectQuota: 'spaceReads',
  spaceQuota: 'reads',
}

const listSpaces: MethodSpec = {
  id: 'chat.spaces.list',
  rpc: 'google.chat.v1.ChatService.ListSpaces',
  scopes: [Scope.bot, Scope.spaces, Scope.spacesReadonly],
  adminScopes: [],
  userScopes: [Scope.spaces, Scope.spacesReadonly],
  appScopes: [Scope.bot],
  params: { filter: 'string', pageSize: 'int32', pageToken: 'string' },
  projectQuota: 'spaceReads',
}

/** Google also serves a user's own search (useAdminAccess false); the emulator serves the admin one. */
const searchSpaces: MethodSpec = {
  id: 'chat.spaces.search',
  rpc: 'google.chat.v1.ChatService.SearchSpaces',
  scopes: [Scope.adminSpaces, Scope.adminSpacesReadonly, Scope.spaces, Scope.spacesReadonly],
  adminScopes: [Scope.adminSpaces, Scope.adminSpacesReadonly],
  userScopes: [Scope.spaces, Scope.spacesReadonly],
  appScopes: [],
  params: { orderBy: 'string', pageSize: 'int32', pageToken: 'string', query: 'string', useAdminAccess: 'bool' },
  projectQuota: 'spaceReads',
  adminAccessOnly: true,
}

export const Methods = {
  getMembership,
  listMemberships,
  updateMembership,
  getSpace,
  listSpaces,
  searchSpaces,
} as const

export type MethodName = keyof typeof Methods
