// Big synthetic organisations, for the benchmark and for end-to-end tests that need many spaces:
// mixed space types, spaces without an owner, and people who hold different roles in many spaces.
// Everything is deterministic: the same options give the same seed. With only `spaces` and
// `membersPerSpace`, every space is a SPACE of the same users, the first an owner and every tenth a
// manager (the benchmark's seed).
import type { MembershipRole } from './enums.js'
import type { Seed, SeedMembership, SeedSpace, SeedUser } from './seed.js'

export interface GeneratedSeedOptions {
  /** Spaces in all: the SPACEs first, then `groupChats` GROUP_CHATs, then `directMessages` DMs. */
  readonly spaces: number
  /** Human members of each SPACE and GROUP_CHAT (a DM has two). */
  readonly membersPerSpace: number
  /** Users in the pool; default (and at least) membersPerSpace. User 0 is an admin and the defaultCaller. */
  readonly users?: number
  /**
   * Space i takes its members from the pool starting at user i × stride, wrapping around; default 0
   * (every space takes users 0 to membersPerSpace − 1). A user's position in a space decides its role
   * there, so a non-zero stride gives each user different roles in different spaces.
   */
  readonly stride?: number
  /** How many of the spaces are GROUP_CHATs (every member ROLE_MEMBER); default 0. */
  readonly groupChats?: number
  /** How many are DIRECT_MESSAGEs between pool users d and d + 1 (wrapping); default 0. */
  readonly directMessages?: number
  /** SPACE i has 1 + (i mod maxOwnersPerSpace) owners (positions 0, 1, …); default 1: one owner each. */
  readonly maxOwnersPerSpace?: number
  /**
   * The last `ownerless` SPACEs have no owner: the first, third, … of them have managers
   * (ROLE_ASSISTANT_MANAGER) where the owners would sit, as well as the usual ones; the others have
   * members only. Default 0.
   */
  readonly ownerless?: number
}

export function generatedUserId(index: number): string {
  return `2${String(index).padStart(20, '0')}`
}

export function generatedSpaceId(index: number): string {
  return `AAAAbench${String(index).padStart(6, '0')}`
}

function count(name: string, value: number | undefined, fallback: number, least = 0): number {
  const result = value ?? fallback
  if (!Number.isInteger(result) || result < least) {
    throw new RangeError(`generateSeed: ${name} must be an integer of at least ${least}, got ${String(value)}`)
  }
  return result
}

/** The role of the member at `position` in a SPACE with `owners` owners (`ownerlessRank`: its rank among the ownerless). */
function spaceRole(position: number, owners: number, ownerlessRank: number | undefined): MembershipRole {
  if (ownerlessRank !== undefined && ownerlessRank % 2 === 1) return 'ROLE_MEMBER'
  if (position < owners) return ownerlessRank === undefined ? 'ROLE_MANAGER' : 'ROLE_ASSISTANT_MANAGER'
  return position % 10 === 0 ? 'ROLE_ASSISTANT_MANAGER' : 'ROLE_MEMBER'
}

export function generateSeed(options: GeneratedSeedOptions): Seed {
  const membersPerSpace = count('membersPerSpace', options.membersPerSpace, 0)
  const spaces = count('spaces', options.spaces, 0)
  const userCount = count('users', options.users, membersPerSpace, membersPerSpace)
  const stride = count('stride', options.stride, 0)
  const groupChats = count('groupChats', options.groupChats, 0)
  const directMessages = count('directMessages', options.directMessages, 0)
  const maxOwners = count('maxOwnersPerSpace', options.maxOwnersPerSpace, 1, 1)
  const namedSpaces = spaces - groupChats - directMessages
  if (namedSpaces < 0) throw new RangeError('generateSeed: groupChats plus directMessages exceed spaces')
  const ownerless = count('ownerless', options.ownerless, 0)
  if (ownerless > namedSpaces) throw new RangeError('generateSeed: ownerless exceeds the number of SPACEs')
  if (directMessages > 0 && userCount < 2) throw new RangeError('generateSeed: direct messages need at least 2 users')

  const users: SeedUser[] = []
  for (let index = 0; index < userCount; index += 1) {
    users.push({
      id: generatedUserId(index),
      email: `user${index}@bench.example`,
      displayName: `Bench User ${index}`,
      admin: index === 0,
    })
  }
  const userAt = (index: number): string => users[index % userCount]?.id ?? ''
  const window = (spaceIndex: number): string[] =>
    Array.from({ length: membersPerSpace }, (_, position) => userAt(spaceIndex * stride + position))

  const spaceList: SeedSpace[] = []
  for (let index = 0; index < spaces; index += 1) {
    const id = generatedSpaceId(index)
    if (index < namedSpaces) {
      const owners = Math.min(1 + (index % maxOwners), Math.max(1, membersPerSpace))
      const firstOwnerless = namedSpaces - ownerless
      const ownerlessRank = index >= firstOwnerless ? index - firstOwnerless : undefined
      const memberships: SeedMembership[] = window(index).map((user, position) => ({
        user,
        role: spaceRole(position, owners, ownerlessRank),
      }))
      spaceList.push({ id, displayName: `Bench Space ${index}`, memberships })
    } else if (index < namedSpaces + groupChats) {
      const memberships = window(index).map(user => ({ user }))
      spaceList.push({ id, spaceType: 'GROUP_CHAT', memberships })
    } else {
      const dm = index - namedSpaces - groupChats
      spaceList.push({ id, spaceType: 'DIRECT_MESSAGE', memberships: [{ user: userAt(dm) }, { user: userAt(dm + 1) }] })
    }
  }
  return { users, spaces: spaceList, ...(users[0] === undefined ? {} : { defaultCaller: users[0].id }) }
}
