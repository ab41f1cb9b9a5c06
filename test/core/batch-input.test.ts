import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  MAX_DETAILED_PROBLEMS,
  MAX_LINE_LENGTH,
  MAX_LISTED_PROBLEMS,
  describeDuplicate,
  formatProblem,
  inputProblemsError,
  parseArguments,
  parseBatchText,
  resolveBatch,
  type BatchEntry,
  type Duplicate,
  type InputProblem,
} from '../../src/core/batch-input.js'
import { formatMembershipName } from '../../src/core/membership-name.js'
import { ChatRoleError } from '../../src/errors.js'

const lines = (...rows: string[]): string => rows.join('\n')
const texts = (entries: readonly BatchEntry[]): string[] => entries.map(entry => entry.text)
const lineNumbers = (entries: readonly { line: number }[]): number[] => entries.map(entry => entry.line)

describe('parseBatchText, one name per line', () => {
  it('reads names, skipping blank lines and # comments, trimming whitespace', () => {
    const parsed = parseBatchText(
      lines(
        '# owners to demote, 2025-11-03',
        'spaces/AAAAeng/members/111',
        '',
        '   spaces/AAAAeng/members/222   ',
        '\t# indented comment',
        'spaces/AAAAeng/members/333 # Bob, on leave',
        'spaces/AAAAeng/members/444\t#tab before the comment',
        'spaces/AAAAeng/members/555#no space: not a comment',
        '   ',
      ),
      'names.txt',
    )
    expect(parsed.format).toBe('lines')
    expect(parsed.problems).toEqual([])
    expect(parsed.entries).toEqual([
      { text: 'spaces/AAAAeng/members/111', source: 'names.txt', line: 2 },
      { text: 'spaces/AAAAeng/members/222', source: 'names.txt', line: 4 },
      { text: 'spaces/AAAAeng/members/333', source: 'names.txt', line: 6 },
      { text: 'spaces/AAAAeng/members/444', source: 'names.txt', line: 7 },
      { text: 'spaces/AAAAeng/members/555#no space: not a comment', source: 'names.txt', line: 8 },
    ])
  })

  it('reads a first line whose comment has a comma as a name, not as a CSV header', () => {
    const parsed = parseBatchText(lines('spaces/A/members/1 # Smith, John', 'spaces/A/members/2'), 'names.txt')
    expect(parsed.format).toBe('lines')
    expect(texts(parsed.entries)).toEqual(['spaces/A/members/1', 'spaces/A/members/2'])
  })

  it('tolerates CRLF, lone CR and a UTF-8 BOM', () => {
    const parsed = parseBatchText('\uFEFFspaces/A/members/1\r\n\r\nspaces/A/members/2\rspaces/A/members/3\r\n', 'stdin')
    expect(texts(parsed.entries)).toEqual(['spaces/A/members/1', 'spaces/A/members/2', 'spaces/A/members/3'])
    expect(lineNumbers(parsed.entries)).toEqual([1, 3, 4])
    expect(parsed.problems).toEqual([])
  })

  it.each([
    ['', 'empty'],
    ['\n\n  \n', 'blank'],
    ['# nothing to do\n#', 'comments only'],
    ['\uFEFF', 'a BOM only'],
  ])('returns no entries and no problems for %j (%s)', text => {
    expect(parseBatchText(text, 'stdin')).toEqual({ entries: [], problems: [], format: 'lines' })
  })

  it('reports a line that is too long, and still reads the others', () => {
    const long = `spaces/A/members/${'9'.repeat(MAX_LINE_LENGTH)}`
    const parsed = parseBatchText(lines('spaces/A/members/1', long, 'spaces/A/members/2'), 'names.txt')
    expect(texts(parsed.entries)).toEqual(['spaces/A/members/1', 'spaces/A/members/2'])
    expect(parsed.problems).toHaveLength(1)
    expect(parsed.problems[0]).toMatchObject({ source: 'names.txt', line: 2 })
    expect(parsed.problems[0]?.message).toBe(
      `line is ${long.length} characters long (the limit is 2000): is this the right file?`,
    )
    expect(parsed.problems[0]?.text.length).toBeLessThanOrEqual(200)
  })

  it('accepts a line of exactly the limit', () => {
    const atLimit = 'x'.repeat(MAX_LINE_LENGTH)
    expect(texts(parseBatchText(atLimit, 'stdin').entries)).toEqual([atLimit])
  })

  it('reads a comma-separated list pasted on one line as a line, which then fails to resolve', () => {
    const parsed = parseBatchText('spaces/A/members/1,spaces/A/members/2\n', 'stdin')
    expect(parsed.format).toBe('lines')
    expect(resolveBatch(parsed.entries).problems[0]?.message).toBe(
      "'spaces/A/members/1,spaces/A/members/2' holds 2 names: give one name per line or per argument",
    )
  })
})

describe('parseBatchText, garbage', () => {
  it('reports a file with NUL bytes once, as not a text file', () => {
    const binary = '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR\u0000\u0000\u0001'
    expect(parseBatchText(binary, 'photo.png')).toEqual({
      entries: [],
      problems: [
        {
          source: 'photo.png',
          line: 0,
          text: '',
          message: 'not a text file: it contains NUL bytes (if it is UTF-16, save it as UTF-8)',
        },
      ],
      format: 'lines',
    })
  })

  it('reports UTF-16 text (NUL between the letters) as not a text file', () => {
    const utf16 = Array.from('\uFEFFspaces/A/members/1\n', char => `${char}\u0000`).join('')
    expect(parseBatchText(utf16, 'names.txt').problems).toHaveLength(1)
  })

  it('reports text full of control characters or invalid UTF-8 as not a text file', () => {
    const decodedBinary = 'PK\u0003\u0004\u0014\u0006\b\ufffd\ufffd!\ufffdm\u001f\ufffd\u0002\ufffd[Content_Types].xml'
    const parsed = parseBatchText(decodedBinary, 'sheet.xlsx')
    expect(parsed.entries).toEqual([])
    expect(parsed.problems).toHaveLength(1)
    expect(parsed.problems[0]?.message).toMatch(
      /^not a text file: \d+ of its first \d+ characters are control characters/,
    )
    expect(formatProblem(parsed.problems[0] ?? { source: '', line: 0, text: '', message: '' })).toMatch(
      /^sheet\.xlsx: not a text file/,
    )
  })

  it('leaves a stray control character to the line it is on', () => {
    const parsed = parseBatchText(
      lines('spaces/A/members/1', 'spaces/A/members/2\u001b[0m', 'spaces/A/members/3'),
      'names.txt',
    )
    expect(parsed.entries).toHaveLength(3)
    const resolved = resolveBatch(parsed.entries)
    expect(resolved.problems.map(problem => formatProblem(problem))).toEqual([
      "names.txt:2: 'spaces/A/members/2\\u001b[0m' is not a membership name: the member contains '\\u001b'",
    ])
  })
})

// What `gam user admin@example.com print chatmembers spaces/AAAAengineering` writes, with the quoting
// a display name can need: a comma, doubled quotes, and a line break inside a quoted cell.
const GAM_CSV = [
  'User,space.name,space.displayName,name,member.name,member.displayName,member.domainId,member.type,role,state,createTime',
  'admin@example.com,spaces/AAAAengineering,"Engineering, Platform",spaces/AAAAengineering/members/106781799854903048523,users/106781799854903048523,Alice Smith,03ph8a2z,HUMAN,ROLE_MANAGER,JOINED,2024-03-01T10:00:00.123Z',
  'admin@example.com,spaces/AAAAengineering,"Engineering, Platform",spaces/AAAAengineering/members/105115627578887013105,users/105115627578887013105,"Bob ""The Builder"" Jones",03ph8a2z,HUMAN,ROLE_ASSISTANT_MANAGER,JOINED,2024-03-02T09:30:00Z',
  'admin@example.com,spaces/AAAAengineering,"Engineering, Platform",spaces/AAAAengineering/members/117000000000000000001,users/117000000000000000001,"Carol',
  'Two Lines",03ph8a2z,HUMAN,ROLE_MEMBER,JOINED,2024-04-15T12:00:00Z',
  'admin@example.com,spaces/AAAAengineering,"Engineering, Platform",spaces/AAAAengineering/members/app,users/app,Role Bot,,BOT,ROLE_MEMBER,JOINED,2024-05-01T08:00:00Z',
  '',
].join('\r\n')

describe('parseBatchText, CSV', () => {
  it('takes the name column of a gam print chatmembers export', () => {
    const parsed = parseBatchText(GAM_CSV, 'members.csv')
    expect(parsed.format).toBe('csv')
    expect(parsed.problems).toEqual([])
    expect(parsed.entries).toEqual([
      {
        text: 'spaces/AAAAengineering/members/106781799854903048523',
        source: 'members.csv',
        line: 2,
        role: 'ROLE_MANAGER',
      },
      {
        text: 'spaces/AAAAengineering/members/105115627578887013105',
        source: 'members.csv',
        line: 3,
        role: 'ROLE_ASSISTANT_MANAGER',
      },
      {
        text: 'spaces/AAAAengineering/members/117000000000000000001',
        source: 'members.csv',
        line: 4,
        role: 'ROLE_MEMBER',
      },
      // Line 5 continues Carol's quoted display name, so the app's row starts on line 6.
      { text: 'spaces/AAAAengineering/members/app', source: 'members.csv', line: 6, role: 'ROLE_MEMBER' },
    ])
    const resolved = resolveBatch(parsed.entries)
    expect(resolved.problems).toEqual([])
    expect(resolved.items.map(item => item.ref.kind)).toEqual(['id', 'id', 'id', 'app'])
  })

  it('finds the header after leading comments and blank lines, in any case, quoted or not', () => {
    const parsed = parseBatchText(
      lines(
        '# exported by gam',
        '',
        '"Role"," NAME "',
        'ROLE_MEMBER,spaces/A/members/1',
        '# skip',
        'ROLE_MEMBER,"spaces/A/members/2"',
      ),
      'x.csv',
    )
    expect(parsed.format).toBe('csv')
    expect(parsed.entries).toEqual([
      { text: 'spaces/A/members/1', source: 'x.csv', line: 4, role: 'ROLE_MEMBER' },
      { text: 'spaces/A/members/2', source: 'x.csv', line: 6, role: 'ROLE_MEMBER' },
    ])
  })

  it('reads a one-column CSV whose header is just name', () => {
    const parsed = parseBatchText(lines('name', 'spaces/A/members/1', 'spaces/A/members/2'), 'x.csv')
    expect(parsed.format).toBe('csv')
    expect(texts(parsed.entries)).toEqual(['spaces/A/members/1', 'spaces/A/members/2'])
  })

  it('uses the column named exactly name, not member.name or displayName', () => {
    const parsed = parseBatchText(lines('member.name,displayName,name', 'users/1,Ann,spaces/A/members/1'), 'x.csv')
    expect(texts(parsed.entries)).toEqual(['spaces/A/members/1'])
  })

  it("reports a header without a 'name' column (nor a space and a member column), once", () => {
    const parsed = parseBatchText(
      lines('User,member.displayName,member.name,role', 'a@example.com,Ann,users/1,ROLE_MEMBER'),
      'x.csv',
    )
    expect(parsed.format).toBe('csv')
    expect(parsed.entries).toEqual([])
    expect(parsed.problems).toHaveLength(1)
    expect(parsed.problems[0]).toMatchObject({
      source: 'x.csv',
      line: 1,
      message: "CSV header has no 'name' column (found: User, member.displayName, member.name, role)",
    })
    expect(formatProblem(parsed.problems[0] ?? { source: '', line: 0, text: '', message: '' })).toBe(
      "x.csv:1: CSV header has no 'name' column (found: User, member.displayName, member.name, role)",
    )
  })

  it('reports rows whose cell count differs from the header, with their line numbers', () => {
    const parsed = parseBatchText(
      lines(
        'name,role,displayName',
        'spaces/A/members/1,ROLE_MEMBER,Ann',
        'spaces/A/members/2,ROLE_MEMBER',
        'spaces/A/members/3,ROLE_MEMBER,Smith, John',
        'spaces/A/members/4,ROLE_MEMBER,"Smith, Jane"',
      ),
      'x.csv',
    )
    expect(texts(parsed.entries)).toEqual(['spaces/A/members/1', 'spaces/A/members/4'])
    expect(parsed.problems.map(problem => formatProblem(problem))).toEqual([
      'x.csv:3: row has 2 cells but the header has 3: quote cells that contain commas',
      'x.csv:4: row has 4 cells but the header has 3: quote cells that contain commas',
    ])
    expect(parsed.problems[0]?.text).toBe('spaces/A/members/2,ROLE_MEMBER')
  })

  it('reports an empty name cell', () => {
    const parsed = parseBatchText(lines('name,role', ',ROLE_MEMBER', '  ,ROLE_MEMBER'), 'x.csv')
    expect(parsed.problems.map(problem => formatProblem(problem))).toEqual([
      "x.csv:2: the 'name' cell is empty",
      "x.csv:3: the 'name' cell is empty",
    ])
  })

  it('reports a quote that is never closed, at the line it opens', () => {
    const parsed = parseBatchText(
      lines('name,displayName', 'spaces/A/members/1,Ann', 'spaces/A/members/2,"Bob', 'spaces/A/members/3,Cy'),
      'x.csv',
    )
    expect(texts(parsed.entries)).toEqual(['spaces/A/members/1'])
    expect(parsed.problems.map(problem => formatProblem(problem))).toEqual([
      'x.csv:3: a quoted cell that starts on line 3 is never closed',
    ])
  })

  it('reports a name cell that is too long', () => {
    const parsed = parseBatchText(lines('name', `spaces/A/members/${'1'.repeat(MAX_LINE_LENGTH)}`), 'x.csv')
    expect(parsed.entries).toEqual([])
    expect(parsed.problems[0]?.line).toBe(2)
    expect(parsed.problems[0]?.message).toMatch(/^line is \d+ characters long/)
  })

  it('treats a first line of emails with commas as a list, not a header', () => {
    expect(parseBatchText('alice@example.com,bob@example.com', 'stdin').format).toBe('lines')
  })
})

describe('parseBatchText, CSV with roles (role snapshots for set --file)', () => {
  it('gives each row the role in its role column, in any spelling parseRole takes', () => {
    const parsed = parseBatchText(
      lines(
        'name,role',
        'spaces/A/members/1,ROLE_MANAGER',
        'spaces/A/members/2,manager',
        'spaces/A/members/3, Owner ',
        'spaces/A/members/4,role_member',
        'spaces/A/members/5,',
      ),
      'before.csv',
    )
    expect(parsed.problems).toEqual([])
    expect(parsed.entries.map(entry => [entry.line, entry.role])).toEqual([
      [2, 'ROLE_MANAGER'],
      [3, 'ROLE_ASSISTANT_MANAGER'],
      [4, 'ROLE_MANAGER'],
      [5, 'ROLE_MEMBER'],
      // An empty role cell: no role of its own (the command's role applies, or it says one is missing).
      [6, undefined],
    ])
    expect(parsed.entries[4]).not.toHaveProperty('role')
  })

  it("reports an unknown role with its line number and parseRole's hint", () => {
    const parsed = parseBatchText(
      lines(
        'name,role',
        'spaces/A/members/1,admin',
        'spaces/A/members/2,ROLE_MEMBER',
        'spaces/A/members/3,MEMBERSHIP_ROLE_UNSPECIFIED',
      ),
      'before.csv',
    )
    expect(parsed.problems.map(problem => formatProblem(problem))).toEqual([
      "before.csv:2: unknown role 'admin' in the 'role' column",
      "before.csv:4: cannot set role 'MEMBERSHIP_ROLE_UNSPECIFIED': it means \"not a member\" in the 'role' column",
    ])
    expect(parsed.problems[0]?.hint).toMatch(/Chat has no admin role/)
    expect(parsed.problems[0]?.text).toBe('spaces/A/members/1,admin')
  })

  it('builds the name from space and member columns when gam was asked for fields without name', () => {
    const parsed = parseBatchText(
      lines(
        'User,space.name,member.name,member.email,member.type,role',
        'admin@example.com,spaces/AAAA,users/111,alice@example.com,HUMAN,ROLE_MANAGER',
        'admin@example.com,spaces/AAAA,,bob@example.com,HUMAN,ROLE_MEMBER',
        'admin@example.com,,users/333,,HUMAN,ROLE_MEMBER',
        'admin@example.com,spaces/AAAA,,,HUMAN,ROLE_MEMBER',
      ),
      'gam.csv',
    )
    expect(parsed.entries).toEqual([
      { text: 'spaces/AAAA/members/111', source: 'gam.csv', line: 2, role: 'ROLE_MANAGER' },
      { text: 'spaces/AAAA/members/bob@example.com', source: 'gam.csv', line: 3, role: 'ROLE_MEMBER' },
    ])
    expect(parsed.problems.map(problem => formatProblem(problem))).toEqual([
      'gam.csv:4: the space cell is empty',
      "gam.csv:5: the 'member.name' and 'member.email' cells are empty",
    ])
    const bare = parseBatchText(lines('space,member.name', 'AAAA,users/1'), 'x.csv')
    expect(bare.entries.map(entry => entry.text)).toEqual(['spaces/AAAA/members/1'])
  })
})

describe('parseBatchText, CSV syntax (csv-parse)', () => {
  it('reports text after a closing quote on its line, and reads the rows after it', () => {
    const parsed = parseBatchText(
      lines(
        'name,displayName',
        'spaces/A/members/1,"Bob" Jones',
        'spaces/A/members/2,"multi',
        'line"',
        '',
        'spaces/A/members/3,"Al" x',
        'spaces/A/members/4,Cy',
      ),
      'x.csv',
    )
    expect(parsed.entries.map(entry => [entry.text, entry.line])).toEqual([
      ['spaces/A/members/2', 3],
      ['spaces/A/members/4', 7],
    ])
    expect(parsed.problems.map(problem => formatProblem(problem))).toEqual([
      'x.csv:2: a quoted cell has more text after its closing quote',
      'x.csv:6: a quoted cell has more text after its closing quote',
    ])
    expect(parsed.problems[0]?.text).toBe('spaces/A/members/1,"Bob" Jones')
    expect(parsed.problems[0]?.hint).toMatch(/""/)
  })

  it('keeps the real line numbers across quoted line breaks, comments, blank and whitespace-only lines', () => {
    const parsed = parseBatchText(
      lines(
        '',
        '# exported 2025-11-03',
        'name , role',
        '"spaces/A/members/1",ROLE_MEMBER',
        '\t# indented comment, with a comma',
        '   ',
        '  "spaces/A/members/2"  ,  "ROLE_MEMBER"  ',
        'spaces/A/members/3,"ROLE_',
        'MEMBER"',
        'spaces/A/members/4,ROLE_MEMBER',
      ),
      'x.csv',
    )
    expect(parsed.entries.map(entry => [entry.text, entry.line])).toEqual([
      ['spaces/A/members/1', 4],
      ['spaces/A/members/2', 7],
      ['spaces/A/members/3', 8],
      ['spaces/A/members/4', 10],
    ])
    // 'ROLE_\nMEMBER' is no role.
    expect(parsed.problems.map(problem => formatProblem(problem))).toEqual([
      "x.csv:8: unknown role 'ROLE_\\nMEMBER' in the 'role' column",
    ])
  })

  it('reads a quote inside an unquoted cell as a character, as hand-made files mean it', () => {
    const parsed = parseBatchText(lines('name,displayName', 'spaces/A/members/1,5\'10" tall'), 'x.csv')
    expect(parsed.problems).toEqual([])
    expect(parsed.entries).toHaveLength(1)
  })

  it('stays linear with many malformed rows', () => {
    const rows = Array.from({ length: 20_000 }, (_, index) => `spaces/A/members/${index},"B" x`)
    const parsed = parseBatchText(['name,displayName', ...rows].join('\n'), 'x.csv')
    expect(parsed.problems).toHaveLength(20_000)
    expect(parsed.problems.at(-1)?.line).toBe(20_001)
  })
})

describe('parseArguments', () => {
  it('checks arguments exactly as lines: a 100 KB one is a problem at its position', () => {
    const long = `spaces/${'A'.repeat(100_000)}/members/1`
    const parsed = parseArguments(['spaces/A/members/1', long, ''])
    expect(parsed.entries).toEqual([
      { text: 'spaces/A/members/1', source: 'argument', line: 1 },
      // Not skipped like a blank line: the name parser calls it empty.
      { text: '', source: 'argument', line: 3 },
    ])
    expect(parsed.problems.map(problem => formatProblem(problem))).toEqual([
      'argument 2: argument is 100017 characters long (the limit is 2000): is this a membership name?',
    ])
    expect(parsed.problems[0]?.text.length).toBeLessThanOrEqual(200)
    expect(resolveBatch(parsed.entries).problems.map(problem => formatProblem(problem))).toEqual([
      'argument 3: membership name is empty',
    ])
  })

  it('numbers arguments by the positions given (when "-" sits between them)', () => {
    expect(parseArguments(['a', 'b'], [1, 3]).entries.map(entry => entry.line)).toEqual([1, 3])
  })
})

describe('a million names', () => {
  it('parses and resolves 1,000,000 lines (spreading them into push() overflowed the stack)', () => {
    const count = 1_000_000
    const text = Array.from(
      { length: count },
      (_, index) => `spaces/AAAAengineering/members/${100_000_000 + index}`,
    ).join('\n')
    const parsed = parseBatchText(text, 'big.txt')
    expect(parsed.entries).toHaveLength(count)
    expect(parsed.entries.at(-1)?.line).toBe(count)
    const resolved = resolveBatch(parsed.entries)
    expect(resolved.items).toHaveLength(count)
    expect(resolved.problems).toEqual([])
  }, 60_000)
})

describe('inputProblemsError', () => {
  const problem = (line: number): InputProblem => ({ source: 'bad.txt', line, text: 'x', message: `bad ${line}` })

  it('lists the first 10 problems, then counts the rest; --json details keep 1,000 and the total', () => {
    const problems = Array.from({ length: 100_000 }, (_, index) => problem(index + 1))
    const error = inputProblemsError(problems)
    expect(error.code).toBe('INPUT')
    const messageLines = error.message.split('\n')
    expect(messageLines).toHaveLength(12)
    expect(messageLines[0]).toBe('100000 bad input lines; nothing was sent:')
    expect(messageLines[1]).toBe('  bad.txt:1: bad 1')
    expect(messageLines[10]).toBe('  bad.txt:10: bad 10')
    expect(messageLines[11]).toBe('  … and 99990 more')
    expect(error.details?.problemCount).toBe(100_000)
    expect(error.details?.problems).toHaveLength(MAX_DETAILED_PROBLEMS)
    expect(error.hint).toMatch(/^fix or remove those lines/)
  })

  it('lists up to 10 without a count, and gives a single problem its own hint', () => {
    const ten = inputProblemsError(Array.from({ length: MAX_LISTED_PROBLEMS }, (_, index) => problem(index + 1)))
    expect(ten.message.split('\n')).toHaveLength(11)
    expect(ten.message).not.toContain('more')
    const one = inputProblemsError([{ ...problem(3), hint: 'do this' }])
    expect(one.message).toBe('1 bad input line; nothing was sent:\n  bad.txt:3: bad 3')
    expect(one.hint).toBe('do this')
    expect(one.details).toEqual({ problemCount: 1, problems: [{ ...problem(3), hint: 'do this' }] })
  })
})

describe('resolveBatch', () => {
  const entry = (text: string, line: number, source = 'names.txt'): BatchEntry => ({ text, source, line })

  it('parses every entry and names each bad one with its line and the parser message', () => {
    const parsed = parseBatchText(
      lines(
        'spaces/A/members/1',
        '# comment',
        'spaces/A/member/2',
        'spaces/A/members/alice@example.com',
        '123',
        'https://chat.google.com/room/AAAA',
      ),
      'names.txt',
    )
    const resolved = resolveBatch(parsed.entries)
    expect(resolved.items.map(item => item.ref.name)).toEqual([
      'spaces/A/members/1',
      'spaces/A/members/alice@example.com',
    ])
    expect(resolved.problems.map(problem => formatProblem(problem))).toEqual([
      "names.txt:3: 'spaces/A/member/2' is not a membership name: expected 'members' after the space id, found 'member'",
      "names.txt:5: '123' needs a space: pass --space spaces/SPACE_ID or write spaces/SPACE_ID/members/123",
      "names.txt:6: 'https://chat.google.com/room/AAAA' is a URL, which names a space, not a membership",
    ])
    expect(resolved.problems[0]).toMatchObject({ source: 'names.txt', line: 3, text: 'spaces/A/member/2' })
    expect(resolved.problems[0]?.hint).toMatch(/spaces\/SPACE_ID\/members\/MEMBER/)
    expect(resolved.duplicates).toEqual([])
  })

  it('resolves bare ids, users/ names and emails against the space given', () => {
    const resolved = resolveBatch(
      [
        entry('123', 1),
        entry('users/456', 2),
        entry('Alice@Example.com', 3),
        entry('app', 4),
        entry('spaces/B/members/7', 5),
      ],
      { space: 'https://chat.google.com/room/AAAAeng' },
    )
    expect(resolved.problems).toEqual([])
    expect(resolved.items.map(item => item.ref.name)).toEqual([
      'spaces/AAAAeng/members/123',
      'spaces/AAAAeng/members/456',
      'spaces/AAAAeng/members/Alice@example.com',
      'spaces/AAAAeng/members/app',
      'spaces/B/members/7',
    ])
    expect(resolved.items[2]?.entry).toEqual(entry('Alice@Example.com', 3))
  })

  it('throws once for a bad space instead of reporting every line', () => {
    expect(() => resolveBatch([entry('1', 1), entry('2', 2)], { space: 'rooms/AAAA' })).toThrow(ChatRoleError)
  })

  it('keeps the first of each name and reports every later one as a duplicate', () => {
    const first = entry('spaces/A/members/1', 1)
    const email = entry('spaces/A/members/bob@example.com', 2)
    const resolved = resolveBatch(
      [
        first,
        email,
        entry('  spaces/A/members/1 ', 3),
        entry('spaces/A/members/bob@EXAMPLE.COM', 4),
        entry('spaces/A/members/bob%40example.com', 5),
        entry('1', 1, 'argument'),
        // Different local-part case: left for the command, which resolves aliases to canonical ids.
        entry('spaces/A/members/Bob@example.com', 6),
      ],
      { space: 'A' },
    )
    expect(resolved.items.map(item => item.entry)).toEqual([first, email, entry('spaces/A/members/Bob@example.com', 6)])
    expect(resolved.duplicates).toEqual([
      { entry: entry('  spaces/A/members/1 ', 3), firstSeen: first, name: 'spaces/A/members/1' },
      {
        entry: entry('spaces/A/members/bob@EXAMPLE.COM', 4),
        firstSeen: email,
        name: 'spaces/A/members/bob@example.com',
      },
      {
        entry: entry('spaces/A/members/bob%40example.com', 5),
        firstSeen: email,
        name: 'spaces/A/members/bob@example.com',
      },
      { entry: entry('1', 1, 'argument'), firstSeen: first, name: 'spaces/A/members/1' },
    ])
    expect(resolved.problems).toEqual([])
  })

  it('returns nothing for no entries', () => {
    expect(resolveBatch([])).toEqual({ items: [], problems: [], duplicates: [] })
  })

  it('cuts the text of a problem short, never inside a surrogate pair', () => {
    const resolved = resolveBatch([entry(`spaces/A/members/${'😀'.repeat(1000)}`, 1)])
    const text = resolved.problems[0]?.text ?? ''
    expect(text.length).toBeLessThanOrEqual(200)
    expect(text).toMatch(/^spaces\/A\/members\/(?:😀)+…$/u)
  })
})

describe('describeDuplicate', () => {
  const at = (text: string, line: number, source = 'argument'): BatchEntry => ({ text, source, line })
  const duplicate = (entry: BatchEntry, firstSeen: BatchEntry, name: string): Duplicate => ({ entry, firstSeen, name })

  it.each<[Duplicate, string]>([
    // The same spelling: no "X is X".
    [
      duplicate(at('spaces/S/members/12', 2), at('spaces/S/members/12', 1), 'spaces/S/members/12'),
      'argument 2: spaces/S/members/12 is already given at argument 1; ignored',
    ],
    [
      duplicate(at('  spaces/S/members/12 ', 9, 'names.txt'), at('spaces/S/members/12', 1), 'spaces/S/members/12'),
      'names.txt:9: spaces/S/members/12 is already given at argument 1; ignored',
    ],
    // Different spellings of one membership: both shown, and the name when it is neither.
    [
      duplicate(at('users/12', 2), at('12', 1), 'spaces/S/members/12'),
      'argument 2: users/12 is the same membership as 12 (argument 1): spaces/S/members/12; ignored',
    ],
    [
      duplicate(
        at('spaces/S/members/bob@EXAMPLE.com', 4, 'x.csv'),
        at('spaces/S/members/bob@example.com', 2, 'x.csv'),
        'spaces/S/members/bob@example.com',
      ),
      'x.csv:4: spaces/S/members/bob@EXAMPLE.com is the same membership as spaces/S/members/bob@example.com (x.csv:2); ignored',
    ],
    // What the run finds after reading: an email alias of an id given before.
    [
      duplicate(at('spaces/S/members/max@example.com', 3), at('spaces/S/members/105', 1), 'spaces/S/members/105'),
      'argument 3: spaces/S/members/max@example.com is the same membership as spaces/S/members/105 (argument 1); ignored',
    ],
  ])('%j', (given, expected) => {
    expect(describeDuplicate(given)).toBe(expected)
    expect(describeDuplicate(given)).not.toMatch(/(\S+) is \1\b/)
  })

  it('escapes what a terminal would not show', () => {
    expect(describeDuplicate(duplicate(at('12\u200b', 2), at('12', 1), 'spaces/S/members/12'))).toContain('12\\u200b')
  })

  it('comes out of resolveBatch in input order', () => {
    const entries = [at('1', 1), at('users/1', 2), at('2', 3), at('1', 4), at('users/2', 5)]
    const resolved = resolveBatch(entries, { space: 'S' })
    expect(resolved.duplicates.map(describeDuplicate)).toEqual([
      'argument 2: users/1 is the same membership as 1 (argument 1): spaces/S/members/1; ignored',
      'argument 4: spaces/S/members/1 is already given at argument 1; ignored',
      'argument 5: users/2 is the same membership as 2 (argument 3): spaces/S/members/2; ignored',
    ])
  })
})

describe('resolveBatch with roles', () => {
  const row = (text: string, line: number, role?: 'ROLE_MEMBER' | 'ROLE_MANAGER'): BatchEntry => ({
    text,
    source: 'before.csv',
    line,
    ...(role !== undefined && { role }),
  })

  it('reports the same membership with two roles as a problem: there is no telling which was meant', () => {
    const resolved = resolveBatch([
      row('spaces/S/members/1', 2, 'ROLE_MANAGER'),
      row('spaces/S/members/1', 3, 'ROLE_MEMBER'),
      row('spaces/S/members/2', 4, 'ROLE_MEMBER'),
      row('spaces/S/members/2', 5, 'ROLE_MEMBER'),
    ])
    expect(resolved.problems.map(problem => formatProblem(problem))).toEqual([
      'before.csv:3: spaces/S/members/1 is given at before.csv:2 with role Owner (ROLE_MANAGER), and here with role Member (ROLE_MEMBER)',
    ])
    expect(resolved.problems[0]?.hint).toBe('give each membership once, with the role it should have')
    // The same role twice is an ordinary duplicate.
    expect(resolved.duplicates.map(d => d.entry.line)).toEqual([5])
    expect(resolved.items.map(item => item.entry.role)).toEqual(['ROLE_MANAGER', 'ROLE_MEMBER'])
  })
})

describe('formatProblem', () => {
  it.each([
    [{ source: 'names.txt', line: 12, text: 'x', message: 'bad' }, 'names.txt:12: bad'],
    [{ source: 'stdin', line: 3, text: 'x', message: 'bad' }, 'stdin:3: bad'],
    [{ source: 'argument', line: 2, text: 'x', message: 'bad' }, 'argument 2: bad'],
    [{ source: 'stdin', line: 0, text: '', message: 'not a text file' }, 'stdin: not a text file'],
  ])('%j -> %j', (problem, formatted) => {
    expect(formatProblem(problem)).toBe(formatted)
  })
})

describe('properties', () => {
  const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/)
  const email = fc
    .tuple(fc.stringMatching(/^[A-Za-z0-9._+'-]{1,16}$/), fc.stringMatching(/^[a-z0-9]{1,10}\.[a-z]{2,6}$/))
    .map(([local, domain]) => `${local}@${domain}`)
  const name = fc
    .tuple(id, fc.oneof(id, email, fc.constant('app')))
    .map(([space, member]) => formatMembershipName(space, member))

  it('names joined with newlines parse back to the same names, in order', () => {
    fc.assert(
      fc.property(fc.array(name, { maxLength: 30 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (names, eol, bom) => {
        const text = `${bom ? '\uFEFF' : ''}${names.join(eol)}${eol}`
        const parsed = parseBatchText(text, 'names.txt')
        expect(parsed.problems).toEqual([])
        expect(texts(parsed.entries)).toEqual(names)
        expect(lineNumbers(parsed.entries)).toEqual(names.map((_, index) => index + 1))
        const resolved = resolveBatch(parsed.entries)
        expect(resolved.problems).toEqual([])
        expect(resolved.items.map(item => item.ref.name)).toEqual([...new Set(names)])
        expect(resolved.items.length + resolved.duplicates.length).toBe(names.length)
      }),
    )
  })

  it('never throws on arbitrary text, and every problem has a line inside the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary-ascii' }), fc.string()), text => {
        const parsed = parseBatchText(text, 'stdin')
        const lineCount = text.split(/\r\n|\r|\n/).length
        for (const item of [...parsed.entries, ...parsed.problems]) {
          expect(item.line).toBeGreaterThanOrEqual(0)
          expect(item.line).toBeLessThanOrEqual(lineCount)
        }
        resolveBatch(parsed.entries, { space: 'A' })
      }),
      { numRuns: 500 },
    )
  })
})
