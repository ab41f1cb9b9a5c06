import { describe, expect, it } from 'vitest'
import { parseJournal, type JournalRecord } from '../../src/core/journal.js'
import { assertResumable, planResume, type RunIdentity } from '../../src/core/resume.js'
import { thrownBy } from '../auth/expect-error.js'
import { header, item, journalText, resume, sending } from './journal-fixtures.js'

const run: RunIdentity = {
  command: 'demote',
  target: 'ROLE_MEMBER',
  caller: { account: 'Olivia@Example.com', user: 'users/100' },
  admin: false,
}
const journal = (...records: JournalRecord[]) => parseJournal(journalText(header, ...records))
const name = (id: string) => `spaces/A/members/${id}`

describe('assertResumable', () => {
  it('accepts the same run (accounts compare without case)', () => {
    expect(() => {
      assertResumable(journal(), run)
    }).not.toThrow()
  })

  it('refuses another run, saying every way it differs, with the way it was started', () => {
    const error = thrownBy(() => {
      assertResumable(
        journal(),
        { command: 'promote', target: 'ROLE_MANAGER', caller: { account: 'bob@example.com' }, admin: true },
        'run.jsonl',
      )
    })
    expect(error.code).toBe('USAGE')
    expect(error.message).toBe(
      'run.jsonl records another run: it is a demote run, this is promote; ' +
        'it sets Member (ROLE_MEMBER), this sets Owner (ROLE_MANAGER); ' +
        'it ran as olivia@example.com (users/100), this runs as bob@example.com; ' +
        'it ran without --admin, this runs with',
    )
    expect(error.hint).toBe('resume a run as it was started: chat-role demote --to member --file managers.txt --yes')
    expect(error.details).toEqual({ differences: expect.any(Array) as unknown })
  })

  it('refuses the same account as another Chat user, and a per-membership run for a one-role run', () => {
    const user = thrownBy(() => {
      assertResumable(journal(), { ...run, caller: { account: 'olivia@example.com', user: 'users/999' } })
    })
    expect(user.message).toContain('it ran as olivia@example.com (users/100)')
    const { target: _target, ...perItem } = run
    expect(
      thrownBy(() => {
        assertResumable(journal(), perItem)
      }).message,
    ).toContain('this sets a role per membership')
  })
})

describe('planResume', () => {
  it('skips what is done and completes the rest, in input order', () => {
    const parsed = journal(
      item('1', 'updated', 'ROLE_MANAGER', 'ROLE_MEMBER'),
      item('2', 'unchanged', 'ROLE_MEMBER', 'ROLE_MEMBER'),
      item('3', 'kept', 'ROLE_MANAGER', 'ROLE_MEMBER'),
      item('4', 'failed', 'ROLE_MANAGER', 'ROLE_MEMBER', { error: { code: 'LAST_OWNER', message: 'm' } }),
      item('5', 'skipped', 'ROLE_MANAGER', 'ROLE_MEMBER'),
      item('6', 'stale', 'ROLE_ASSISTANT_MANAGER', 'ROLE_MEMBER'),
      sending('7', 'ROLE_MANAGER', 'ROLE_MEMBER'),
    )
    const input = ['8', '7', '6', '5', '4', '3', '2', '1'].map(name)
    const plan = planResume(parsed, run, input)
    expect([...plan.done.keys()]).toEqual(['3', '2', '1'].map(name))
    expect(plan.done.get(name('1'))?.status).toBe('updated')
    expect(plan.todo).toEqual(['8', '7', '6', '5', '4'].map(name))
    expect(plan.notInInput).toEqual([])
  })

  it('matches an email alias to the membership it was resolved to, by space and email without case', () => {
    const parsed = journal(
      item('100', 'updated', 'ROLE_MANAGER', 'ROLE_MEMBER', { email: 'Ann@example.com' }),
      item('200', 'updated', 'ROLE_MANAGER', 'ROLE_MEMBER', { space: 'spaces/B', email: 'bo@example.com' }),
    )
    const plan = planResume(parsed, run, [
      'spaces/A/members/ann@example.com',
      // Same email, another space: a different membership.
      'spaces/A/members/bo@example.com',
      'spaces/B/members/bo@example.com',
    ])
    expect([...plan.done.keys()]).toEqual(['spaces/A/members/ann@example.com', 'spaces/B/members/bo@example.com'])
    expect(plan.done.get('spaces/A/members/ann@example.com')?.name).toBe(name('100'))
    expect(plan.todo).toEqual(['spaces/A/members/bo@example.com'])
  })

  it('reads again a write left in doubt, even when a later line was not an outcome of it', () => {
    const parsed = journal(
      sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER'),
      item('1', 'failed', 'ROLE_MANAGER', 'ROLE_MEMBER', { error: { code: 'NETWORK', message: 'timed out' } }),
    )
    expect(planResume(parsed, run, [name('1')]).todo).toEqual([name('1')])
  })

  it('counts as done what a resumed run settled', () => {
    const parsed = journal(
      sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER'),
      resume(),
      item('1', 'unchanged', 'ROLE_MEMBER', 'ROLE_MEMBER'),
    )
    expect(planResume(parsed, run, [name('1')]).done.has(name('1'))).toBe(true)
  })

  it('lists journal memberships no input name matches, and gives each input name once', () => {
    const parsed = journal(
      item('1', 'updated', 'ROLE_MANAGER', 'ROLE_MEMBER'),
      item('9', 'failed', undefined, 'ROLE_MEMBER'),
    )
    const plan = planResume(parsed, run, [name('1'), name('2'), name('2')])
    expect(plan.todo).toEqual([name('2')])
    expect(plan.notInInput).toEqual([name('9')])
  })

  it('refuses another run before planning', () => {
    expect(thrownBy(() => planResume(journal(), { ...run, admin: true }, [])).code).toBe('USAGE')
  })
})
