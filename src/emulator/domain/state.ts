// The in-memory Chat domain built from a validated seed: maps keyed by space and member, an email
// index, and arrays sorted by id so that paging is stable and a page costs O(page), not O(domain).
import type { DirectoryServiceAccount } from '../oauth/contract.js'
import type { MembershipRole } from './enums.js'
import type { MembershipSeedRecord, SpaceSeedRecord, UserRecord, ValidSeed } from './seed.js'

export interface MembershipRecord {
  /** `spaces/{space}/members/{member}`. */
  readonly name: string
  readonly memberId: string
  readonly kind: MembershipSeedRecord['kind']
  /** The seeded user (HUMAN or BOT); absent for groups. */
  readonly user?: UserRecord
  role: MembershipRole
  readonly state: MembershipSeedRecord['state']
  readonly createTime: string
}

export interface SpaceRecord extends Omit<SpaceSeedRecord, 'memberships'> {
  /** `spaces/{space}`. */
  readonly name: string
  readonly members: ReadonlyMap<string, MembershipRecord>
  /** Every membership, sorted by member id: the paging order. */
  readonly sortedMembers: readonly MembershipRecord[]
  readonly joinedHumanCount: number
  readonly joinedGroupCount: number
  /** JOINED memberships with ROLE_MANAGER, kept current by setRole. */
  ownerCount: number
}

export interface ChatState {
  readonly seed: ValidSeed
  readonly users: ReadonlyMap<string, UserRecord>
  /** Users by lower-cased email. */
  readonly usersByEmail: ReadonlyMap<string, UserRecord>
  readonly spaces: ReadonlyMap<string, SpaceRecord>
  /** Spaces sorted by id. */
  readonly sortedSpaces: readonly SpaceRecord[]
  /** For each user (human or app), the spaces where it is JOINED, sorted by id. */
  readonly joinedSpaces: ReadonlyMap<string, readonly SpaceRecord[]>
  /** Service accounts by lower-cased client email. */
  readonly serviceAccounts: ReadonlyMap<string, DirectoryServiceAccount>
}

function compareIds(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0
}

export function buildState(seed: ValidSeed): ChatState {
  const users = new Map<string, UserRecord>()
  const usersByEmail = new Map<string, UserRecord>()
  for (const user of seed.users) {
    users.set(user.id, user)
    if (user.email !== undefined) usersByEmail.set(user.email.toLowerCase(), user)
  }
  const spaces = new Map<string, SpaceRecord>()
  const joinedSpaces = new Map<string, SpaceRecord[]>()
  const sortedSpaces = [...seed.spaces].sort((left, right) => compareIds(left.id, right.id))
  for (const { memberships, ...space } of sortedSpaces) {
    const name = `spaces/${space.id}`
    const members = new Map<string, MembershipRecord>()
    let ownerCount = 0
    let joinedHumanCount = 0
    let joinedGroupCount = 0
    for (const membership of memberships) {
      const user = membership.kind === 'GROUP' ? undefined : users.get(membership.memberId)
      members.set(membership.memberId, {
        name: `${name}/members/${membership.memberId}`,
        memberId: membership.memberId,
        kind: membership.kind,
        role: membership.role,
        state: membership.state,
        createTime: membership.createTime,
        ...(user === undefined ? {} : { user }),
      })
      if (membership.state !== 'JOINED') continue
      if (membership.kind === 'HUMAN') joinedHumanCount += 1
      if (membership.kind === 'GROUP') joinedGroupCount += 1
      if (membership.role === 'ROLE_MANAGER') ownerCount += 1
    }
    const sortedMembers = [...members.values()].sort((left, right) => compareIds(left.memberId, right.memberId))
    const record: SpaceRecord = {
      ...space,
      name,
      members,
      sortedMembers,
      ownerCount,
      joinedHumanCount,
      joinedGroupCount,
    }
    spaces.set(space.id, record)
    for (const membership of sortedMembers) {
      if (membership.kind === 'GROUP' || membership.state !== 'JOINED') continue
      let list = joinedSpaces.get(membership.memberId)
      if (list === undefined) {
        list = []
        joinedSpaces.set(membership.memberId, list)
      }
      list.push(record)
    }
  }
  const serviceAccounts = new Map(seed.serviceAccounts.map(account => [account.clientEmail.toLowerCase(), account]))
  return {
    seed,
    users,
    usersByEmail,
    spaces,
    sortedSpaces: [...spaces.values()],
    joinedSpaces,
    serviceAccounts,
  }
}

/** Finds a membership by member id or, when `key` holds an `@`, by the member's email. */
export function findMembership(state: ChatState, space: SpaceRecord, key: string): MembershipRecord | undefined {
  if (!key.includes('@')) return space.members.get(key)
  const user = state.usersByEmail.get(key.toLowerCase())
  return user === undefined ? undefined : space.members.get(user.id)
}

export function isJoinedMember(space: SpaceRecord, userId: string): boolean {
  return space.members.get(userId)?.state === 'JOINED'
}

export function setRole(space: SpaceRecord, membership: MembershipRecord, role: MembershipRole): void {
  if (membership.state === 'JOINED') {
    space.ownerCount += (role === 'ROLE_MANAGER' ? 1 : 0) - (membership.role === 'ROLE_MANAGER' ? 1 : 0)
  }
  membership.role = role
}
