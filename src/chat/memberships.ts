// The only module that talks to @googleapis/chat: read, list and patch memberships, and read, list and search
// spaces, as plain snapshots.
import { chat, type chat_v1 } from '@googleapis/chat'
import type { Session } from '../auth/session.js'
import type { MemberKind, MembershipSnapshot } from '../core/plan.js'
import type { Role } from '../core/role.js'
import type { SpaceSnapshot, SpaceType } from '../core/space.js'

export interface ListPageRequest {
  /** `spaces/S` */
  readonly space: string
  readonly admin: boolean
  readonly filter?: string
  readonly showGroups: boolean
  readonly showInvited: boolean
  readonly pageToken?: string
}

export interface ListPage {
  readonly memberships: MembershipSnapshot[]
  readonly nextPageToken: string | undefined
}

export interface SpacesPage {
  readonly spaces: SpaceSnapshot[]
  readonly nextPageToken: string | undefined
}

export interface ListSpacesPageRequest {
  /** spaces.list `filter`: `spaceType = "SPACE"`, several joined by OR. */
  readonly filter?: string
  readonly pageToken?: string
}

export interface SearchSpacesPageRequest {
  /** spaces.search `query`; with admin access it must hold the customer and `space_type = "SPACE"`. */
  readonly query: string
  readonly orderBy?: string
  readonly pageToken?: string
}

export interface ChatApi {
  getMembership(name: string, admin: boolean): Promise<MembershipSnapshot>
  listPage(request: ListPageRequest): Promise<ListPage>
  patchRole(name: string, role: Role, admin: boolean): Promise<MembershipSnapshot>
  /** One page (up to 1,000) of the spaces the caller has joined: spaces.list, which has no admin mode. */
  listSpacesPage(request: ListSpacesPageRequest): Promise<SpacesPage>
  /** One page (up to 1,000) of the organisation's named spaces: spaces.search with useAdminAccess=true. */
  searchSpacesPage(request: SearchSpacesPageRequest): Promise<SpacesPage>
  getSpace(name: string, admin: boolean): Promise<SpaceSnapshot>
}

/** No request may hang a run forever; gaxios has no default timeout. */
const REQUEST_TIMEOUT_MS = 30_000

export function createChatApi(session: Session): ChatApi {
  const api = chat({
    version: 'v1',
    auth: session.authClient,
    rootUrl: session.endpoints.chatRootUrl,
    timeout: REQUEST_TIMEOUT_MS,
    // Retries are ours (core/retry.ts): gaxios would retry GETs without jitter and never PATCH.
    retry: false,
  })
  const adminParam = (admin: boolean): { useAdminAccess?: boolean } => (admin ? { useAdminAccess: true } : {})
  return {
    async getMembership(name, admin) {
      const response = await api.spaces.members.get({ name, ...adminParam(admin) })
      return snapshotOf(response.data)
    },
    async listPage(request) {
      const response = await api.spaces.members.list({
        parent: request.space,
        pageSize: 1000,
        ...(request.filter !== undefined && { filter: request.filter }),
        ...(request.showGroups && { showGroups: true }),
        ...(request.showInvited && { showInvited: true }),
        ...(request.pageToken !== undefined && { pageToken: request.pageToken }),
        ...adminParam(request.admin),
      })
      return {
        memberships: (response.data.memberships ?? []).map(snapshotOf),
        nextPageToken: response.data.nextPageToken ?? undefined,
      }
    },
    async patchRole(name, role, admin) {
      const response = await api.spaces.members.patch({
        name,
        updateMask: 'role',
        ...adminParam(admin),
        requestBody: { role },
      })
      return snapshotOf(response.data)
    },
    async listSpacesPage(request) {
      const response = await api.spaces.list({
        pageSize: 1000,
        ...(request.filter !== undefined && { filter: request.filter }),
        ...(request.pageToken !== undefined && { pageToken: request.pageToken }),
      })
      return {
        spaces: (response.data.spaces ?? []).map(spaceSnapshotOf),
        nextPageToken: response.data.nextPageToken ?? undefined,
      }
    },
    async searchSpacesPage(request) {
      const response = await api.spaces.search({
        useAdminAccess: true,
        query: request.query,
        pageSize: 1000,
        ...(request.orderBy !== undefined && { orderBy: request.orderBy }),
        ...(request.pageToken !== undefined && { pageToken: request.pageToken }),
      })
      // `results` is the newer field; `spaces` (deprecated) carries the same page.
      const results = response.data.results?.flatMap(result => (result.space == null ? [] : [result.space]))
      return {
        spaces: (results ?? response.data.spaces ?? []).map(spaceSnapshotOf),
        nextPageToken: response.data.nextPageToken ?? undefined,
      }
    },
    async getSpace(name, admin) {
      const response = await api.spaces.get({ name, ...adminParam(admin) })
      return spaceSnapshotOf(response.data)
    },
  }
}

const SPACE_TYPES: ReadonlySet<string> = new Set(['SPACE', 'GROUP_CHAT', 'DIRECT_MESSAGE'])

function spaceSnapshotOf(space: chat_v1.Schema$Space): SpaceSnapshot {
  const given = space.spaceType ?? ''
  // Spaces from before spaceType carry only the deprecated `type`: DM is a direct message; ROOM may be either kind.
  const spaceType: SpaceType = SPACE_TYPES.has(given)
    ? (given as SpaceType)
    : given === '' && space.type === 'DM'
      ? 'DIRECT_MESSAGE'
      : 'UNKNOWN'
  const count = space.membershipCount
  return {
    name: space.name ?? '',
    spaceType,
    ...(space.displayName != null && space.displayName !== '' && { displayName: space.displayName }),
    ...(count != null && {
      membershipCount: {
        ...(count.joinedDirectHumanUserCount != null && {
          joinedDirectHumanUserCount: count.joinedDirectHumanUserCount,
        }),
        ...(count.joinedGroupCount != null && { joinedGroupCount: count.joinedGroupCount }),
      },
    }),
    ...(space.createTime != null && { createTime: space.createTime }),
  }
}

/** The discovery document is ahead of the typings (User.email), so optional fields are read defensively. */
function snapshotOf(membership: chat_v1.Schema$Membership): MembershipSnapshot {
  const member = membership.member as (chat_v1.Schema$User & { email?: string | null }) | undefined | null
  const kind: MemberKind =
    membership.groupMember != null
      ? 'GROUP'
      : member?.type === 'HUMAN'
        ? 'HUMAN'
        : member?.type === 'BOT'
          ? 'BOT'
          : 'UNKNOWN'
  return {
    name: membership.name ?? '',
    role: membership.role ?? undefined,
    state: membership.state ?? undefined,
    memberKind: kind,
    ...(member?.name != null && { member: member.name }),
    ...(membership.groupMember?.name != null && { member: membership.groupMember.name }),
    ...(member?.email != null && { email: member.email }),
    ...(member?.displayName != null && { displayName: member.displayName }),
    ...(membership.createTime != null && { createTime: membership.createTime }),
  }
}
