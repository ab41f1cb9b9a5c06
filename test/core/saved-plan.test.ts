import { describe, expect, it } from 'vitest'
import { encodeLine } from '../../src/core/journal.js'
import {
  encodePlan,
  judgeApply,
  parsePlan,
  savedPlan,
  type ApplyVerdict,
  type SavedPlan,
} from '../../src/core/saved-plan.js'
import { thrownBy } from '../auth/expect-error.js'
import { header } from './journal-fixtures.js'

const plan: SavedPlan = savedPlan({
  createdAt: '2026-12-01T19:37:27.000Z',
  command: 'handover',
  caller: { account: 'olivia@example.com' },
  admin: true,
  items: [
    {
      name: 'spaces/A/members/1',
      space: 'spaces/A',
      email: 'ann@example.com',
      from: 'ROLE_MANAGER',
      to: 'ROLE_MEMBER',
    },
    { name: 'spaces/A/members/2', space: 'spaces/A', displayName: 'Bo', from: 'ROLE_MEMBER', to: 'ROLE_MANAGER' },
  ],
})

describe('encodePlan and parsePlan', () => {
  it('round-trip, one item per line for review', () => {
    const text = encodePlan(plan)
    expect(parsePlan(text, 'plan.json')).toEqual(plan)
    expect(JSON.parse(text)).toEqual(plan)
    const lines = text.split('\n')
    expect(lines.filter(line => line.includes('"name":'))).toHaveLength(2)
    expect(text.endsWith('}\n')).toBe(true)
  })

  it('writes an empty plan as valid JSON', () => {
    const empty = savedPlan({ ...plan, items: [] })
    expect(parsePlan(encodePlan(empty), 'p')).toEqual(empty)
  })

  it('keeps a one-role target', () => {
    const demote = savedPlan({ ...plan, command: 'demote', target: 'ROLE_MEMBER' })
    expect(parsePlan(encodePlan(demote), 'p').target).toBe('ROLE_MEMBER')
  })

  const document = (change: Record<string, unknown>) => JSON.stringify({ ...plan, ...change })
  const item = (change: Record<string, unknown>) => document({ items: [{ ...plan.items[0], ...change }] })

  it.each([
    ['garbage', 'plan.json is not JSON, so it is not a saved plan'],
    ['[]', 'plan.json is not a JSON object, so it is not a saved plan'],
    ['{"format":"other"}', `plan.json is not a chat-role plan (its "format" is 'other')`],
    [document({ formatVersion: 'one' }), `plan.json is not a chat-role plan: its format version is 'one'`],
    [
      document({ formatVersion: 3, items: 'changed' }),
      'plan.json was written by a newer chat-role (plan format 3); this one reads format 1',
    ],
    [document({ items: undefined }), 'plan.json: "items" is missing or not a list'],
    [document({ caller: 'olivia' }), 'plan.json: "caller" is not an object'],
    [item({ to: 'owner' }), `plan.json item 1: "to" is 'owner', not a role`],
    [item({ from: undefined }), 'plan.json item 1: "from" is missing or not text'],
    [
      item({ name: 'spaces/A/members/x/y' }),
      `plan.json item 1: "name" is 'spaces/A/members/x/y', not a membership of spaces/A`,
    ],
    [document({ items: [plan.items[0], plan.items[0]] }), 'plan.json item 2: spaces/A/members/1 is in the plan twice'],
  ])('refuses %s with one line', (text, message) => {
    const error = thrownBy(() => parsePlan(text, 'plan.json'))
    expect(error.code).toBe('INPUT')
    expect(error.message).toBe(message)
    expect(error.hint).toBeDefined()
  })

  it('says that a journal is a journal', () => {
    const error = thrownBy(() => parsePlan(encodeLine(header) + encodeLine(header), 'run.jsonl'))
    expect(error.message).toBe('run.jsonl is the journal of a run, not a saved plan')
    expect(error.hint).toBe('to put back what that run changed: chat-role undo run.jsonl')
  })
})

describe('judgeApply', () => {
  const planned = { from: 'ROLE_MANAGER', to: 'ROLE_MEMBER' } as const
  it.each<[string | undefined, ApplyVerdict]>([
    ['ROLE_MANAGER', 'apply'],
    ['ROLE_MEMBER', 'already-done'],
    ['ROLE_ASSISTANT_MANAGER', 'stale'],
    ['MEMBERSHIP_ROLE_UNSPECIFIED', 'stale'],
    [undefined, 'stale'],
  ])('holding %s: %s', (current, verdict) => {
    expect(judgeApply(planned, current)).toBe(verdict)
  })

  it('applies a planned change from an unusual role only when it still holds it', () => {
    const odd = { from: 'MEMBERSHIP_ROLE_UNSPECIFIED', to: 'ROLE_MEMBER' } as const
    expect(judgeApply(odd, 'MEMBERSHIP_ROLE_UNSPECIFIED')).toBe('apply')
    expect(judgeApply(odd, undefined)).toBe('stale')
  })
})
