import { describe, expect, it } from 'vitest'
import { journalHeader, parseJournal, type JournalRecord } from '../../src/core/journal.js'
import { judgeUndo, planUndo, type UndoEntry, type UndoVerdict } from '../../src/core/undo.js'
import { end, header, item, journalText, resume, sending } from './journal-fixtures.js'

const journal = (...records: JournalRecord[]) => parseJournal(journalText(header, ...records))
const name = (id: string) => `spaces/A/members/${id}`

describe('planUndo', () => {
  it('puts back every membership the run updated, and nothing it did not change', () => {
    const plan = planUndo(
      journal(
        sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER', { email: 'ann@example.com' }),
        item('1', 'updated', 'ROLE_MANAGER', 'ROLE_MEMBER', { email: 'ann@example.com', displayName: 'Ann' }),
        item('2', 'unchanged', 'ROLE_MEMBER', 'ROLE_MEMBER'),
        item('3', 'kept', 'ROLE_MANAGER', 'ROLE_MEMBER'),
        item('4', 'failed', 'ROLE_MANAGER', 'ROLE_MEMBER', { error: { code: 'LAST_OWNER', message: 'm' } }),
        item('5', 'skipped', 'ROLE_ASSISTANT_MANAGER', 'ROLE_MEMBER'),
        // Updated with no sending line before it (a journal that does not write them): still undone.
        item('6', 'updated', 'ROLE_ASSISTANT_MANAGER', 'ROLE_MEMBER'),
        end(0),
      ),
    )
    expect(plan.entries).toEqual([
      {
        name: name('1'),
        space: 'spaces/A',
        email: 'ann@example.com',
        displayName: 'Ann',
        expected: 'ROLE_MEMBER',
        restore: 'ROLE_MANAGER',
        uncertain: false,
      },
      {
        name: name('6'),
        space: 'spaces/A',
        expected: 'ROLE_MEMBER',
        restore: 'ROLE_ASSISTANT_MANAGER',
        uncertain: false,
      },
    ])
    expect(plan.refused).toEqual([])
  })

  it('marks a write sent with no outcome as uncertain', () => {
    const plan = planUndo(journal(sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER')))
    expect(plan.entries).toEqual([
      { name: name('1'), space: 'spaces/A', expected: 'ROLE_MEMBER', restore: 'ROLE_MANAGER', uncertain: true },
    ])
  })

  it('leaves a write Google refused (4xx), and doubts one that failed without an answer', () => {
    const plan = planUndo(
      journal(
        sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER'),
        item('1', 'failed', 'ROLE_MANAGER', 'ROLE_MEMBER', {
          error: { code: 'PERMISSION_DENIED', message: 'm', httpStatus: 403 },
        }),
        sending('2', 'ROLE_MANAGER', 'ROLE_MEMBER'),
        item('2', 'failed', 'ROLE_MANAGER', 'ROLE_MEMBER', {
          error: { code: 'UNAVAILABLE', message: 'm', httpStatus: 503 },
        }),
      ),
    )
    expect(plan.entries.map(entry => [entry.name, entry.uncertain])).toEqual([[name('2'), true]])
  })

  it('undoes, across a resume, a write the crashed run sent and the resumed run found landed', () => {
    const plan = planUndo(
      journal(
        sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER'),
        resume(),
        item('1', 'unchanged', 'ROLE_MEMBER', 'ROLE_MEMBER'),
      ),
    )
    expect(plan.entries).toEqual([
      { name: name('1'), space: 'spaces/A', expected: 'ROLE_MEMBER', restore: 'ROLE_MANAGER', uncertain: false },
    ])
  })

  it('has nothing to undo when the resumed run found the write never landed and could not make it', () => {
    const plan = planUndo(
      journal(
        sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER'),
        resume(),
        item('1', 'failed', 'ROLE_MANAGER', 'ROLE_MEMBER', { error: { code: 'LAST_OWNER', message: 'm' } }),
      ),
    )
    expect(plan.entries).toEqual([])
  })

  it('reports, and does not plan, a membership whose earlier role cannot be set', () => {
    const plan = planUndo(
      journal(
        item('1', 'updated', 'MEMBERSHIP_ROLE_UNSPECIFIED', 'ROLE_MEMBER'),
        item('2', 'updated', undefined, 'ROLE_MEMBER', { email: 'bo@example.com' }),
      ),
    )
    expect(plan.entries).toEqual([])
    expect(plan.refused).toEqual([
      {
        name: name('1'),
        space: 'spaces/A',
        from: 'MEMBERSHIP_ROLE_UNSPECIFIED',
        reason: 'its role before the run was no role (MEMBERSHIP_ROLE_UNSPECIFIED), which cannot be set',
      },
      {
        name: name('2'),
        space: 'spaces/A',
        email: 'bo@example.com',
        from: undefined,
        reason: 'the journal does not say what role it had before the run',
      },
    ])
  })

  it('undoes an undo: the undo journal is a journal like any other', () => {
    const run = journal(
      item('1', 'updated', 'ROLE_MANAGER', 'ROLE_MEMBER'),
      item('2', 'updated', 'ROLE_ASSISTANT_MANAGER', 'ROLE_MEMBER'),
    )
    const undo = planUndo(run)
    // The undo run: one restored, one found changed since (a conflict, not written).
    const undoHeader = journalHeader({ ...header, runId: 'run-2', command: 'undo', argv: ['undo', 'run.jsonl'] })
    const { target: _target, ...perItem } = undoHeader
    const records: JournalRecord[] = []
    for (const entry of undo.entries) {
      if (entry.name === name('1')) {
        records.push(sending('1', entry.expected, entry.restore), item('1', 'updated', entry.expected, entry.restore))
      } else records.push(item('2', 'conflict', 'ROLE_MANAGER', entry.restore))
    }
    const undoJournal = parseJournal(journalText(perItem, ...records, end(0)))
    expect(undoJournal.header.command).toBe('undo')
    expect(undoJournal.header.target).toBeUndefined()
    expect(planUndo(undoJournal).entries).toEqual([
      { name: name('1'), space: 'spaces/A', expected: 'ROLE_MANAGER', restore: 'ROLE_MEMBER', uncertain: false },
    ])
  })
})

describe('judgeUndo', () => {
  const entry: UndoEntry = {
    name: name('1'),
    space: 'spaces/A',
    expected: 'ROLE_MEMBER',
    restore: 'ROLE_MANAGER',
    uncertain: false,
  }
  const uncertain: UndoEntry = { ...entry, uncertain: true }

  it.each<[UndoEntry, string | undefined, boolean, UndoVerdict]>([
    [entry, 'ROLE_MEMBER', false, 'restore'],
    [entry, 'ROLE_MEMBER', true, 'restore'],
    [entry, 'ROLE_MANAGER', false, 'already-restored'],
    [entry, 'ROLE_MANAGER', true, 'already-restored'],
    [entry, 'ROLE_ASSISTANT_MANAGER', false, 'changed-since'],
    [entry, 'ROLE_ASSISTANT_MANAGER', true, 'forced'],
    [entry, undefined, false, 'changed-since'],
    [entry, 'MEMBERSHIP_ROLE_UNSPECIFIED', true, 'forced'],
    // A write in doubt: if it landed, put it back; if not, there is nothing to do.
    [uncertain, 'ROLE_MEMBER', false, 'restore'],
    [uncertain, 'ROLE_MANAGER', false, 'already-restored'],
    [uncertain, 'ROLE_ASSISTANT_MANAGER', false, 'changed-since'],
  ])('%o holding %s (force %s): %s', (undoEntry, current, force, verdict) => {
    expect(judgeUndo(undoEntry, current, force)).toBe(verdict)
  })
})
