import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import type { MembershipSnapshot } from '../../src/core/plan.js'
import { formatSpacesCsv, PERSON_CSV_COLUMNS, SPACE_CSV_COLUMNS } from '../../src/core/space-csv.js'
import {
  describeSkipped,
  isJoinedMembership,
  isJoinedOwner,
  isSamePerson,
  knownOwnerless,
  ORGANISATION_SPACES_QUERY,
  parsePerson,
  partitionNamedSpaces,
  personMembershipName,
  resolveSpaceType,
  spacesListFilter,
} from '../../src/core/space-filters.js'
import { joinedHumans, spaceTypeOfWord, type SpaceSnapshot } from '../../src/core/space.js'
import { ChatRoleError } from '../../src/errors.js'

const named: SpaceSnapshot = {
  name: 'spaces/AAAAeng',
  spaceType: 'SPACE',
  displayName: 'Engineering',
  membershipCount: { joinedDirectHumanUserCount: 7, joinedGroupCount: 1 },
  createTime: '2025-01-06T09:00:00Z',
}
const group: SpaceSnapshot = {
  name: 'spaces/AAAAgc',
  spaceType: 'GROUP_CHAT',
  membershipCount: { joinedDirectHumanUserCount: 3 },
}
const dm: SpaceSnapshot = { name: 'spaces/AAAAdm', spaceType: 'DIRECT_MESSAGE', membershipCount: {} }
const odd: SpaceSnapshot = { name: 'spaces/AAAAodd', spaceType: 'UNKNOWN' }

const membership = (role: string | undefined, state: string | undefined): MembershipSnapshot => ({
  name: 'spaces/AAAAeng/members/1',
  role,
  state,
  memberKind: 'HUMAN',
})

function usageError(run: () => unknown): ChatRoleError {
  try {
    run()
  } catch (error) {
    if (error instanceof ChatRoleError) return error
    throw error
  }
  throw new Error('no error thrown')
}

describe('spacesListFilter and the organisation query', () => {
  it('filters spaces.list by one type, in the form the API documents, or not at all', () => {
    expect(spacesListFilter('SPACE')).toBe('spaceType = "SPACE"')
    expect(spacesListFilter('GROUP_CHAT')).toBe('spaceType = "GROUP_CHAT"')
    expect(spacesListFilter('DIRECT_MESSAGE')).toBe('spaceType = "DIRECT_MESSAGE"')
    expect(spacesListFilter(undefined)).toBeUndefined()
    expect(spacesListFilter('UNKNOWN')).toBeUndefined()
  })

  it('searches with the customer and the type that admin access requires', () => {
    expect(ORGANISATION_SPACES_QUERY).toContain('customer = "customers/my_customer"')
    expect(ORGANISATION_SPACES_QUERY).toContain('space_type = "SPACE"')
  })
})

describe('partitionNamedSpaces and describeSkipped', () => {
  it('keeps named spaces in order and counts the rest by type', () => {
    const result = partitionNamedSpaces([group, named, dm, odd, { ...named, name: 'spaces/B' }, dm])
    expect(result.named.map(space => space.name)).toEqual(['spaces/AAAAeng', 'spaces/B'])
    expect(result.skipped).toEqual({ groupChats: 1, directMessages: 2, other: 1 })
  })

  it('says what was skipped in words, and nothing when nothing was', () => {
    expect(describeSkipped({ groupChats: 1, directMessages: 2, other: 0 })).toBe('1 group chat and 2 DMs')
    expect(describeSkipped({ groupChats: 3, directMessages: 0, other: 0 })).toBe('3 group chats')
    expect(describeSkipped({ groupChats: 2, directMessages: 1, other: 1 })).toBe(
      '2 group chats, 1 DM and 1 space of an unknown type',
    )
    expect(describeSkipped({ groupChats: 0, directMessages: 0, other: 0 })).toBeUndefined()
  })
})

describe('parsePerson', () => {
  it('takes an email (domain lower-cased), users/ID or a bare id', () => {
    expect(parsePerson(' Alice@Example.COM ')).toEqual({
      key: 'Alice@example.com',
      kind: 'email',
      input: 'Alice@Example.COM',
    })
    expect(parsePerson('users/123456789')).toEqual({ key: '123456789', kind: 'id', input: 'users/123456789' })
    expect(parsePerson('123456789')).toMatchObject({ key: '123456789', kind: 'id' })
  })

  it('names the membership to read in each space', () => {
    expect(personMembershipName('spaces/S', parsePerson('bob@example.com'))).toBe('spaces/S/members/bob@example.com')
    expect(personMembershipName('spaces/S', parsePerson('users/42'))).toBe('spaces/S/members/42')
  })

  it.each([
    ['spaces/S/members/1', 'names a membership or a space, not a person'],
    ['app', 'is a Chat app, not a person'],
    ['bob@', 'is not a person'],
    ['groups/eng', 'Google Group'],
    ['', 'the person is empty'],
  ])('refuses %j as a usage error', (text, message) => {
    const error = usageError(() => parsePerson(text))
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain(message)
    expect(error.message).not.toContain('membership name:')
  })
})

describe('isSamePerson', () => {
  it('matches an email without case, and an id with an id', () => {
    expect(isSamePerson(parsePerson('bob@example.com'), 'BOB@example.com')).toBe(true)
    expect(isSamePerson(parsePerson('users/42'), '42')).toBe(true)
    expect(isSamePerson(parsePerson('42'), 'users/42')).toBe(true)
  })

  it('does not match someone else, an email against an id, or no impersonation', () => {
    expect(isSamePerson(parsePerson('bob@example.com'), 'alice@example.com')).toBe(false)
    expect(isSamePerson(parsePerson('users/42'), 'bob@example.com')).toBe(false)
    expect(isSamePerson(parsePerson('bob@example.com'), undefined)).toBe(false)
  })
})

describe('owners and members', () => {
  it('counts a joined ROLE_MANAGER as owner, not an invited one, nor a manager', () => {
    expect(isJoinedOwner(membership('ROLE_MANAGER', 'JOINED'))).toBe(true)
    expect(isJoinedOwner(membership('ROLE_MANAGER', 'INVITED'))).toBe(false)
    expect(isJoinedOwner(membership('ROLE_ASSISTANT_MANAGER', 'JOINED'))).toBe(false)
    expect(isJoinedMembership(membership('ROLE_MEMBER', 'JOINED'))).toBe(true)
    expect(isJoinedMembership(membership('ROLE_MEMBER', 'INVITED'))).toBe(false)
  })

  it('knows a space is ownerless without a read only when its count says no human joined', () => {
    expect(knownOwnerless({ ...named, membershipCount: {} })).toBe(true)
    expect(knownOwnerless({ ...named, membershipCount: { joinedGroupCount: 2 } })).toBe(true)
    expect(knownOwnerless(named)).toBe(false)
    expect(knownOwnerless({ name: 'spaces/X', spaceType: 'SPACE' })).toBe(false)
    expect(joinedHumans({ name: 'spaces/X', spaceType: 'SPACE' })).toBeUndefined()
    expect(joinedHumans(dm)).toBe(0)
  })
})

describe('resolveSpaceType', () => {
  it('lists every type of yours by default, and named spaces with --admin or a role question', () => {
    expect(resolveSpaceType({ admin: false, roles: false })).toBeUndefined()
    expect(resolveSpaceType({ type: 'all', admin: false, roles: false })).toBeUndefined()
    expect(resolveSpaceType({ type: 'dm', admin: false, roles: false })).toBe('DIRECT_MESSAGE')
    expect(resolveSpaceType({ type: 'group-chat', admin: false, roles: false })).toBe('GROUP_CHAT')
    expect(resolveSpaceType({ admin: true, roles: false })).toBe('SPACE')
    expect(resolveSpaceType({ type: 'all', admin: true, roles: false })).toBe('SPACE')
    expect(resolveSpaceType({ admin: false, roles: true })).toBe('SPACE')
    expect(resolveSpaceType({ type: 'space', admin: false, roles: true })).toBe('SPACE')
  })

  it('refuses group chats and DMs with --admin (search finds named spaces only) or with a role question', () => {
    expect(usageError(() => resolveSpaceType({ type: 'dm', admin: true, roles: false })).message).toBe(
      '--admin searches named spaces only; it cannot list DMs',
    )
    const roles = usageError(() => resolveSpaceType({ type: 'group-chat', admin: false, roles: true }))
    expect(roles.message).toContain('group chats have no roles')
    expect(roles.exitCode).toBe(2)
  })

  it('maps every word', () => {
    expect(spaceTypeOfWord('space')).toBe('SPACE')
    expect(spaceTypeOfWord('all')).toBeUndefined()
  })
})

describe('formatSpacesCsv', () => {
  it("writes gam's columns, a count of 0 where the API left a zero out, and nothing where it sent no count", () => {
    const text = formatSpacesCsv([{ space: named }, { space: dm }, { space: odd }])
    expect(text.split('\r\n')).toEqual([
      SPACE_CSV_COLUMNS.join(','),
      'spaces/AAAAeng,SPACE,Engineering,7,1,2025-01-06T09:00:00Z',
      'spaces/AAAAdm,DIRECT_MESSAGE,,0,0,',
      'spaces/AAAAodd,,,,,',
      '',
    ])
  })

  it("adds the person's membership columns, and writes no header when asked", () => {
    const text = formatSpacesCsv([{ space: named, membership: membership('ROLE_MANAGER', 'JOINED') }], {
      person: true,
      header: false,
    })
    expect(text).toBe(
      'spaces/AAAAeng,SPACE,Engineering,7,1,2025-01-06T09:00:00Z,spaces/AAAAeng/members/1,ROLE_MANAGER\r\n',
    )
    expect(formatSpacesCsv([], { person: true })).toBe(`${[...SPACE_CSV_COLUMNS, ...PERSON_CSV_COLUMNS].join(',')}\r\n`)
  })

  it('reads back as written, and defuses a display name a spreadsheet would run', () => {
    const tricky = { ...named, displayName: '=HYPERLINK("x"), and "quotes"\nand lines' }
    const rows: Record<string, string>[] = parse(formatSpacesCsv([{ space: tricky }]), { columns: true })
    expect(rows).toEqual([
      {
        name: 'spaces/AAAAeng',
        spaceType: 'SPACE',
        displayName: `'${tricky.displayName}`,
        'membershipCount.joinedDirectHumanUserCount': '7',
        'membershipCount.joinedGroupCount': '1',
        createTime: '2025-01-06T09:00:00Z',
      },
    ])
  })
})
