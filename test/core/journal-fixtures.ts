// Journal lines for the tests: a header and builders for the lines a run writes.
import {
  encodeLine,
  journalHeader,
  resumeRecordOf,
  type JournalEnd,
  type JournalHeader,
  type JournalItem,
  type JournalRecord,
  type JournalSending,
} from '../../src/core/journal.js'
import type { Role } from '../../src/core/role.js'

export const AT = '2026-12-01T19:37:27.000Z'

export const header: JournalHeader = journalHeader({
  runId: 'run-1',
  command: 'demote',
  argv: ['demote', '--to', 'member', '--file', 'managers.txt', '--yes'],
  target: 'ROLE_MEMBER',
  caller: { account: 'olivia@example.com', user: 'users/100' },
  admin: false,
  startedAt: AT,
  version: '0.1.0',
  host: 'laptop',
  cwd: '/home/olivia',
  pid: 4242,
})

const member = (id: string, space = 'spaces/A') => ({ name: `${space}/members/${id}`, space })

export function sending(id: string, from: string, to: Role, extra: Partial<JournalSending> = {}): JournalSending {
  return { type: 'sending', ...member(id, extra.space), from, to, at: AT, ...extra }
}

export function item(
  id: string,
  status: JournalItem['status'],
  from: string | undefined,
  to: Role,
  extra: Partial<JournalItem> = {},
): JournalItem {
  return {
    type: 'item',
    ...member(id, extra.space),
    ...(from !== undefined && { from }),
    to,
    status,
    attempts: 1,
    at: AT,
    ...extra,
  }
}

export const end = (exit = 0, extra: Partial<JournalEnd> = {}): JournalEnd => ({
  type: 'end',
  at: AT,
  summary: { total: 1 },
  exit,
  ...extra,
})

export const resume = (overrides: Partial<JournalHeader> = {}) =>
  resumeRecordOf({ ...header, startedAt: '2026-12-01T20:00:00.000Z', ...overrides })

export const journalText = (...records: readonly JournalRecord[]): string => records.map(encodeLine).join('')
