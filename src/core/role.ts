// Role words as the Chat UI says them, and the API enum values they stand for.
// The trap (Oct 2025 rename): the UI's Owner is ROLE_MANAGER, and the UI's Manager is ROLE_ASSISTANT_MANAGER.
// Granting ROLE_MANAGER to someone meant to be a "manager" makes them an owner, so every mapping lives here, once.
import { ChatRoleError } from '../errors.js'
import { printableText, quoteText } from './membership-name.js'

export type Role = 'ROLE_MEMBER' | 'ROLE_ASSISTANT_MANAGER' | 'ROLE_MANAGER'
export type RoleWord = 'member' | 'manager' | 'owner'

const ROLE_OF_WORD = {
  member: 'ROLE_MEMBER',
  manager: 'ROLE_ASSISTANT_MANAGER',
  owner: 'ROLE_MANAGER',
} as const satisfies Record<RoleWord, Role>

const WORD_OF_ROLE = {
  ROLE_MEMBER: 'member',
  ROLE_ASSISTANT_MANAGER: 'manager',
  ROLE_MANAGER: 'owner',
} as const satisfies Record<Role, RoleWord>

const RANK_OF_WORD = { member: 0, manager: 1, owner: 2 } as const satisfies Record<RoleWord, number>

/** In rank order: member, manager, owner. */
export const ROLE_WORDS: readonly RoleWord[] = Object.freeze(['member', 'manager', 'owner'])

const ROLE_HINT = 'use member, manager or owner (or ROLE_MEMBER, ROLE_ASSISTANT_MANAGER, ROLE_MANAGER)'

const isRoleWord = (text: string): text is RoleWord => Object.hasOwn(ROLE_OF_WORD, text)

export const isRole = (value: unknown): value is Role => typeof value === 'string' && Object.hasOwn(WORD_OF_ROLE, value)

export const roleOfWord = (word: RoleWord): Role => ROLE_OF_WORD[word]

export const wordOfRole = (role: Role): RoleWord => WORD_OF_ROLE[role]

export const roleRank = (role: Role): 0 | 1 | 2 => RANK_OF_WORD[WORD_OF_ROLE[role]]

/** True when the user typed an API name (ROLE_*), so the command can remind them that ROLE_MANAGER is the UI's Owner. */
export const isRawRoleName = (text: string): boolean => isRole(asciiUpper(text.trim()))

// Case folding only for ASCII: toUpperCase maps 'ſ' to 'S' and 'ı' to 'I', which must not spell a role.
const asciiUpper = (text: string): string => (/^[\x20-\x7e]*$/.test(text) ? text.toUpperCase() : text)
const asciiLower = (text: string): string => (/^[\x20-\x7e]*$/.test(text) ? text.toLowerCase() : text)

/** Accepts member, manager, owner or the raw ROLE_* names, trimmed and in any case. */
export function parseRole(text: string): Role {
  const trimmed = text.trim()
  const word = asciiLower(trimmed)
  if (isRoleWord(word)) return ROLE_OF_WORD[word]
  const raw = asciiUpper(trimmed)
  if (isRole(raw)) return raw
  if (trimmed === '') throw new ChatRoleError('USAGE', 'role is empty', { hint: ROLE_HINT })
  if (raw === 'MEMBERSHIP_ROLE_UNSPECIFIED') {
    throw new ChatRoleError('USAGE', `cannot set role ${quoteText(trimmed)}: it means "not a member"`, {
      hint: ROLE_HINT,
    })
  }
  throw new ChatRoleError('USAGE', `unknown role ${quoteText(trimmed)}`, { hint: suggestRole(word) ?? ROLE_HINT })
}

/** 'Owner (ROLE_MANAGER)': the UI name first, the API name beside it, so nobody has to remember the rename. */
export function describeRole(role: string | null | undefined): string {
  // Proto3 JSON omits a default enum, so a missing role is MEMBERSHIP_ROLE_UNSPECIFIED.
  if (role === undefined || role === null || role === '' || role === 'MEMBERSHIP_ROLE_UNSPECIFIED') {
    return 'no role (MEMBERSHIP_ROLE_UNSPECIFIED)'
  }
  if (!isRole(role)) return `unknown (${printableText(role)})`
  const word = WORD_OF_ROLE[role]
  return `${word.charAt(0).toUpperCase()}${word.slice(1)} (${role})`
}

// Near misses people type, keyed with case, spaces, '_' and '-' removed. Only ever a hint: never accepted.
const NEAR_MISSES: Readonly<Record<string, RoleWord | 'admin'>> = {
  admin: 'admin',
  admins: 'admin',
  administrator: 'admin',
  spaceadmin: 'admin',
  members: 'member',
  rolemembers: 'member',
  user: 'member',
  regular: 'member',
  managers: 'manager',
  assistant: 'manager',
  assistantmanager: 'manager',
  roleassistant: 'manager',
  spacemanager: 'manager',
  comanager: 'manager',
  owners: 'owner',
  coowner: 'owner',
  spaceowner: 'owner',
  roleowner: 'owner',
}

const CANDIDATES: readonly (readonly [string, RoleWord])[] = [
  ...ROLE_WORDS.map(word => [word, word] as const),
  ...ROLE_WORDS.map(word => [ROLE_OF_WORD[word].toLowerCase().replaceAll('_', ''), word] as const),
]

function suggestRole(word: string): string | undefined {
  const key = word.replace(/[\s_-]/g, '')
  const near = NEAR_MISSES[key] ?? closest(key)
  if (near === undefined) return undefined
  if (near === 'admin') {
    return 'Chat has no admin role: use owner (ROLE_MANAGER) or manager (ROLE_ASSISTANT_MANAGER)'
  }
  if (key.startsWith('role')) {
    const raw = ROLE_OF_WORD[near]
    // Spell out the rename: someone reaching for ROLE_MANAGER may mean the UI's Manager.
    const aside = near === 'owner' ? ", the UI's Owner; the UI's Manager is ROLE_ASSISTANT_MANAGER" : ''
    return `did you mean ${raw}${aside}? ${ROLE_HINT}`
  }
  return `did you mean ${near} (${ROLE_OF_WORD[near]})? ${ROLE_HINT}`
}

function closest(key: string): RoleWord | undefined {
  if (key.length < 4) return undefined
  let best: RoleWord | undefined
  let bestDistance = 3
  for (const [candidate, word] of CANDIDATES) {
    const distance = editDistance(key, candidate)
    if (distance < bestDistance) [best, bestDistance] = [word, distance]
  }
  return best
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
