// Memberships as CSV, for `list --csv`: a role snapshot that `set --file` reads back (its `name` and `role`
// columns), and that a spreadsheet or gam's tooling reads too (gam's column names: name, role, member.name,
// member.email, member.type). Parsing it back is core/batch-input.ts; the two are tested as a round trip.
import { stringify } from 'csv-stringify/sync'
import type { MembershipSnapshot } from './plan.js'

/** The columns, in order. `name` first: the reader finds a membership name there, and a person does too. */
export const MEMBERSHIP_CSV_COLUMNS = [
  'name',
  'role',
  'space',
  'member.name',
  'member.email',
  'member.type',
  'displayName',
  'state',
] as const

export type MembershipCsvColumn = (typeof MEMBERSHIP_CSV_COLUMNS)[number]

/** One row's cells, by column. */
export function membershipCsvRecord(membership: MembershipSnapshot): Record<MembershipCsvColumn, string> {
  const space = /^(spaces\/[^/]+)\//.exec(membership.name)?.[1] ?? ''
  return {
    name: membership.name,
    role: membership.role ?? '',
    space,
    'member.name': membership.member ?? '',
    'member.email': membership.email ?? '',
    'member.type': membership.memberKind === 'UNKNOWN' ? '' : membership.memberKind,
    displayName: membership.displayName ?? '',
    state: membership.state ?? '',
  }
}

/**
 * CSV text for the memberships, with a header row unless `header: false` (to append the rows of a later page to
 * what was written already). RFC 4180: CRLF line ends, quotes where a cell needs them (a comma, a quote, a
 * line break, or whitespace at either end, which a reader would trim). A cell that a
 * spreadsheet would run as a formula (=, +, -, @, tab or CR first, e.g. a display name "=HYPERLINK(…)") gets a
 * leading ', as OWASP advises. Names and roles never start so, so a snapshot restores unchanged.
 */
export function formatMembershipsCsv(
  memberships: readonly MembershipSnapshot[],
  options: { readonly header?: boolean } = {},
): string {
  const rows = memberships.map(membership => {
    const record = membershipCsvRecord(membership)
    return MEMBERSHIP_CSV_COLUMNS.map(column => record[column])
  })
  return stringify(rows, {
    header: options.header ?? true,
    columns: [...MEMBERSHIP_CSV_COLUMNS],
    record_delimiter: 'windows',
    // A line break of either kind, or whitespace at either end, survives only inside quotes.
    quoted_match: [/[\r\n]/, /^\s|\s$/],
    escape_formulas: true,
  })
}
