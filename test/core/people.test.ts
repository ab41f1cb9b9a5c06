import { describe, expect, it } from 'vitest'
import { demoteAllManagers, handOver, isPerson, ownerCandidate } from '../../src/core/people.js'
import type { MembershipSnapshot } from '../../src/core/plan.js'

const S = 'spaces/S'
function member(id: string, role: string, extra: Partial<MembershipSnapshot> = {}): MembershipSnapshot {
  return {
    name: `${S}/members/${id}`,
    member: `users/${id}`,
    email: `${id}@example.com`,
    role,
    state: 'JOINED',
    memberKind: 'HUMAN',
    ...extra,
  }
}

describe('isPerson', () => {
  it('matches an email in any case, users/ID and a bare id', () => {
    const alice = member('alice', 'ROLE_MEMBER')
    expect(isPerson(alice, 'ALICE@example.com')).toBe(true)
    expect(isPerson(alice, 'users/alice')).toBe(true)
    expect(isPerson(alice, 'alice')).toBe(true)
    expect(isPerson(alice, 'bob@example.com')).toBe(false)
  })
})

describe('demoteAllManagers', () => {
  const space = [
    member('owner1', 'ROLE_MANAGER'),
    member('owner2', 'ROLE_MANAGER'),
    member('manager', 'ROLE_ASSISTANT_MANAGER'),
    member('plain', 'ROLE_MEMBER'),
    member('invited', 'ROLE_ASSISTANT_MANAGER', { state: 'INVITED' }),
  ]

  it('demotes every manager and owner but those kept', () => {
    const decision = demoteAllManagers(S, space, ['owner1@example.com'])
    expect(decision.refused).toEqual([])
    expect(decision.changes.map(change => change.name)).toEqual([`${S}/members/owner2`, `${S}/members/manager`])
    expect(decision.changes.every(change => change.target === 'ROLE_MEMBER')).toBe(true)
  })

  it('refuses the whole space when no kept person is an owner', () => {
    for (const keep of [[], ['manager@example.com'], ['plain@example.com']]) {
      const decision = demoteAllManagers(S, space, keep)
      expect(decision.changes).toEqual([])
      expect(decision.refused[0]).toMatchObject({ code: 'LAST_OWNER', name: S })
    }
  })

  it('demotes managers of a space that has no owner to lose', () => {
    const decision = demoteAllManagers(S, [member('manager', 'ROLE_ASSISTANT_MANAGER')], [])
    expect(decision.changes).toHaveLength(1)
  })
})

describe('handOver', () => {
  it('grants the new owner, then steps the old one down', () => {
    const decision = handOver(S, member('alice', 'ROLE_MANAGER'), member('bob', 'ROLE_MEMBER'), 'bob@example.com')
    expect(decision.changes).toEqual([
      { name: `${S}/members/bob`, target: 'ROLE_MANAGER' },
      { name: `${S}/members/alice`, target: 'ROLE_MEMBER' },
    ])
  })

  it('changes nothing where the new owner is not a joined member', () => {
    for (const bob of [undefined, member('bob', 'ROLE_MEMBER', { state: 'INVITED' })]) {
      const decision = handOver(S, member('alice', 'ROLE_MANAGER'), bob, 'bob@example.com')
      expect(decision.changes).toEqual([])
      expect(decision.refused[0]).toMatchObject({ code: 'NOT_A_MEMBER' })
    }
  })

  it('does nothing where the old owner is not an owner', () => {
    expect(handOver(S, member('alice', 'ROLE_ASSISTANT_MANAGER'), member('bob', 'ROLE_MEMBER'), 'bob')).toEqual({
      changes: [],
      refused: [],
    })
  })

  it('only steps down when the new owner already is one', () => {
    const decision = handOver(
      S,
      member('alice', 'ROLE_MANAGER'),
      member('bob', 'ROLE_MANAGER'),
      'bob',
      'ROLE_ASSISTANT_MANAGER',
    )
    expect(decision.changes).toEqual([{ name: `${S}/members/alice`, target: 'ROLE_ASSISTANT_MANAGER' }])
  })
})

describe('ownerCandidate', () => {
  it('picks the longest-standing manager', () => {
    const candidate = ownerCandidate(
      S,
      [
        member('late', 'ROLE_ASSISTANT_MANAGER', { createTime: '2025-05-01T00:00:00Z' }),
        member('early', 'ROLE_ASSISTANT_MANAGER', { createTime: '2021-01-01T00:00:00Z' }),
        member('plain', 'ROLE_MEMBER', { createTime: '2020-01-01T00:00:00Z' }),
      ],
      'manager',
    )
    expect(candidate).toEqual({ name: `${S}/members/early`, target: 'ROLE_MANAGER' })
  })

  it('picks a named person only when they are a joined member', () => {
    expect(ownerCandidate(S, [member('plain', 'ROLE_MEMBER')], 'plain@example.com')).toMatchObject({
      target: 'ROLE_MANAGER',
    })
    expect(ownerCandidate(S, [member('plain', 'ROLE_MEMBER')], 'nobody@example.com')).toMatchObject({
      code: 'NO_CANDIDATE',
    })
  })

  it('reports a space with no candidate, and leaves a space with an owner alone', () => {
    expect(ownerCandidate(S, [member('plain', 'ROLE_MEMBER')], 'manager')).toMatchObject({ code: 'NO_CANDIDATE' })
    expect(
      ownerCandidate(S, [member('o', 'ROLE_MANAGER'), member('m', 'ROLE_ASSISTANT_MANAGER')], 'manager'),
    ).toMatchObject({
      code: 'HAS_OWNER',
    })
  })
})
