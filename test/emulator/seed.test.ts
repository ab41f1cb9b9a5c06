// Seed validation (the first problem, by JSON path), defaults, the demo seed and the generated seed.
import { describe, expect, it } from 'vitest'
import { SeedError, demoSeed, generateSeed, parseSeedText, validateSeed } from '../../src/emulator/index.js'
import { buildState } from '../../src/emulator/domain/state.js'

const briefSeed = {
  users: [
    { id: '100000000000000000001', email: 'olivia@example.com', displayName: 'Olivia Owner', admin: true },
    { id: '100000000000000000002', email: 'max@example.com', displayName: 'Max Member' },
    { id: 'app-1', displayName: 'Helper Bot', type: 'BOT' },
  ],
  spaces: [
    {
      id: 'AAAAengineering',
      displayName: 'Engineering',
      spaceType: 'SPACE',
      memberships: [
        { user: '100000000000000000001', role: 'ROLE_MANAGER' },
        { user: '100000000000000000002', role: 'ROLE_MEMBER' },
        { user: 'app-1', role: 'ROLE_MEMBER' },
        { group: 'groups/eng-all' },
        { user: '100000000000000000003', role: 'ROLE_MEMBER', state: 'INVITED' },
      ],
    },
  ],
  defaultCaller: '100000000000000000001',
}

describe('valid seeds', () => {
  it('accepts the documented example and fills in defaults', () => {
    const seed = validateSeed(briefSeed)
    expect(seed.defaultCaller).toBe('100000000000000000001')
    expect(seed.app).toBe('app-1')
    expect(seed.users.find(user => user.id === '100000000000000000003')).toEqual({
      id: '100000000000000000003',
      type: 'HUMAN',
      admin: false,
    })
    const memberships = seed.spaces[0]?.memberships ?? []
    expect(memberships.find(membership => membership.kind === 'GROUP')).toEqual({
      memberId: 'eng-all',
      kind: 'GROUP',
      role: 'MEMBERSHIP_ROLE_UNSPECIFIED',
      state: 'JOINED',
      createTime: '2025-01-06T09:00:00Z',
    })
    expect(memberships.find(membership => membership.kind === 'BOT')).toMatchObject({
      memberId: 'app-1',
      role: 'ROLE_MEMBER',
      state: 'JOINED',
    })
    expect(seed.spaces[0]).toMatchObject({
      spaceType: 'SPACE',
      importMode: false,
      externalUserAllowed: false,
      createTime: '2025-01-06T09:00:00Z',
      lastActiveTime: '2025-01-06T09:00:00Z',
      spaceHistoryState: 'HISTORY_ON',
    })
  })

  it('takes lastActiveTime (default createTime) and spaceHistoryState', () => {
    const seed = validateSeed({
      users: [{ id: 'u' }],
      spaces: [
        { id: 'A', createTime: '2024-01-01T00:00:00Z' },
        { id: 'B', lastActiveTime: '2025-02-01T10:00:00+01:00', spaceHistoryState: 'HISTORY_OFF' },
      ],
    })
    expect(seed.spaces.map(space => [space.lastActiveTime, space.spaceHistoryState])).toEqual([
      ['2024-01-01T00:00:00Z', 'HISTORY_ON'],
      ['2025-02-01T10:00:00+01:00', 'HISTORY_OFF'],
    ])
  })

  it('resolves emails in memberships and defaultCaller', () => {
    const seed = validateSeed({
      users: [
        { id: '1', email: 'a@example.com' },
        { id: '2', email: 'B@example.com' },
      ],
      spaces: [{ id: 'S', memberships: [{ user: 'A@example.com', role: 'ROLE_MANAGER' }, { user: 'b@example.com' }] }],
      defaultCaller: 'b@EXAMPLE.com',
    })
    expect(seed.spaces[0]?.memberships.map(membership => membership.memberId)).toEqual(['1', '2'])
    expect(seed.defaultCaller).toBe('2')
  })

  it('defaults defaultCaller to the first human admin, else the first human', () => {
    expect(
      validateSeed({ users: [{ id: 'b', type: 'BOT' }, { id: 'u' }, { id: 'a', admin: true }] }).defaultCaller,
    ).toBe('a')
    expect(validateSeed({ users: [{ id: 'u' }] }).defaultCaller).toBe('u')
    expect(validateSeed({ spaces: [{ id: 'S', memberships: [{ user: 'implicit' }] }] }).defaultCaller).toBe('implicit')
  })

  it('accepts the demo seed and builds its state', () => {
    const state = buildState(validateSeed(demoSeed))
    expect(state.spaces.size).toBe(6)
    expect(state.spaces.get('AAAAengineering')?.ownerCount).toBe(2)
  })

  it('generates a big seed of spaces × members', () => {
    const seed = validateSeed(generateSeed({ spaces: 3, membersPerSpace: 50 }))
    expect(seed.spaces).toHaveLength(3)
    expect(seed.spaces.every(space => space.memberships.length === 50)).toBe(true)
    expect(seed.spaces[0]?.memberships.filter(membership => membership.role === 'ROLE_MANAGER')).toHaveLength(1)
  })
})

describe('invalid seeds name the first problem by JSON path', () => {
  it.each([
    [[], '$: expected an object'],
    [{ spaces: {} }, '$.spaces: expected an array'],
    [{ space: [] }, '$.space: unknown field'],
    [{ users: [{}] }, '$.users[0].id: required'],
    [{ users: [{ id: 'a/b' }] }, '$.users[0].id: "a/b" is not a user id'],
    [{ users: [{ id: 'a' }, { id: 'a' }] }, '$.users[1].id: duplicate user id "a"'],
    [
      {
        users: [
          { id: 'a', email: 'x@e.com' },
          { id: 'b', email: 'X@e.com' },
        ],
      },
      '$.users[1].email: duplicate email "X@e.com"',
    ],
    [{ users: [{ id: 'a', email: 'not-an-email' }] }, '$.users[0].email: "not-an-email" is not an email address'],
    [{ users: [{ id: 'a', type: 'ROBOT' }] }, '$.users[0].type: expected one of HUMAN, BOT'],
    [
      { users: [{ id: 'a', type: 'BOT', admin: true }] },
      '$.users[0].admin: a Chat app (BOT) cannot be an administrator',
    ],
    [{ users: [{ id: 'a', admin: 'yes' }] }, '$.users[0].admin: expected true or false'],
    [{ users: [{ id: 'a', nickname: 'x' }] }, '$.users[0].nickname: unknown field'],
    [{ users: [{ id: 'a' }], spaces: [{ displayName: 'x' }] }, '$.spaces[0].id: required'],
    [{ users: [{ id: 'a' }], spaces: [{ id: 'S' }, { id: 'S' }] }, '$.spaces[1].id: duplicate space id "S"'],
    [
      { users: [{ id: 'a' }], spaces: [{ id: 'S', spaceType: 'ROOM' }] },
      '$.spaces[0].spaceType: expected one of SPACE, GROUP_CHAT, DIRECT_MESSAGE',
    ],
    [
      { users: [{ id: 'a' }], spaces: [{ id: 'S', spaceType: 'DIRECT_MESSAGE', importMode: true }] },
      '$.spaces[0].importMode: import mode supports',
    ],
    [
      { users: [{ id: 'a' }], spaces: [{ id: 'S', createdBy: 'a' }] },
      '$.spaces[0].createdBy: "a" is not a user of type BOT',
    ],
    [
      { spaces: [{ id: 'S', lastActiveTime: 'today' }] },
      '$.spaces[0].lastActiveTime: "today" is not an RFC 3339 timestamp',
    ],
    [
      { spaces: [{ id: 'S', spaceHistoryState: 'HISTORY_STATE_UNSPECIFIED' }] },
      '$.spaces[0].spaceHistoryState: expected one of HISTORY_ON, HISTORY_OFF',
    ],
    [
      { users: [{ id: 'a' }], spaces: [{ id: 'S', createTime: 'yesterday' }] },
      '$.spaces[0].createTime: "yesterday" is not an RFC 3339 timestamp',
    ],
    [
      { users: [{ id: 'a' }], spaces: [{ id: 'S', memberships: [{}] }] },
      '$.spaces[0].memberships[0]: needs exactly one of "user" or "group"',
    ],
    [
      { users: [{ id: 'a' }], spaces: [{ id: 'S', memberships: [{ user: 'a', group: 'groups/g' }] }] },
      'needs exactly one of',
    ],
    [
      { users: [{ id: 'a' }], spaces: [{ id: 'S', memberships: [{ group: 'eng' }] }] },
      '$.spaces[0].memberships[0].group: "eng" is not a group name',
    ],
    [
      { users: [{ id: 'a' }], spaces: [{ id: 'S', memberships: [{ group: 'groups/g', role: 'ROLE_MEMBER' }] }] },
      '$.spaces[0].memberships[0].role: expected one of MEMBERSHIP_ROLE_UNSPECIFIED',
    ],
    [
      { users: [{ id: 'a' }], spaces: [{ id: 'S', memberships: [{ user: 'a', role: 'OWNER' }] }] },
      '$.spaces[0].memberships[0].role: expected one of ROLE_MEMBER',
    ],
    [
      { users: [{ id: 'a' }], spaces: [{ id: 'S', memberships: [{ user: 'a', state: 'LEFT' }] }] },
      '$.spaces[0].memberships[0].state: expected one of JOINED, INVITED',
    ],
    [
      { users: [{ id: 'a' }], spaces: [{ id: 'S', memberships: [{ user: 'nobody@example.com' }] }] },
      '$.spaces[0].memberships[0].user: "nobody@example.com" is neither',
    ],
    [
      { users: [{ id: 'a' }], spaces: [{ id: 'S', memberships: [{ user: 'a' }, { user: 'a' }] }] },
      '$.spaces[0].memberships[1]: duplicate member "a"',
    ],
    [
      {
        users: [{ id: 'a' }],
        spaces: [{ id: 'S', spaceType: 'GROUP_CHAT', memberships: [{ user: 'a', role: 'ROLE_MANAGER' }] }],
      },
      'only ROLE_MEMBER exists in a GROUP_CHAT',
    ],
    [
      { users: [{ id: 'b', type: 'BOT' }], spaces: [{ id: 'S', memberships: [{ user: 'b', role: 'ROLE_MANAGER' }] }] },
      'always JOINED with ROLE_MEMBER',
    ],
    [{ users: [{ id: 'b', type: 'BOT' }] }, '$.defaultCaller: no human user to act as'],
    [
      { users: [{ id: 'a' }, { id: 'b', type: 'BOT' }], defaultCaller: 'b' },
      '$.defaultCaller: "b" is not a human user',
    ],
    [{ users: [{ id: 'a' }], app: 'a' }, '$.app: "a" is not a user of type BOT'],
    [{ users: [{ id: 'a' }], serviceAccounts: [{ appUser: 'a' }] }, '$.serviceAccounts[0].clientEmail: required'],
    [
      { users: [{ id: 'a' }], serviceAccounts: [{ clientEmail: 'sa@x.com', appUser: 'a' }] },
      '$.serviceAccounts[0].appUser: "a" is not a user of type BOT',
    ],
    [{ users: [{ id: 'a' }], settings: { nonMemberStatus: 401 } }, '$.settings.nonMemberStatus: expected 403 or 404'],
    [{ users: [{ id: 'a' }], settings: { strict: true } }, '$.settings.strict: unknown field'],
  ])('%j', (input, message) => {
    expect(() => validateSeed(input)).toThrow(SeedError)
    expect(() => validateSeed(input)).toThrow(message)
  })

  it('reports JSON syntax errors at $', () => {
    expect(() => parseSeedText('{"users": [')).toThrow(/^\$: not valid JSON/)
  })
})
