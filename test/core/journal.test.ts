import { describe, expect, it } from 'vitest'
import {
  encodeLine,
  itemRecordOf,
  latestByMembership,
  parseJournal,
  type JournalRecord,
} from '../../src/core/journal.js'
import type { ItemResult } from '../../src/core/result.js'
import { thrownBy } from '../auth/expect-error.js'
import { AT, end, header, item, journalText, resume, sending } from './journal-fixtures.js'

describe('encodeLine', () => {
  it('writes one line ending in a newline, with no line break inside', () => {
    const record = item('1', 'failed', 'ROLE_MANAGER', 'ROLE_MEMBER', {
      displayName: 'Ann\nLee\r\u2028\u2029',
      error: { code: 'API', message: 'two\nlines' },
    })
    const line = encodeLine(record)
    expect(line.endsWith('\n')).toBe(true)
    expect(line.slice(0, -1)).not.toMatch(/[\n\r\u2028\u2029]/)
    expect(JSON.parse(line)).toEqual(record)
  })

  it('round-trips every kind of line through parseJournal', () => {
    const records: JournalRecord[] = [
      sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER', { email: 'ann@example.com' }),
      item('1', 'updated', 'ROLE_MANAGER', 'ROLE_MEMBER', { email: 'ann@example.com', attempts: 2 }),
      item('2', 'failed', undefined, 'ROLE_MEMBER', {
        error: { code: 'UNAVAILABLE', message: 'no answer', hint: 'try again', httpStatus: 503 },
      }),
      end(1, { stoppedBy: 'SIGINT', summary: { total: 2, updated: 1, failed: 1 } }),
      resume(),
      item('2', 'unchanged', 'ROLE_MEMBER', 'ROLE_MEMBER'),
      end(0),
    ]
    const parsed = parseJournal(journalText(header, ...records))
    expect(parsed.header).toEqual(header)
    expect(parsed.records).toEqual(records)
    expect(parsed.items).toHaveLength(3)
    expect(parsed.sending).toHaveLength(1)
    expect(parsed.resumes).toHaveLength(1)
    expect(parsed.end).toEqual(end(0))
    expect(parsed.tornTail).toBe(false)
    expect(parsed.tornLines).toEqual([])
  })
})

describe('parseJournal', () => {
  const two = journalText(header, item('1', 'updated', 'ROLE_MANAGER', 'ROLE_MEMBER'))

  it('ignores a last line cut short without its newline, and says so', () => {
    const torn = `${two}{"type":"item","name":"spaces/A/mem`
    const parsed = parseJournal(torn, 'run.jsonl')
    expect(parsed.items).toHaveLength(1)
    expect(parsed.tornTail).toBe(true)
    expect(parsed.tornLines).toEqual([3])
  })

  it('ignores a complete last line that lacks its newline (the write was cut at the very end)', () => {
    const parsed = parseJournal(two + encodeLine(end()).slice(0, -1))
    expect(parsed.end).toBeUndefined()
    expect(parsed.tornTail).toBe(true)
  })

  it('ignores a last line that is not JSON (zeros a crashed file system left)', () => {
    const parsed = parseJournal(`${two}\u0000\u0000\u0000\n`)
    expect(parsed.tornTail).toBe(true)
    expect(parsed.items).toHaveLength(1)
  })

  it('refuses a line that is not JSON anywhere but at the end, naming the line', () => {
    const text = `${two}{"type":"ite\n${encodeLine(end())}`
    const error = thrownBy(() => parseJournal(text, 'run.jsonl'))
    expect(error.code).toBe('INPUT')
    expect(error.message).toBe('run.jsonl:3: is not a journal line: it is not JSON')
    expect(error.hint).toContain('last line')
  })

  it('refuses a JSON line of the wrong shape, even the last one', () => {
    const bad = `${two}${JSON.stringify({ ...item('2', 'updated', 'ROLE_MEMBER', 'ROLE_MEMBER'), to: 'ROLE_OWNER' })}\n`
    const error = thrownBy(() => parseJournal(bad, 'run.jsonl'))
    expect(error.message).toBe(`run.jsonl:3: is not a journal line: "to" is 'ROLE_OWNER', not a role`)
    expect(error.message).not.toContain('\n')
  })

  it.each([
    [{ status: 'done' }, '"status" is \'done\''],
    [{ attempts: -1 }, '"attempts"'],
    [{ at: 'yesterday' }, '"at"'],
    [{ name: 'spaces/B/members/1' }, 'not a membership of spaces/A'],
    [{ space: 'A' }, '"space"'],
    [{ type: 'note' }, '"type" is \'note\''],
    [{ error: { code: 'X' } }, '"message"'],
  ])('refuses an item with %o', (change, message) => {
    const line = JSON.stringify({ ...item('1', 'failed', 'ROLE_MEMBER', 'ROLE_MEMBER'), ...change })
    const error = thrownBy(() => parseJournal(`${two}${line}\n${encodeLine(end())}`))
    expect(error.message).toContain('journal:3:')
    expect(error.message).toContain(message)
  })

  it('refuses a second header and a resume of another run', () => {
    expect(thrownBy(() => parseJournal(two + encodeLine(header))).message).toContain('a second header')
    const other = thrownBy(() => parseJournal(two + encodeLine(resume({ runId: 'run-2' }))))
    expect(other.message).toContain("resumes run 'run-2'")
  })

  it('tolerates a torn line just before a resume: the resumed run carried on after the crash', () => {
    const text = `${two}{"type":"sen\n${journalText(resume(), item('2', 'updated', 'ROLE_MANAGER', 'ROLE_MEMBER'))}`
    const parsed = parseJournal(text)
    expect(parsed.tornLines).toEqual([3])
    expect(parsed.tornTail).toBe(false)
    expect(parsed.items).toHaveLength(2)
  })

  it('refuses a torn line followed by anything but a resume', () => {
    const text = `${two}{"type":"sen\n${encodeLine(item('2', 'updated', 'ROLE_MANAGER', 'ROLE_MEMBER'))}`
    expect(thrownBy(() => parseJournal(text)).message).toBe('journal:3: is not a journal line: it is not JSON')
  })

  it('gives the end of the last start only', () => {
    expect(parseJournal(journalText(header, end(1))).end?.exit).toBe(1)
    expect(parseJournal(journalText(header, end(1), resume())).end).toBeUndefined()
    expect(parseJournal(journalText(header, end(1), resume(), end(0))).end?.exit).toBe(0)
  })

  it.each([
    ['', 'run.jsonl is empty, not a chat-role journal'],
    ['hello\n', 'run.jsonl is not a chat-role journal: its first line is not JSON'],
    ['[1]\n', 'run.jsonl is not a chat-role journal: its first line is not a JSON object'],
    ['{"type":"header","format":"other-tool"}\n', 'run.jsonl is not a chat-role journal: it has no journal header'],
    [`${JSON.stringify({ ...header, formatVersion: 0 })}\n`, 'its format version is 0'],
    [encodeLine(header).slice(0, 30), 'run.jsonl ends inside its first line: the run stopped before it began'],
  ])('refuses a missing or foreign header: %j', (text, message) => {
    const error = thrownBy(() => parseJournal(text, 'run.jsonl'))
    expect(error.code).toBe('INPUT')
    expect(error.message).toContain(message)
    expect(error.message).not.toContain('\n')
  })

  it('says that a saved plan is a plan', () => {
    const error = thrownBy(() => parseJournal('{"format":"chat-role-plan","formatVersion":1}', 'p.json'))
    expect(error.message).toBe('p.json is a saved plan, not a journal')
    expect(error.hint).toBe('carry it out with chat-role apply p.json')
  })

  it('refuses a newer format, and says to update', () => {
    const newer = `${JSON.stringify({ ...header, formatVersion: 2, argv: 'changed' })}\n`
    const error = thrownBy(() => parseJournal(newer, 'run.jsonl'))
    expect(error.message).toBe('run.jsonl was written by a newer chat-role (journal format 2); this one reads format 1')
    expect(error.hint).toContain('update chat-role')
  })

  it('refuses a header with a bad field, naming it', () => {
    const error = thrownBy(() =>
      parseJournal(`${JSON.stringify({ ...header, caller: { account: 'a@b', user: 'people/1' } })}\n`, 'run.jsonl'),
    )
    expect(error.message).toBe(`run.jsonl:1: is not a journal header: "caller.user" is 'people/1', not users/ID`)
  })

  it('keeps unknown fields out and accepts a header without the optional ones', () => {
    const { host: _host, cwd: _cwd, pid: _pid, target: _target, ...bare } = header
    const parsed = parseJournal(`${JSON.stringify({ ...bare, extra: 1 })}\n`)
    expect(parsed.header).toEqual(bare)
  })
})

describe('latestByMembership', () => {
  const states = (...records: JournalRecord[]) =>
    latestByMembership({ records: records.filter(r => r.type !== 'header') })

  it('lets a later line win, and keeps the order of first appearance', () => {
    const result = states(
      item('2', 'failed', undefined, 'ROLE_MEMBER'),
      item('1', 'unchanged', 'ROLE_MEMBER', 'ROLE_MEMBER'),
      resume(),
      item('2', 'unchanged', 'ROLE_MEMBER', 'ROLE_MEMBER', { email: 'bo@example.com' }),
    )
    expect([...result.keys()]).toEqual(['spaces/A/members/2', 'spaces/A/members/1'])
    expect(result.get('spaces/A/members/2')).toMatchObject({
      last: { status: 'unchanged' },
      email: 'bo@example.com',
      holds: 'ROLE_MEMBER',
      written: false,
      uncertain: false,
    })
  })

  it('calls a write sent with nothing after it unknown', () => {
    const state = states(sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER')).get('spaces/A/members/1')
    expect(state).toMatchObject({
      unknown: true,
      uncertain: true,
      written: true,
      before: 'ROLE_MANAGER',
      sent: 'ROLE_MEMBER',
    })
    expect(state?.holds).toBeUndefined()
  })

  it('settles a write by its outcome', () => {
    const state = states(
      sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER'),
      item('1', 'updated', 'ROLE_MANAGER', 'ROLE_MEMBER'),
    ).get('spaces/A/members/1')
    expect(state).toMatchObject({ unknown: false, uncertain: false, before: 'ROLE_MANAGER', holds: 'ROLE_MEMBER' })
  })

  it('keeps a write in doubt when it failed without a refusal (it may have landed), not when Google refused it', () => {
    const timedOut = states(
      sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER'),
      item('1', 'failed', 'ROLE_MANAGER', 'ROLE_MEMBER', { error: { code: 'NETWORK', message: 'timed out' } }),
    ).get('spaces/A/members/1')
    expect(timedOut).toMatchObject({ unknown: false, uncertain: true, sent: 'ROLE_MEMBER' })
    const refused = states(
      sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER'),
      item('1', 'failed', 'ROLE_MANAGER', 'ROLE_MEMBER', {
        error: { code: 'PERMISSION_DENIED', message: 'no', httpStatus: 403 },
      }),
    ).get('spaces/A/members/1')
    expect(refused).toMatchObject({ uncertain: false, holds: 'ROLE_MANAGER', before: 'ROLE_MANAGER' })
  })

  it('lets a fresh read after a resume settle a write the crashed run left unknown', () => {
    const state = states(
      sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER'),
      resume(),
      item('1', 'unchanged', 'ROLE_MEMBER', 'ROLE_MEMBER'),
    ).get('spaces/A/members/1')
    expect(state).toMatchObject({ uncertain: false, written: true, before: 'ROLE_MANAGER', holds: 'ROLE_MEMBER' })
  })

  it('keeps the doubt when the read after a resume failed', () => {
    const state = states(
      sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER'),
      resume(),
      item('1', 'failed', undefined, 'ROLE_MEMBER', { error: { code: 'UNAVAILABLE', message: 'down' } }),
    ).get('spaces/A/members/1')
    expect(state).toMatchObject({ unknown: false, uncertain: true, sent: 'ROLE_MEMBER', before: 'ROLE_MANAGER' })
  })

  it('remembers the role before the first write, not a later one', () => {
    const state = states(
      sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER'),
      resume(),
      sending('1', 'ROLE_ASSISTANT_MANAGER', 'ROLE_MEMBER'),
      item('1', 'updated', 'ROLE_ASSISTANT_MANAGER', 'ROLE_MEMBER'),
    ).get('spaces/A/members/1')
    expect(state).toMatchObject({ before: 'ROLE_MANAGER', holds: 'ROLE_MEMBER', uncertain: false })
  })
})

describe('itemRecordOf', () => {
  const result = (overrides: Partial<ItemResult>): ItemResult => ({
    input: { text: 'ann@example.com', source: 'argument', line: 1 },
    name: 'spaces/A/members/1',
    space: 'spaces/A',
    email: 'ann@example.com',
    status: 'updated',
    from: 'ROLE_MANAGER',
    to: 'ROLE_ASSISTANT_MANAGER',
    attempts: 2,
    at: AT,
    ...overrides,
  })

  it('keeps what the journal needs and drops the input location', () => {
    expect(itemRecordOf(result({}))).toEqual({
      type: 'item',
      name: 'spaces/A/members/1',
      space: 'spaces/A',
      email: 'ann@example.com',
      from: 'ROLE_MANAGER',
      to: 'ROLE_ASSISTANT_MANAGER',
      status: 'updated',
      attempts: 2,
      at: AT,
    })
  })

  it.each([
    ['kept', 'ALREADY_HIGHER', 'kept'],
    ['skipped', 'NOT_STARTED', 'skipped'],
    ['failed', 'LAST_OWNER', 'failed'],
    ['unchanged', undefined, 'unchanged'],
  ] as const)('journals a %s result (%s) as %s', (status, code, expected) => {
    const error = code === undefined ? {} : { error: { code, message: 'm' } }
    expect(itemRecordOf(result({ status, ...error }))?.status).toBe(expected)
  })

  it('journals nothing for a dry run', () => {
    expect(itemRecordOf(result({ status: 'planned' }))).toBeUndefined()
  })
})
