// The only module that talks to @googleapis/chat: read, list and patch memberships, as plain snapshots.
import { chat, type chat_v1 } from '@googleapis/chat'
import type { Session } from '../auth/session.js'
import type { MemberKind, MembershipSnapshot } from '../core/plan.js'
import type { Role } from '../core/role.js'

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

export interface ChatApi {
  getMembership(name: string, admin: boolean): Promise<MembershipSnapshot>
  listPage(request: ListPageRequest): Promise<ListPage>
  patchRole(name: string, role: Role, admin: boolean): Promise<MembershipSnapshot>
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
  }
}
