import { describe, expect, it } from 'vitest'
import {
  demotesOwner,
  guardLastOwners,
  planMembership,
  type MembershipSnapshot,
  type PlanStep,
} from '../../src/core/plan.js'

const human = (role: string | undefined, overrides: Partial<MembershipSnapshot> = {}): MembershipSnapshot => ({
  name: 'spaces/A/members/1',
  role,
  state: 'JOINED',
  memberKind: 'HUMAN',
  ...overrides,
})

describe('planMembership', () => {
  it('updates a member to manager', () => {
    expect(planMembership(human('ROLE_MEMBER'), 'ROLE_ASSISTANT_MANAGER')).toEqual({
      action: 'update',
      from: 'ROLE_MEMBER',
      to: 'ROLE_ASSISTANT_MANAGER',
    })
  })

  it('leaves a membership that already has the role', () => {
    expect(planMembership(human('ROLE_MANAGER'), 'ROLE_MANAGER')).toEqual({ action: 'unchanged', role: 'ROLE_MANAGER' })
  })

  it.each([
    [{ memberKind: 'BOT' as const }, 'NOT_A_HUMAN'],
    [{ memberKind: 'GROUP' as const }, 'GROUP_MEMBERSHIP'],
    [{ state: 'INVITED' }, 'NOT_JOINED'],
    [{ state: 'NOT_A_MEMBER' }, 'NOT_JOINED'],
  ])('refuses %o', (overrides, code) => {
    const step = planMembership(human('ROLE_MEMBER', overrides), 'ROLE_ASSISTANT_MANAGER')
    expect(step).toMatchObject({ action: 'refuse', code })
  })

  it('never lowers a role when only raising (promote)', () => {
    const step = planMembership(human('ROLE_MANAGER'), 'ROLE_ASSISTANT_MANAGER', { onlyRaise: true })
    expect(step).toMatchObject({ action: 'keep', role: 'ROLE_MANAGER' })
    expect(planMembership(human('ROLE_MEMBER'), 'ROLE_ASSISTANT_MANAGER', { onlyRaise: true }).action).toBe('update')
    expect(planMembership(human('ROLE_ASSISTANT_MANAGER'), 'ROLE_MANAGER', { onlyRaise: true }).action).toBe('update')
  })

  it('lowers a role when asked to set it (set, demote)', () => {
    expect(planMembership(human('ROLE_MANAGER'), 'ROLE_ASSISTANT_MANAGER')).toMatchObject({
      action: 'update',
      from: 'ROLE_MANAGER',
    })
  })

  it('keeps an unexpected current role visible rather than guessing', () => {
    expect(planMembership(human('MEMBERSHIP_ROLE_UNSPECIFIED'), 'ROLE_MEMBER')).toEqual({
      action: 'update',
      from: 'MEMBERSHIP_ROLE_UNSPECIFIED',
      to: 'ROLE_MEMBER',
    })
  })
})

describe('guardLastOwners', () => {
  const demote: PlanStep = { action: 'update', from: 'ROLE_MANAGER', to: 'ROLE_MEMBER' }
  const grant: PlanStep = { action: 'update', from: 'ROLE_MEMBER', to: 'ROLE_MANAGER' }
  const toManager: PlanStep = { action: 'update', from: 'ROLE_MANAGER', to: 'ROLE_ASSISTANT_MANAGER' }

  it('refuses to demote the only owner', () => {
    const [item] = guardLastOwners([{ space: 'spaces/A', step: demote }], new Map([['spaces/A', 1]]))
    expect(item?.step).toMatchObject({ action: 'refuse', code: 'LAST_OWNER' })
    expect(item?.step.action === 'refuse' && item.step.message).toContain('spaces/A')
  })

  it('refuses only the demotion that would empty the space, in input order', () => {
    const result = guardLastOwners(
      [
        { space: 'spaces/A', step: demote },
        { space: 'spaces/A', step: toManager },
      ],
      new Map([['spaces/A', 2]]),
    )
    expect(result.map(item => item.step.action)).toEqual(['update', 'refuse'])
  })

  it('counts owners granted in the same run', () => {
    const result = guardLastOwners(
      [
        { space: 'spaces/A', step: demote },
        { space: 'spaces/A', step: grant },
      ],
      new Map([['spaces/A', 1]]),
    )
    expect(result.map(item => item.step.action)).toEqual(['update', 'update'])
  })

  it('keeps spaces apart', () => {
    const result = guardLastOwners(
      [
        { space: 'spaces/A', step: demote },
        { space: 'spaces/B', step: demote },
      ],
      new Map([
        ['spaces/A', 2],
        ['spaces/B', 1],
      ]),
    )
    expect(result.map(item => item.step.action)).toEqual(['update', 'refuse'])
  })

  it('passes through everything that takes no owner away', () => {
    const steps: PlanStep[] = [
      grant,
      { action: 'unchanged', role: 'ROLE_MANAGER' },
      { action: 'update', from: 'ROLE_MEMBER', to: 'ROLE_ASSISTANT_MANAGER' },
    ]
    const result = guardLastOwners(
      steps.map(step => ({ space: 'spaces/A', step })),
      new Map(),
    )
    expect(result.map(item => item.step)).toEqual(steps)
  })

  it('knows which steps take ownership away', () => {
    expect([demote, toManager, grant].map(demotesOwner)).toEqual([true, true, false])
  })
})
