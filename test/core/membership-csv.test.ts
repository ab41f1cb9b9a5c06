import { parse } from 'csv-parse/sync'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseBatchText, resolveBatch } from '../../src/core/batch-input.js'
import { MEMBERSHIP_CSV_COLUMNS, formatMembershipsCsv } from '../../src/core/membership-csv.js'
import type { MembershipSnapshot } from '../../src/core/plan.js'

const alice: MembershipSnapshot = {
  name: 'spaces/AAAAeng/members/111',
  role: 'ROLE_MANAGER',
  state: 'JOINED',
  memberKind: 'HUMAN',
  member: 'users/111',
  email: 'alice@example.com',
  displayName: 'Smith, Alice "Al"',
}
const bot: MembershipSnapshot = {
  name: 'spaces/AAAAeng/members/app',
  role: 'ROLE_MEMBER',
  state: 'JOINED',
  memberKind: 'BOT',
  member: 'users/app',
  displayName: 'Role Bot',
}
const group: MembershipSnapshot = {
  name: 'spaces/AAAAeng/members/grp1',
  role: undefined,
  state: undefined,
  memberKind: 'GROUP',
  member: 'groups/grp1',
}

describe('formatMembershipsCsv', () => {
  it('writes a header and one row per membership, with the columns gam uses', () => {
    expect(formatMembershipsCsv([alice, bot, group])).toBe(
      [
        'name,role,space,member.name,member.email,member.type,displayName,state',
        'spaces/AAAAeng/members/111,ROLE_MANAGER,spaces/AAAAeng,users/111,alice@example.com,HUMAN,"Smith, Alice ""Al""",JOINED',
        'spaces/AAAAeng/members/app,ROLE_MEMBER,spaces/AAAAeng,users/app,,BOT,Role Bot,JOINED',
        'spaces/AAAAeng/members/grp1,,spaces/AAAAeng,groups/grp1,,GROUP,,',
        '',
      ].join('\r\n'),
    )
    expect(MEMBERSHIP_CSV_COLUMNS).toEqual(
      expect.arrayContaining(['name', 'role', 'member.name', 'member.email', 'member.type']),
    )
  })

  it('writes the header alone for no memberships, and no header when asked', () => {
    expect(formatMembershipsCsv([])).toBe(`${MEMBERSHIP_CSV_COLUMNS.join(',')}\r\n`)
    expect(formatMembershipsCsv([], { header: false })).toBe('')
    expect(formatMembershipsCsv([bot], { header: false })).toBe(
      'spaces/AAAAeng/members/app,ROLE_MEMBER,spaces/AAAAeng,users/app,,BOT,Role Bot,JOINED\r\n',
    )
  })

  it('quotes line breaks of either kind and edge whitespace, and defuses spreadsheet formulas', () => {
    const tricky = { ...bot, displayName: 'two\nlines' }
    const cr = { ...bot, displayName: 'cr\ronly' }
    const spaced = { ...bot, displayName: '  padded ' }
    const formula = { ...bot, displayName: '=HYPERLINK("http://evil.example","x")' }
    const csv = formatMembershipsCsv([tricky, cr, spaced, formula], { header: false })
    const cells: string[][] = parse(csv)
    expect(cells.map(row => row[6])).toEqual([
      'two\nlines',
      'cr\ronly',
      '  padded ',
      '\'=HYPERLINK("http://evil.example","x")',
    ])
  })
})

describe('a role snapshot reads back through parseBatchText', () => {
  it('gives each row its name, role and line, for set --file', () => {
    const csv = formatMembershipsCsv([alice, { ...bot, displayName: 'two\nlines' }, group])
    const parsed = parseBatchText(csv, 'before.csv')
    expect(parsed.format).toBe('csv')
    expect(parsed.problems).toEqual([])
    expect(parsed.entries).toEqual([
      { text: alice.name, source: 'before.csv', line: 2, role: 'ROLE_MANAGER' },
      { text: bot.name, source: 'before.csv', line: 3, role: 'ROLE_MEMBER' },
      // The bot's display name takes two lines; a membership with no role has none of its own.
      { text: group.name, source: 'before.csv', line: 5 },
    ])
  })

  const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/)
  const role = fc.constantFrom('ROLE_MEMBER', 'ROLE_ASSISTANT_MANAGER', 'ROLE_MANAGER')
  const freeText = fc.oneof(
    fc.string(),
    fc.string({ unit: fc.constantFrom(',', '"', '\n', '\r', ' ', '#', '=', '+', '-', '@', 'a', 'é', '\t') }),
  )
  const snapshot = fc.record({
    space: id,
    member: id,
    role,
    displayName: freeText,
    email: fc.option(fc.constantFrom('a@example.com', '+b@example.com', "o'c@example.ie"), { nil: undefined }),
    state: fc.constantFrom('JOINED', 'INVITED'),
    memberKind: fc.constantFrom<MembershipSnapshot['memberKind']>('HUMAN', 'BOT'),
  })

  it('round-trips names, roles and the first line of every row, whatever the display names hold', () => {
    fc.assert(
      fc.property(fc.array(snapshot, { maxLength: 20 }), generated => {
        const memberships: MembershipSnapshot[] = generated.map(g => ({
          name: `spaces/${g.space}/members/${g.member}`,
          role: g.role,
          state: g.state,
          memberKind: g.memberKind,
          member: `users/${g.member}`,
          displayName: g.displayName,
          ...(g.email !== undefined && { email: g.email }),
        }))
        const csv = formatMembershipsCsv(memberships)
        const parsed = parseBatchText(csv, 'before.csv')
        expect(parsed.problems).toEqual([])
        expect(parsed.entries.map(entry => [entry.text, entry.role])).toEqual(memberships.map(m => [m.name, m.role]))
        // Every line number is the row's real first line.
        const physical = csv.replace(/\r\n?/g, '\n').split('\n')
        for (const entry of parsed.entries) expect(physical[entry.line - 1]?.startsWith(`${entry.text},`)).toBe(true)
        // And every cell survives (formulas defused with a leading ').
        const cells = parse<Record<string, string>>(csv, { columns: true })
        expect(cells.map(row => row.displayName)).toEqual(
          memberships.map(m => (/^[=+\-@\t\r]/.test(m.displayName ?? '') ? `'${m.displayName}` : m.displayName)),
        )
        expect(resolveBatch(parsed.entries).problems).toEqual([])
      }),
      { numRuns: 300 },
    )
  })
})
