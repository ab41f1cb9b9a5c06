import { describe, expect, it } from 'vitest'
import { DOCUMENTED_RATES, expectedWriteSeconds } from '../../src/core/scheduler.js'
import { orderChanges, phaseOf, planSpaceReads } from '../../src/core/space-order.js'

describe('the order inside a space', () => {
  it.each([
    [{ from: 'ROLE_MEMBER', to: 'ROLE_MANAGER', isCaller: false }, 'grant-owner'],
    [{ from: 'ROLE_MEMBER', to: 'ROLE_ASSISTANT_MANAGER', isCaller: false }, 'change'],
    [{ from: 'ROLE_ASSISTANT_MANAGER', to: 'ROLE_MEMBER', isCaller: false }, 'change'],
    [{ from: 'ROLE_MANAGER', to: 'ROLE_MEMBER', isCaller: false }, 'demote-owner'],
    [{ from: 'ROLE_MANAGER', to: 'ROLE_ASSISTANT_MANAGER', isCaller: false }, 'demote-owner'],
    [{ from: 'ROLE_MANAGER', to: 'ROLE_MEMBER', isCaller: true }, 'lower-caller'],
    [{ from: 'ROLE_ASSISTANT_MANAGER', to: 'ROLE_MEMBER', isCaller: true }, 'lower-caller'],
    // Raising the caller's own role is no risk to the run: it goes with the grants.
    [{ from: 'ROLE_ASSISTANT_MANAGER', to: 'ROLE_MANAGER', isCaller: true }, 'grant-owner'],
  ] as const)('%o is %s', (change, phase) => {
    expect(phaseOf(change)).toBe(phase)
  })

  it('groups owner grants, other changes, owner demotions and the caller last, input order kept', () => {
    const changes = [
      { id: 'self', from: 'ROLE_MANAGER', to: 'ROLE_MEMBER', isCaller: true },
      { id: 'demote1', from: 'ROLE_MANAGER', to: 'ROLE_MEMBER', isCaller: false },
      { id: 'other', from: 'ROLE_MEMBER', to: 'ROLE_ASSISTANT_MANAGER', isCaller: false },
      { id: 'grant', from: 'ROLE_MEMBER', to: 'ROLE_MANAGER', isCaller: false },
      { id: 'demote2', from: 'ROLE_MANAGER', to: 'ROLE_MEMBER', isCaller: false },
    ]
    expect(orderChanges(changes).map(group => [group.phase, group.changes.map(change => change.id)])).toEqual([
      ['grant-owner', ['grant']],
      ['change', ['other']],
      ['demote-owner', ['demote1', 'demote2']],
      ['lower-caller', ['self']],
    ])
  })
})

describe('reading a space', () => {
  it('lists pages for two ids or more, never more pages than gets would cost', () => {
    expect(planSpaceReads(1)).toEqual({ list: false, maxPages: 0 })
    expect(planSpaceReads(2)).toEqual({ list: true, maxPages: 1 })
    expect(planSpaceReads(40)).toEqual({ list: true, maxPages: 39 })
  })
})

describe('what the confirmation promises', () => {
  it('is the slower of the project and the busiest space, past a second of burst per space and a minute for the project', () => {
    // 60 writes in one space at 1/s: 59 s; 900 writes over 150 spaces at 5/s, past the first 300: 120 s.
    expect(expectedWriteSeconds([60], DOCUMENTED_RATES)).toBeCloseTo(59, 5)
    expect(
      expectedWriteSeconds(
        Array.from({ length: 150 }, () => 6),
        DOCUMENTED_RATES,
      ),
    ).toBeCloseTo(120, 5)
    expect(
      expectedWriteSeconds(
        Array.from({ length: 100 }, () => 3),
        DOCUMENTED_RATES,
      ),
    ).toBeCloseTo(2, 5)
    expect(expectedWriteSeconds([1], DOCUMENTED_RATES)).toBe(0)
  })
})
