// Acting on people rather than resource names: who to change in a space, decided from what was read. Pure:
// the commands read the memberships, these functions decide, and the role run carries the changes out in
// its safe order (grants before demotions, the caller last), so a space never goes without an owner.
import type { MembershipSnapshot } from './plan.js'
import type { Role } from './role.js'

const OWNER: Role = 'ROLE_MANAGER'
const MANAGER: Role = 'ROLE_ASSISTANT_MANAGER'
const MEMBER: Role = 'ROLE_MEMBER'

export interface PersonChange {
  readonly name: string
  readonly target: Role
}

export interface Refusal {
  readonly name: string
  readonly code: string
  readonly message: string
  readonly hint?: string
}

export interface SpaceDecision {
  readonly changes: PersonChange[]
  readonly refused: Refusal[]
}

/** A person as the user names them: an email (case-insensitive) or users/ID. */
export function isPerson(membership: MembershipSnapshot, person: string): boolean {
  const wanted = person.toLowerCase()
  return (
    membership.member?.toLowerCase() === wanted ||
    (membership.email !== undefined && membership.email.toLowerCase() === wanted) ||
    membership.member?.toLowerCase() === `users/${wanted}`
  )
}

const joinedHuman = (membership: MembershipSnapshot): boolean =>
  membership.memberKind === 'HUMAN' && membership.state === 'JOINED'

/**
 * `demote --all-managers [--keep …]`: every manager and owner of the space but those kept. Refuses (the whole
 * space) when that would leave it without an owner: no kept person is an owner.
 */
export function demoteAllManagers(
  space: string,
  memberships: readonly MembershipSnapshot[],
  keep: readonly string[],
): SpaceDecision {
  const kept = (membership: MembershipSnapshot): boolean => keep.some(person => isPerson(membership, person))
  const managers = memberships.filter(m => joinedHuman(m) && (m.role === OWNER || m.role === MANAGER))
  const keptOwners = managers.filter(m => m.role === OWNER && kept(m))
  const changes = managers.filter(m => !kept(m)).map(m => ({ name: m.name, target: MEMBER }))
  if (keptOwners.length === 0 && managers.some(m => m.role === OWNER)) {
    return {
      changes: [],
      refused: [
        {
          name: space,
          code: 'LAST_OWNER',
          message: `demoting every manager and owner of ${space} would leave it without an owner; nothing was changed there`,
          hint: `keep an owner with --keep EMAIL, or make someone owner first: chat-role promote --to owner ${space}/members/EMAIL`,
        },
      ],
    }
  }
  return { changes, refused: [] }
}

/**
 * `handover --from A --to B`: in a space where A is owner, B becomes owner, then A a plain member (or
 * `leaveAs`). B must already be a joined member there; where B is not, nothing changes in that space.
 */
export function handOver(
  space: string,
  from: MembershipSnapshot | undefined,
  to: MembershipSnapshot | undefined,
  toPerson: string,
  leaveAs: Role = MEMBER,
): SpaceDecision {
  if (from?.role !== OWNER) return { changes: [], refused: [] }
  if (to === undefined || !joinedHuman(to)) {
    return {
      changes: [],
      refused: [
        {
          name: from.name,
          code: 'NOT_A_MEMBER',
          message: `${toPerson} is not a joined member of ${space}: nothing was changed there`,
          hint: `add ${toPerson} to ${space} first, then run the handover again`,
        },
      ],
    }
  }
  const changes: PersonChange[] = []
  if (to.role !== OWNER) changes.push({ name: to.name, target: OWNER })
  changes.push({ name: from.name, target: leaveAs })
  return { changes, refused: [] }
}

/**
 * Ownerless repair: the person to make owner of a space with no joined human owner. `pick` is an email or
 * users/ID, or 'manager' for the longest-standing manager (the earliest createTime).
 */
export function ownerCandidate(
  space: string,
  memberships: readonly MembershipSnapshot[],
  pick: string,
): PersonChange | Refusal {
  const humans = memberships.filter(joinedHuman)
  if (humans.some(m => m.role === OWNER)) {
    return { name: space, code: 'HAS_OWNER', message: `${space} has an owner` }
  }
  const candidate =
    pick === 'manager'
      ? humans
          .filter(m => m.role === MANAGER)
          .sort((a, b) => (a.createTime ?? '\uffff').localeCompare(b.createTime ?? '\uffff'))[0]
      : humans.find(m => isPerson(m, pick))
  if (candidate === undefined) {
    return {
      name: space,
      code: 'NO_CANDIDATE',
      message:
        pick === 'manager'
          ? `${space} has no owner and no manager to make owner`
          : `${space} has no owner, and ${pick} is not a joined member of it`,
      hint: `make someone owner of ${space} yourself: chat-role promote --to owner --admin ${space}/members/EMAIL`,
    }
  }
  return { name: candidate.name, target: OWNER }
}
