// `chat-role spaces`: the caller's spaces (spaces.list), or with --admin every named space of the organisation
// (spaces.search); only those without an owner (--ownerless), or where a person is an owner or a member
// (--owner, --member). Read-only. The discovery itself is discover.ts.
import type { MembershipSnapshot } from '../core/plan.js'
import { describeRole } from '../core/role.js'
import type { SpaceRow } from '../core/space-csv.js'
import {
  describeSkipped,
  isJoinedMembership,
  isJoinedOwner,
  isSamePerson,
  parsePerson,
  resolveSpaceType,
  type Person,
  type SkippedSpaces,
} from '../core/space-filters.js'
import {
  describeSpaceType,
  joinedHumans,
  SPACE_TYPE_WORDS,
  type SpaceSnapshot,
  type SpaceTypeWord,
} from '../core/space.js'
import { ChatRoleError, EXIT } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { addConnectionOptions, sessionRequestOf, type ConnectionOptions } from './connection-options.js'
import type { RegisterCommand } from './context.js'
import type { DiscoveryWay, SpaceFailure } from './discover.js'
import { choiceOption } from './option-values.js'

interface SpacesOptions extends ConnectionOptions {
  readonly type?: SpaceTypeWord
  readonly ownerless?: boolean
  readonly owner?: string
  readonly member?: string
  readonly names?: boolean
  readonly csv?: boolean
}

const SPACES_HELP = `
Examples:
  chat-role spaces                                   your spaces: named spaces, group chats and DMs
  chat-role spaces --admin --ownerless --names       every named space of the organisation without an owner
  chat-role spaces --owner alice@example.com         the spaces you share where Alice is an owner
  chat-role spaces --admin --member bob@example.com --csv > bob.csv    every space Bob is in, as CSV
  chat-role spaces --member bob@example.com --impersonate bob@example.com   as Bob (domain-wide delegation)

What each costs, in requests:
  spaces, spaces --admin           1 spaces.list (or spaces.search) page per 1,000 spaces
  --ownerless                      the pages, + 1 members read per named space (none where no human joined)
  --owner, --member                the pages, + 1 members.get per named space listed: yours, the person's own
                                   with --impersonate PERSON, or the organisation's with --admin
  Group chats and DMs have no roles: they are counted, not read.

Scopes: spaces.list needs chat.spaces.readonly and spaces.search chat.admin.spaces.readonly, which chat-role
auth login does not ask for yet. Until it does, sign in with gcloud and point GOOGLE_APPLICATION_CREDENTIALS
at the file it writes:
  gcloud auth application-default login --client-id-file=client_secret.json \\
    --scopes=https://www.googleapis.com/auth/chat.memberships,https://www.googleapis.com/auth/chat.spaces.readonly
  (admins add chat.admin.memberships and chat.admin.spaces.readonly, with the same prefix)

Exit codes:
  0    listed every space
  1    some spaces could not be read (each failure says why); the others are listed
  2    usage or input error (a bad option or person): nothing was sent
  4    not signed in, sign-in expired or revoked, a missing scope, or no Chat app configured
  130  interrupted (Ctrl-C, or the reader of stdout went away); what was found so far is printed`

export const registerSpacesCommand: RegisterCommand = (program, app) => {
  addConnectionOptions(
    program
      .command('spaces')
      .summary('list spaces: yours, or with --admin the organisation’s; without an owner; of a person')
      .addOption(
        choiceOption(
          '--type <type>',
          'only this type (default: all of yours; with --admin, named spaces)',
          SPACE_TYPE_WORDS,
          () => 'space is a named space, group-chat a group conversation, dm a direct message',
        ),
      )
      .option('--ownerless', 'only named spaces with no joined human owner (one members read per space)')
      .option('--owner <person>', 'only spaces where this person (email or users/ID) is an owner')
      .option('--member <person>', 'only spaces where this person (email or users/ID) is a member, of any role')
      .option('--names', 'print only space names, one per line (for pipes)')
      .option('--csv', 'print CSV: a header, then one row per space'),
  )
    .addHelpText('after', SPACES_HELP)
    .action(async (options: SpacesOptions) => {
      const admin = options.admin === true
      const personText = options.owner ?? options.member
      if (options.owner !== undefined && options.member !== undefined) {
        throw usage('--owner and --member cannot be combined', 'every owner is a member: use --member for both')
      }
      if (options.ownerless === true && personText !== undefined) {
        throw usage(`--ownerless and ${options.owner === undefined ? '--member' : '--owner'} cannot be combined`)
      }
      if (options.names === true && options.csv === true) throw usage('--names and --csv cannot be combined')
      const type = resolveSpaceType({
        ...(options.type !== undefined && { type: options.type }),
        admin,
        roles: options.ownerless === true || personText !== undefined,
      })
      const person = personText === undefined ? undefined : parsePerson(personText)

      const reporter = await app.reporter()
      const { connect } = await import('./connect.js')
      const discover = await import('./discover.js')
      const connection = await connect({ ...sessionRequestOf(options), spaces: true }, app.io, reporter, {
        signal: app.io.signal,
      })
      // csv-stringify loads only for --csv: it costs every other start several milliseconds.
      const csv = options.csv === true ? await import('../core/space-csv.js') : undefined
      const output = createOutput(reporter, options, person !== undefined, csv?.formatSpacesCsv)

      let found: Found
      if (person !== undefined) {
        const result = await discover.findPersonSpaces(person.input, connection, {
          admin,
          impersonated: isSamePerson(person, options.impersonate),
        })
        const wanted = options.owner === undefined ? isJoinedMembership : isJoinedOwner
        found = {
          rows: result.memberships.filter(row => wanted(row.membership)),
          requests: result.requests,
          failures: result.failures,
          stopped: result.stopped,
          skipped: result.skipped,
          way: result.way,
          looked: result.looked,
        }
      } else {
        const listing = admin
          ? await discover.searchOrganisationSpaces(connection, options.ownerless === true ? {} : output.pageHandler)
          : await discover.listCallerSpaces(connection, {
              ...(type !== undefined && { type }),
              ...(options.ownerless !== true && output.pageHandler),
            })
        if (options.ownerless === true) {
          const ownerless = await discover.findOwnerlessSpaces(listing.spaces, connection)
          found = {
            rows: ownerless.ownerless.map(space => ({ space })),
            requests: listing.requests + ownerless.requests,
            failures: ownerless.failures,
            stopped: listing.stopped || ownerless.stopped,
            looked: listing.spaces.length,
            listingRequests: listing.requests,
          }
        } else {
          found = {
            rows: listing.spaces.map(space => ({ space })),
            requests: listing.requests,
            failures: [],
            stopped: listing.stopped,
            streamed: true,
          }
        }
      }

      const interrupted = app.io.signal.aborted || found.stopped
      if (reporter.json) {
        reporter.document({
          ok: found.failures.length === 0 && !interrupted,
          admin,
          ...(type !== undefined && { type }),
          ...(options.ownerless === true && { ownerless: true }),
          ...(person !== undefined && {
            person: { input: person.input, key: person.key, role: options.owner === undefined ? 'member' : 'owner' },
          }),
          ...(found.way !== undefined && { way: found.way }),
          spaces: found.rows.map(row => ({
            ...row.space,
            ...(row.membership !== undefined && { membership: membershipOf(row.membership) }),
          })),
          ...(found.skipped !== undefined && { skipped: found.skipped }),
          requests: found.requests,
          failures: found.failures.map(failure => ({
            space: failure.space,
            code: failure.error.code,
            message: failure.error.message,
            hint: failure.error.hint,
          })),
        })
      } else if (found.streamed !== true || !output.streams) {
        output.finish(found.rows, found.failures.length === 0 && !interrupted)
      }
      for (const failure of found.failures) reporter.error(failure.error)
      for (const line of summary(found, { person, owner: options.owner !== undefined, ownerless: options.ownerless })) {
        reporter.info(line)
      }
      app.exitCode = interrupted ? EXIT.INTERRUPTED : found.failures.length === 0 ? EXIT.OK : EXIT.FAILURE
    })
}

const usage = (message: string, hint = 'see chat-role spaces --help'): ChatRoleError =>
  new ChatRoleError('USAGE', message, { hint })

interface Found {
  readonly rows: readonly SpaceRow[]
  readonly requests: number
  readonly failures: readonly SpaceFailure[]
  readonly stopped: boolean
  /** Rows already printed page by page (a plain listing with --names or --csv). */
  readonly streamed?: boolean
  readonly skipped?: SkippedSpaces
  readonly way?: DiscoveryWay
  /** Spaces looked at: listed (--ownerless), or named spaces read (--owner, --member). */
  readonly looked?: number
  readonly listingRequests?: number
}

function membershipOf(membership: MembershipSnapshot): Record<string, unknown> {
  return { ...membership, roleLabel: describeRole(membership.role) }
}

interface Output {
  /** --names and --csv print a plain listing page by page. */
  readonly streams: boolean
  readonly pageHandler: { readonly onPage?: (spaces: readonly SpaceSnapshot[]) => void }
  /** Prints what was found, unless it was streamed. `complete`: a table header over no rows means "none". */
  finish(rows: readonly SpaceRow[], complete: boolean): void
}

function createOutput(
  reporter: Reporter,
  options: SpacesOptions,
  person: boolean,
  formatSpacesCsv: typeof import('../core/space-csv.js').formatSpacesCsv | undefined,
): Output {
  const write = (text: string): void => {
    // One line per call: the reporter adds the line end, CSV text carries its own (CRLF).
    for (const line of text.split('\r\n').slice(0, -1)) reporter.line(`${line}\r`)
  }
  let headerWritten = false
  const csv = (rows: readonly SpaceRow[]): void => {
    if (formatSpacesCsv === undefined) return
    write(formatSpacesCsv(rows, { header: !headerWritten, person }))
    headerWritten = true
  }
  const streams = !reporter.json && (options.names === true || options.csv === true)
  return {
    streams,
    pageHandler: streams
      ? {
          onPage: spaces => {
            if (options.names === true) for (const space of spaces) reporter.line(space.name)
            else csv(spaces.map(space => ({ space })))
          },
        }
      : {},
    finish(rows, complete) {
      if (options.names === true) {
        for (const row of rows) reporter.line(row.space.name)
      } else if (options.csv === true) {
        if (rows.length > 0 || complete || !headerWritten) csv(rows)
      } else if (rows.length > 0 || complete) {
        for (const line of renderTable(rows, person)) reporter.line(line)
      }
    },
  }
}

function renderTable(rows: readonly SpaceRow[], person: boolean): string[] {
  const header = ['NAME', 'TYPE', 'HUMANS', ...(person ? ['ROLE'] : []), 'DISPLAY NAME']
  const cells = rows.map(({ space, membership }) => [
    space.name,
    describeSpaceType(space.spaceType),
    String(joinedHumans(space) ?? ''),
    ...(person ? [describeRole(membership?.role)] : []),
    space.displayName ?? '',
  ])
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map(row => (row[column] ?? '').length)))
  const format = (row: string[]): string =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd()
  return [format(header), ...cells.map(format)]
}

const count = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/** What was found and what it cost, for stderr. */
function summary(
  found: Found,
  asked: { readonly person: Person | undefined; readonly owner: boolean; readonly ownerless: boolean | undefined },
): string[] {
  const lines: string[] = []
  const requests = count(found.requests, 'request')
  if (asked.person !== undefined) {
    const role = asked.owner ? 'an owner' : 'a member'
    const where = `${count(found.looked ?? 0, 'named space')} looked at`
    const skipped = found.skipped === undefined ? undefined : describeSkipped(found.skipped)
    lines.push(
      `${asked.person.input} is ${role} of ${count(found.rows.length, 'space')} (${where}${skipped === undefined ? '' : `; ${skipped} skipped: they have no roles`}); ${requests}`,
    )
    if (found.way === 'caller') {
      lines.push(
        `only the spaces you are in were looked at; --admin (a Workspace admin) or --impersonate ${asked.person.input} looks at all of theirs`,
      )
    }
    return lines
  }
  if (asked.ownerless === true) {
    const listing = count(found.listingRequests ?? 0, 'request')
    lines.push(
      `${count(found.rows.length, 'named space')} without an owner, of ${count(found.looked ?? 0, 'space')} listed; ${requests} (${listing} to list them, the rest 1 read per space)`,
    )
    return lines
  }
  lines.push(`${count(found.rows.length, 'space')}; ${requests}`)
  return lines
}
