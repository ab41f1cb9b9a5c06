import { describe, expect, it } from 'vitest'
import {
  ROLE_WORDS,
  describeRole,
  isRawRoleName,
  isRole,
  parseRole,
  roleOfWord,
  roleRank,
  wordOfRole,
  type Role,
  type RoleWord,
} from '../../src/core/role.js'
import { ChatRoleError } from '../../src/errors.js'

// The Oct 2025 rename, stated once as data: the UI's Manager is ROLE_ASSISTANT_MANAGER, its Owner is ROLE_MANAGER.
const MAPPING: readonly (readonly [RoleWord, Role, string])[] = [
  ['member', 'ROLE_MEMBER', 'Member (ROLE_MEMBER)'],
  ['manager', 'ROLE_ASSISTANT_MANAGER', 'Manager (ROLE_ASSISTANT_MANAGER)'],
  ['owner', 'ROLE_MANAGER', 'Owner (ROLE_MANAGER)'],
]

const variants = (text: string): string[] => [
  text,
  text.toUpperCase(),
  text.toLowerCase(),
  text.charAt(0).toUpperCase() + text.slice(1).toLowerCase(),
  `  ${text}\t`,
  `\n${text.toUpperCase()} `,
]

function usageError(run: () => unknown): ChatRoleError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ChatRoleError)
    const chatRoleError = error as ChatRoleError
    expect(chatRoleError.code).toBe('USAGE')
    expect(chatRoleError.message).not.toMatch(/^Error:|\n/)
    return chatRoleError
  }
  throw new Error('expected a ChatRoleError')
}

describe('the role mapping', () => {
  it('maps manager to ROLE_ASSISTANT_MANAGER and owner to ROLE_MANAGER (the trap)', () => {
    expect(roleOfWord('manager')).toBe('ROLE_ASSISTANT_MANAGER')
    expect(roleOfWord('owner')).toBe('ROLE_MANAGER')
    expect(wordOfRole('ROLE_MANAGER')).toBe('owner')
    expect(wordOfRole('ROLE_ASSISTANT_MANAGER')).toBe('manager')
    expect(parseRole('manager')).not.toBe('ROLE_MANAGER')
    expect(parseRole('ROLE_MANAGER')).toBe(parseRole('owner'))
  })

  it.each(MAPPING)('%s <-> %s', (word, role, description) => {
    expect(roleOfWord(word)).toBe(role)
    expect(wordOfRole(role)).toBe(word)
    expect(wordOfRole(roleOfWord(word))).toBe(word)
    expect(describeRole(role)).toBe(description)
  })

  it('lists the words in rank order, and ranks follow it', () => {
    expect(ROLE_WORDS).toEqual(['member', 'manager', 'owner'])
    expect(ROLE_WORDS.map(word => roleRank(roleOfWord(word)))).toEqual([0, 1, 2])
    expect(roleRank('ROLE_MEMBER')).toBeLessThan(roleRank('ROLE_ASSISTANT_MANAGER'))
    expect(roleRank('ROLE_ASSISTANT_MANAGER')).toBeLessThan(roleRank('ROLE_MANAGER'))
    expect(Object.isFrozen(ROLE_WORDS)).toBe(true)
  })
})

describe('parseRole', () => {
  const accepted = MAPPING.flatMap(([word, role]) => [
    ...variants(word).map(text => [text, role] as const),
    ...variants(role).map(text => [text, role] as const),
  ])

  it.each(accepted)('accepts %j as %s', (text, role) => {
    expect(parseRole(text)).toBe(role)
  })

  it.each([
    [
      'admin',
      "unknown role 'admin'",
      /no admin role: use owner \(ROLE_MANAGER\) or manager \(ROLE_ASSISTANT_MANAGER\)/,
    ],
    ['Administrator', "unknown role 'Administrator'", /no admin role/],
    ['assistant', "unknown role 'assistant'", /did you mean manager \(ROLE_ASSISTANT_MANAGER\)\?/],
    ['assistant-manager', "unknown role 'assistant-manager'", /did you mean manager \(ROLE_ASSISTANT_MANAGER\)\?/],
    ['ROLE_ASSISTANT', "unknown role 'ROLE_ASSISTANT'", /did you mean ROLE_ASSISTANT_MANAGER\?/],
    [
      'role-manager',
      "unknown role 'role-manager'",
      /did you mean ROLE_MANAGER, the UI's Owner; the UI's Manager is ROLE_ASSISTANT_MANAGER\?/,
    ],
    ['ROLE_OWNER', "unknown role 'ROLE_OWNER'", /did you mean ROLE_MANAGER, the UI's Owner/],
    ['owners', "unknown role 'owners'", /did you mean owner \(ROLE_MANAGER\)\?/],
    ['manger', "unknown role 'manger'", /did you mean manager \(ROLE_ASSISTANT_MANAGER\)\?/],
    ['onwer', "unknown role 'onwer'", /did you mean owner \(ROLE_MANAGER\)\?/],
    ['memebr', "unknown role 'memebr'", /did you mean member \(ROLE_MEMBER\)\?/],
    ['ROLE_MANGER', "unknown role 'ROLE_MANGER'", /did you mean ROLE_MANAGER, the UI's Owner/],
    ['ROLE_MEMBERS', "unknown role 'ROLE_MEMBERS'", /did you mean ROLE_MEMBER\?/],
    ['guest', "unknown role 'guest'", /^use member, manager or owner/],
    [
      'x',
      "unknown role 'x'",
      /^use member, manager or owner \(or ROLE_MEMBER, ROLE_ASSISTANT_MANAGER, ROLE_MANAGER\)$/,
    ],
    ['ROLE_MANAGER_', "unknown role 'ROLE_MANAGER_'", /ROLE_MANAGER/],
    ['owner\u200b', "unknown role 'owner\\u200b'", /did you mean owner/],
    ['', 'role is empty', /^use member, manager or owner/],
    ['   ', 'role is empty', /^use member, manager or owner/],
    [
      'MEMBERSHIP_ROLE_UNSPECIFIED',
      `cannot set role 'MEMBERSHIP_ROLE_UNSPECIFIED': it means "not a member"`,
      /^use member/,
    ],
    ['membership_role_unspecified', `cannot set role 'membership_role_unspecified': it means "not a member"`, /^use/],
  ])('rejects %j', (text, message, hint) => {
    const error = usageError(() => parseRole(text))
    expect(error.message).toBe(message)
    expect(error.hint).toMatch(hint)
  })

  it.each([
    'role_a\u017f\u017fi\u017ftant_manager',
    'role_m\u0131ember',
    'r\u043ele_manager',
    '\u043ewner',
    'o\uff57ner',
  ])('accepts only ASCII spellings, not %j', text => {
    expect(() => parseRole(text)).toThrow(ChatRoleError)
    expect(isRawRoleName(text)).toBe(false)
  })

  it('never accepts a suggestion on its own', () => {
    for (const text of ['admin', 'assistant', 'owners', 'manger', 'role-manager', 'ROLE MANAGER', 'co-owner']) {
      expect(() => parseRole(text)).toThrow(ChatRoleError)
    }
  })

  it('quotes very long input cut short', () => {
    const error = usageError(() => parseRole('z'.repeat(500)))
    expect(error.message.length).toBeLessThan(100)
    expect(error.message).toMatch(/^unknown role 'z+…'$/)
  })
})

describe('isRawRoleName', () => {
  it.each(MAPPING.flatMap(([, role]) => variants(role)))('is true for %j', text => {
    expect(isRawRoleName(text)).toBe(true)
  })

  it.each(['member', 'manager', 'owner', 'OWNER', 'ROLE_OWNER', 'MEMBERSHIP_ROLE_UNSPECIFIED', '', 'role-manager'])(
    'is false for %j',
    text => {
      expect(isRawRoleName(text)).toBe(false)
    },
  )
})

describe('isRole', () => {
  it.each(['ROLE_MEMBER', 'ROLE_ASSISTANT_MANAGER', 'ROLE_MANAGER'])('is true for %s', value => {
    expect(isRole(value)).toBe(true)
  })

  it.each([
    'role_manager',
    'owner',
    'MEMBERSHIP_ROLE_UNSPECIFIED',
    '',
    ' ROLE_MEMBER',
    'toString',
    '__proto__',
    undefined,
    null,
    2,
    {},
  ])('is false for %j', value => {
    expect(isRole(value)).toBe(false)
  })
})

describe('describeRole', () => {
  it.each([
    ['MEMBERSHIP_ROLE_UNSPECIFIED', 'no role (MEMBERSHIP_ROLE_UNSPECIFIED)'],
    [undefined, 'no role (MEMBERSHIP_ROLE_UNSPECIFIED)'],
    [null, 'no role (MEMBERSHIP_ROLE_UNSPECIFIED)'],
    ['', 'no role (MEMBERSHIP_ROLE_UNSPECIFIED)'],
    ['ROLE_FUTURE', 'unknown (ROLE_FUTURE)'],
    ['role_manager', 'unknown (role_manager)'],
    ['ROLE\nX', 'unknown (ROLE\\nX)'],
  ])('describes %j as %j', (role, description) => {
    expect(describeRole(role)).toBe(description)
  })
})
