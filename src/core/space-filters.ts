// What discovering spaces needs to decide without a server: the filters and queries the API documents, which
// spaces have roles at all, who "the person" is, and which memberships make an owner.
import { ChatRoleError, isChatRoleError } from '../errors.js'
import { parseMembershipRef, quoteText } from './membership-name.js'
import type { MembershipSnapshot } from './plan.js'
import {
  describeSpaceType,
  joinedHumans,
  spaceTypeOfWord,
  type SpaceSnapshot,
  type SpaceType,
  type SpaceTypeWord,
} from './space.js'

/**
 * spaces.search with admin access must name the customer and the type, and SPACE is the only type it takes
 * (Chat v1 discovery, spaces.search `query`).
 */
export const ORGANISATION_SPACES_QUERY = 'customer = "customers/my_customer" AND space_type = "SPACE"'

/**
 * A space's joined human owners in one read. Admin access requires a `member.type` condition (members.list
 * `filter`); invitations are left out unless showInvited is asked for, so every one listed has joined.
 */
export const JOINED_HUMAN_OWNERS_FILTER = 'member.type = "HUMAN" AND role = "ROLE_MANAGER"'

/** Every joined human of a space (no apps, no groups, no invitations). */
export const JOINED_HUMANS_FILTER = 'member.type = "HUMAN"'

/** spaces.list's `filter` for one type; undefined lists every type. */
export function spacesListFilter(type: SpaceType | undefined): string | undefined {
  if (type === undefined || type === 'UNKNOWN') return undefined
  return `spaceType = "${type}"`
}

export interface SkippedSpaces {
  readonly groupChats: number
  readonly directMessages: number
  /** Spaces of no type chat-role knows (neither SPACE, GROUP_CHAT nor DIRECT_MESSAGE). */
  readonly other: number
}

export const NOTHING_SKIPPED: SkippedSpaces = Object.freeze({ groupChats: 0, directMessages: 0, other: 0 })

/** Named spaces, which have roles, apart from the rest, counted by type. */
export function partitionNamedSpaces(spaces: readonly SpaceSnapshot[]): {
  readonly named: SpaceSnapshot[]
  readonly skipped: SkippedSpaces
} {
  const named: SpaceSnapshot[] = []
  let groupChats = 0
  let directMessages = 0
  let other = 0
  for (const space of spaces) {
    if (space.spaceType === 'SPACE') named.push(space)
    else if (space.spaceType === 'GROUP_CHAT') groupChats += 1
    else if (space.spaceType === 'DIRECT_MESSAGE') directMessages += 1
    else other += 1
  }
  return { named, skipped: { groupChats, directMessages, other } }
}

/** "4 group chats and 2 DMs", for stderr; undefined when nothing was skipped. */
export function describeSkipped(skipped: SkippedSpaces): string | undefined {
  const parts = [
    plural(skipped.groupChats, 'group chat'),
    plural(skipped.directMessages, 'DM'),
    plural(skipped.other, 'space of an unknown type', 'spaces of an unknown type'),
  ].filter((part): part is string => part !== undefined)
  if (parts.length === 0) return undefined
  return parts.length === 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}`
}

function plural(count: number, one: string, many = `${one}s`): string | undefined {
  if (count === 0) return undefined
  return `${count} ${count === 1 ? one : many}`
}

/** A person as `--owner` and `--member` name them: the `{member}` of a membership name, and how it was given. */
export interface Person {
  /** A user id (`123456789`) or an email, domain lower-cased: what follows `spaces/S/members/`. */
  readonly key: string
  readonly kind: 'id' | 'email'
  /** As typed, for messages. */
  readonly input: string
}

const PERSON_FORM = 'name the person by email (name@example.com) or user id (users/123456789)'

/** `alice@example.com`, `users/123456789` or a bare `123456789`; anything else is a usage error. */
export function parsePerson(text: string): Person {
  const input = text.trim()
  if (input === '') throw new ChatRoleError('USAGE', 'the person is empty', { hint: PERSON_FORM })
  if (/^spaces\//.test(input)) {
    throw new ChatRoleError('USAGE', `${quoteText(input)} names a membership or a space, not a person`, {
      hint: PERSON_FORM,
    })
  }
  let ref
  try {
    // The membership parser checks ids and emails; any space will do to borrow it.
    ref = parseMembershipRef(input, { space: 'S' })
  } catch (error) {
    if (!isChatRoleError(error)) throw error
    throw new ChatRoleError('USAGE', error.message.replace(' is not a membership name: ', ' is not a person: '), {
      hint: PERSON_FORM,
    })
  }
  if (ref.kind === 'app') {
    throw new ChatRoleError('USAGE', "'app' is a Chat app, not a person", { hint: PERSON_FORM })
  }
  return { key: ref.member, kind: ref.kind, input }
}

/** The person's membership in a space, by the email alias or the user id (both documented for reads). */
export const personMembershipName = (space: string, person: Person): string => `${space}/members/${person.key}`

/**
 * Whether `--impersonate` acts as this very person, so their own spaces.list finds all their spaces. An email
 * compares without case; an id only with an id (an email and an id cannot be matched without a request).
 */
export function isSamePerson(person: Person, impersonated: string | undefined): boolean {
  if (impersonated === undefined) return false
  const other = impersonated.trim().replace(/^users\//, '')
  return person.kind === 'email' ? other.toLowerCase() === person.key.toLowerCase() : other === person.key
}

const isJoined = (membership: MembershipSnapshot): boolean =>
  membership.state === undefined || membership.state === 'JOINED'

/** An owner (the API's ROLE_MANAGER, the UI's Owner) who has joined: invited owners cannot act. */
export const isJoinedOwner = (membership: MembershipSnapshot): boolean =>
  isJoined(membership) && membership.role === 'ROLE_MANAGER'

/** A joined member of any role. */
export const isJoinedMembership = (membership: MembershipSnapshot): boolean => isJoined(membership)

/**
 * A named space that has no owner without reading its members: membershipCount says no human has joined it, and
 * only humans can own a space. Unknown (no count) is not known to be ownerless.
 */
export const knownOwnerless = (space: SpaceSnapshot): boolean => joinedHumans(space) === 0

export interface SpacesQuery {
  readonly type?: SpaceTypeWord
  readonly admin: boolean
  /** --ownerless, --owner or --member: only named spaces have roles. */
  readonly roles: boolean
}

/**
 * The type of spaces to ask for (undefined: every type), or a usage error. spaces.search finds named spaces only,
 * so with --admin the default is SPACE and other types cannot be asked for; roles exist in named spaces only.
 */
export function resolveSpaceType(query: SpacesQuery): SpaceType | undefined {
  const asked = query.type === undefined ? undefined : spaceTypeOfWord(query.type)
  if (asked !== undefined && asked !== 'SPACE') {
    if (query.admin) {
      throw new ChatRoleError(
        'USAGE',
        `--admin searches named spaces only; it cannot list ${describeSpaceType(asked)}s`,
        { hint: 'drop --admin to list your own group chats and DMs, or use --type space' },
      )
    }
    if (query.roles) {
      throw new ChatRoleError(
        'USAGE',
        `${describeSpaceType(asked)}s have no roles: --ownerless, --owner and --member look at named spaces`,
        { hint: 'drop --type, or use --type space' },
      )
    }
    return asked
  }
  return query.admin || query.roles ? 'SPACE' : asked
}
