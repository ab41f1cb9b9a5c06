// Membership and Space resources as the discovery document shapes them. Proto3 JSON leaves out
// default values (false, 0, *_UNSPECIFIED), so a group's MEMBERSHIP_ROLE_UNSPECIFIED role is absent.
import type { MembershipRecord, SpaceRecord } from './state.js'

export interface UserResource {
  readonly name: string
  readonly displayName?: string
  readonly email?: string
  readonly type: 'HUMAN' | 'BOT'
}

export interface MembershipResource {
  readonly name: string
  readonly state: string
  readonly role?: string
  readonly member?: UserResource
  readonly groupMember?: { readonly name: string }
  readonly createTime: string
  readonly affiliation?: string
}

export interface SpaceResource {
  readonly name: string
  readonly type: 'ROOM' | 'DM'
  readonly displayName?: string
  readonly spaceThreadingState: string
  readonly spaceType: string
  readonly spaceHistoryState: string
  readonly singleUserBotDm?: boolean
  readonly externalUserAllowed?: boolean
  readonly importMode?: boolean
  readonly importModeExpireTime?: string
  readonly createTime: string
  readonly lastActiveTime: string
  readonly membershipCount: { readonly joinedDirectHumanUserCount?: number; readonly joinedGroupCount?: number }
  readonly spaceUri: string
}

/**
 * Display names and emails are shown for every member: the documented rule hides them only for
 * users who are neither members of the space nor in prior contact, and a membership's user is a member.
 */
export function renderMembership(membership: MembershipRecord): MembershipResource {
  const head = {
    name: membership.name,
    state: membership.state,
    ...(membership.role === 'MEMBERSHIP_ROLE_UNSPECIFIED' ? {} : { role: membership.role }),
  }
  if (membership.kind === 'GROUP') {
    return { ...head, groupMember: { name: `groups/${membership.memberId}` }, createTime: membership.createTime }
  }
  const user = membership.user
  const member: UserResource = {
    name: `users/${membership.memberId}`,
    ...(user?.displayName === undefined ? {} : { displayName: user.displayName }),
    ...(user?.email === undefined ? {} : { email: user.email }),
    type: membership.kind,
  }
  return {
    ...head,
    member,
    createTime: membership.createTime,
    ...(user?.affiliation === undefined ? {} : { affiliation: user.affiliation }),
  }
}

const IMPORT_MODE_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000

export function renderSpace(space: SpaceRecord): SpaceResource {
  const named = space.spaceType === 'SPACE'
  const botDm = space.spaceType === 'DIRECT_MESSAGE' && space.sortedMembers.some(member => member.kind === 'BOT')
  const membershipCount = {
    ...(space.joinedHumanCount === 0 ? {} : { joinedDirectHumanUserCount: space.joinedHumanCount }),
    ...(space.joinedGroupCount === 0 ? {} : { joinedGroupCount: space.joinedGroupCount }),
  }
  return {
    name: space.name,
    type: botDm ? 'DM' : 'ROOM',
    ...(named && space.displayName !== undefined ? { displayName: space.displayName } : {}),
    spaceThreadingState: named ? 'THREADED_MESSAGES' : 'UNTHREADED_MESSAGES',
    spaceType: space.spaceType,
    spaceHistoryState: space.spaceHistoryState,
    ...(botDm ? { singleUserBotDm: true } : {}),
    ...(space.externalUserAllowed ? { externalUserAllowed: true } : {}),
    ...(space.importMode
      ? {
          importMode: true,
          importModeExpireTime: new Date(Date.parse(space.createTime) + IMPORT_MODE_LIFETIME_MS).toISOString(),
        }
      : {}),
    createTime: space.createTime,
    lastActiveTime: space.lastActiveTime,
    membershipCount,
    spaceUri: `https://chat.google.com/${named ? 'room' : 'dm'}/${space.id}`,
  }
}
