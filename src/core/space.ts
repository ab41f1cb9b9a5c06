// Spaces as chat-role reads them from spaces.list, spaces.search and spaces.get: plain values, no I/O.

/** Google's spaceType. UNKNOWN stands for anything else (an old space that carries only the deprecated `type`). */
export type SpaceType = 'SPACE' | 'GROUP_CHAT' | 'DIRECT_MESSAGE' | 'UNKNOWN'

/** What `--type` takes: the words people use, and `all`. */
export type SpaceTypeWord = 'space' | 'group-chat' | 'dm' | 'all'

export const SPACE_TYPE_WORDS: readonly SpaceTypeWord[] = Object.freeze(['space', 'group-chat', 'dm', 'all'])

const TYPE_OF_WORD: Readonly<Record<SpaceTypeWord, SpaceType | undefined>> = {
  space: 'SPACE',
  'group-chat': 'GROUP_CHAT',
  dm: 'DIRECT_MESSAGE',
  all: undefined,
}

/** The spaceType a `--type` word stands for; undefined for `all`. */
export const spaceTypeOfWord = (word: SpaceTypeWord): SpaceType | undefined => TYPE_OF_WORD[word]

export interface MembershipCount {
  /** Humans who joined the space themselves (not through a group). Zero is left out by the API. */
  readonly joinedDirectHumanUserCount?: number
  readonly joinedGroupCount?: number
}

/** What a read of one space told us. */
export interface SpaceSnapshot {
  /** `spaces/S` */
  readonly name: string
  /** Named spaces (SPACE) only. */
  readonly displayName?: string
  readonly spaceType: SpaceType
  /** Joined memberships by kind; absent when the API sent none. */
  readonly membershipCount?: MembershipCount
  /** RFC 3339. */
  readonly createTime?: string
}

/** Only named spaces have roles: in group chats and direct messages everyone is a member. */
export const isNamedSpace = (space: SpaceSnapshot): boolean => space.spaceType === 'SPACE'

/**
 * Joined human users, from membershipCount, when the API sent one: proto3 JSON leaves out zero counts, so a
 * count object without the field means none; no count object at all means unknown.
 */
export function joinedHumans(space: SpaceSnapshot): number | undefined {
  if (space.membershipCount === undefined) return undefined
  return space.membershipCount.joinedDirectHumanUserCount ?? 0
}

/** How messages and tables name a type. */
export function describeSpaceType(type: SpaceType): string {
  switch (type) {
    case 'SPACE':
      return 'space'
    case 'GROUP_CHAT':
      return 'group chat'
    case 'DIRECT_MESSAGE':
      return 'DM'
    case 'UNKNOWN':
      return 'unknown'
  }
}
