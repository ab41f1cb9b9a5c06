// Enum values with their proto numbers (@google-apps/chat 0.32.0 protos), for proto3 JSON input
// (`{"role": 4}`) and for `alt=json;enum-encoding=int` output.

export const MembershipRole = {
  MEMBERSHIP_ROLE_UNSPECIFIED: 0,
  ROLE_MEMBER: 1,
  ROLE_MANAGER: 2,
  ROLE_ASSISTANT_MANAGER: 4,
} as const
export type MembershipRole = keyof typeof MembershipRole

export const MembershipState = { MEMBERSHIP_STATE_UNSPECIFIED: 0, JOINED: 1, INVITED: 2, NOT_A_MEMBER: 3 } as const
export type MembershipState = keyof typeof MembershipState

export const Affiliation = { AFFILIATION_UNSPECIFIED: 0, INTERNAL: 1, EXTERNAL: 2, MANAGED_EXTERNAL: 3 } as const
export type Affiliation = keyof typeof Affiliation

export const UserType = { TYPE_UNSPECIFIED: 0, HUMAN: 1, BOT: 2 } as const
export type UserType = keyof typeof UserType

export const SpaceType = { SPACE_TYPE_UNSPECIFIED: 0, SPACE: 1, GROUP_CHAT: 2, DIRECT_MESSAGE: 3 } as const
export type SpaceType = keyof typeof SpaceType

const LegacySpaceType = { TYPE_UNSPECIFIED: 0, ROOM: 1, DM: 2 } as const

const SpaceThreadingState = {
  SPACE_THREADING_STATE_UNSPECIFIED: 0,
  THREADED_MESSAGES: 2,
  GROUPED_MESSAGES: 3,
  UNTHREADED_MESSAGES: 4,
} as const

export const HistoryState = { HISTORY_STATE_UNSPECIFIED: 0, HISTORY_OFF: 1, HISTORY_ON: 2 } as const
export type HistoryState = keyof typeof HistoryState

/** Output enum fields by JSON key; `type` is shared by User (HUMAN/BOT) and Space (ROOM/DM). */
const NUMBERS_BY_KEY: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  role: MembershipRole,
  state: MembershipState,
  affiliation: Affiliation,
  type: { ...UserType, ...LegacySpaceType },
  spaceType: SpaceType,
  spaceThreadingState: SpaceThreadingState,
  spaceHistoryState: HistoryState,
}

/** Rewrites enum names as numbers throughout a rendered response. */
export function enumsToNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(enumsToNumbers)
  if (value === null || typeof value !== 'object') return value
  const result: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    const numbers = Object.hasOwn(NUMBERS_BY_KEY, key) ? NUMBERS_BY_KEY[key] : undefined
    const number =
      numbers !== undefined && typeof child === 'string' && Object.hasOwn(numbers, child) ? numbers[child] : undefined
    result[key] = number ?? enumsToNumbers(child)
  }
  return result
}
