// Spaces as CSV, for `spaces --csv`: one row a space, with gam's column names (gam print chatspaces), and the
// person's membership when `--owner` or `--member` asked about one. The house CSV style of membership-csv.ts.
import { stringify } from 'csv-stringify/sync'
import type { MembershipSnapshot } from './plan.js'
import type { SpaceSnapshot } from './space.js'

export const SPACE_CSV_COLUMNS = [
  'name',
  'spaceType',
  'displayName',
  'membershipCount.joinedDirectHumanUserCount',
  'membershipCount.joinedGroupCount',
  'createTime',
] as const

/** Added for `--owner`/`--member`: which membership of the person, and its role. */
export const PERSON_CSV_COLUMNS = ['membership.name', 'membership.role'] as const

export interface SpaceRow {
  readonly space: SpaceSnapshot
  readonly membership?: MembershipSnapshot
}

type Column = (typeof SPACE_CSV_COLUMNS)[number] | (typeof PERSON_CSV_COLUMNS)[number]

function cells(row: SpaceRow): Record<Column, string> {
  const { space, membership } = row
  const count = (value: number | undefined): string => (space.membershipCount === undefined ? '' : String(value ?? 0))
  return {
    name: space.name,
    spaceType: space.spaceType === 'UNKNOWN' ? '' : space.spaceType,
    displayName: space.displayName ?? '',
    'membershipCount.joinedDirectHumanUserCount': count(space.membershipCount?.joinedDirectHumanUserCount),
    'membershipCount.joinedGroupCount': count(space.membershipCount?.joinedGroupCount),
    createTime: space.createTime ?? '',
    'membership.name': membership?.name ?? '',
    'membership.role': membership?.role ?? '',
  }
}

/**
 * CSV text for the spaces, with a header row unless `header: false`; `person: true` adds the person's membership
 * columns. CRLF line ends, quotes where a cell needs them, and a leading ' on a cell a spreadsheet would run as a
 * formula (a display name "=HYPERLINK(…)"), as formatMembershipsCsv does.
 */
export function formatSpacesCsv(
  rows: readonly SpaceRow[],
  options: { readonly header?: boolean; readonly person?: boolean } = {},
): string {
  const columns: Column[] = [...SPACE_CSV_COLUMNS, ...(options.person === true ? PERSON_CSV_COLUMNS : [])]
  const records = rows.map(row => {
    const record = cells(row)
    return columns.map(column => record[column])
  })
  return stringify(records, {
    header: options.header ?? true,
    columns,
    record_delimiter: 'windows',
    quoted_match: [/[\r\n]/, /^\s|\s$/],
    escape_formulas: true,
  })
}
