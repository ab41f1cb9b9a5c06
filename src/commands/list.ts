// `chat-role list <space...>`: every membership of the spaces, all pages, filtered on the server where the
// API documents it and here where it does not. `--names` prints bare names for pipes into other commands.
import { buildListFilter, type MemberTypeWord } from '../core/list-filter.js'
import { parseSpaceRef } from '../core/membership-name.js'
import type { MembershipSnapshot } from '../core/plan.js'
import { describeRole, parseRole } from '../core/role.js'
import { ChatRoleError, EXIT } from '../errors.js'
import { addConnectionOptions, sessionRequestOf, type ConnectionOptions } from './connection-options.js'
import type { RegisterCommand } from './context.js'
import { choiceOption } from './option-values.js'
import { membershipDocument } from './show.js'

interface ListOptions extends ConnectionOptions {
  readonly role?: string
  readonly type?: MemberTypeWord
  readonly invited?: boolean
  readonly groups?: boolean
  readonly names?: boolean
  readonly csv?: boolean
}

export const ADMIN_LEAVES_OUT_APPS =
  'Chat apps are not listed with --admin (Google allows only human members with admin access)'

interface SpaceFailure {
  readonly space: string
  readonly error: ChatRoleError
}

const LIST_HELP = `
Examples:
  chat-role list spaces/AAAA --role manager --names | chat-role demote - --yes    demote every manager
  chat-role list spaces/AAAA --csv > before.csv        a role snapshot (the columns gam print chatmembers writes)
  chat-role set --file before.csv --yes                later: puts every role of the snapshot back

Exit codes:
  0    listed every space
  1    some or all spaces could not be listed (each failure says why); the others are listed
  2    usage or input error (a bad space name, an unknown role): nothing was sent
  4    not signed in, sign-in expired or revoked, a missing scope, or no Chat app configured
  130  interrupted (Ctrl-C, or the reader of stdout went away); what was listed so far is printed`

export const registerListCommand: RegisterCommand = (program, app) => {
  addConnectionOptions(
    program
      .command('list')
      .summary('list the memberships of spaces')
      .argument('<spaces...>', 'spaces/SPACE or a Chat URL of the space')
      .option('--role <role>', 'only this role: owner, manager or member (or a ROLE_* name)')
      .addOption(
        choiceOption('--type <type>', 'only humans or only Chat apps', ['human', 'bot'], value =>
          /^(app|apps|bots)$/i.test(value) ? 'Chat apps are --type bot' : 'see chat-role list --help',
        ),
      )
      .option('--invited', 'include invited members who have not joined')
      .option('--groups', 'include Google Group memberships')
      .option('--names', 'print only membership names, one per line (for pipes)')
      .option('--csv', 'print CSV: a header, then one row per membership (name, role, …; set --file reads it back)'),
  )
    .addHelpText('after', LIST_HELP)
    .action(async (texts: string[], options: ListOptions) => {
      if (options.names === true && options.csv === true) {
        throw new ChatRoleError('USAGE', '--names and --csv cannot be combined', {
          hint: 'the CSV has the names in its first column',
        })
      }
      const spaces = [...new Set(texts.map(text => `spaces/${parseSpaceRef(text)}`))]
      const role = options.role === undefined ? undefined : parseRole(options.role)
      const filter = buildListFilter({
        ...(role !== undefined && { role }),
        ...(options.type !== undefined && { type: options.type }),
        admin: options.admin === true,
        groups: options.groups === true,
      })
      const reporter = await app.reporter()
      const { connect } = await import('./connect.js')
      const connection = await connect(sessionRequestOf(options), app.io, reporter, { signal: app.io.signal })
      await connection.session.assertScopes('read')

      const memberships: MembershipSnapshot[] = []
      const failures: SpaceFailure[] = []
      // csv-stringify loads only for --csv: it costs every other start several milliseconds.
      const csv = options.csv === true ? await import('../core/membership-csv.js') : undefined
      let csvHeaderWritten = false
      const writeCsv = (page: readonly MembershipSnapshot[]): void => {
        if (csv === undefined) return
        const text = csv.formatMembershipsCsv(page, { header: !csvHeaderWritten })
        csvHeaderWritten = true
        // The reporter ends each line with \n; the CSV's own line ends are CRLF.
        for (const line of text.split('\r\n').slice(0, -1)) reporter.line(`${line}\r`)
      }
      for (const space of spaces) {
        if (app.io.signal.aborted) break
        const listed = await connection.listAll(
          {
            space,
            admin: connection.admin,
            ...(filter.server !== undefined && { filter: filter.server }),
            showGroups: options.groups === true,
            showInvited: options.invited === true,
          },
          page => {
            const kept = page.filter(m => filter.clientRole === undefined || m.role === filter.clientRole)
            memberships.push(...kept)
            // Names stream out page by page, so a pipe can start on a big space at once.
            if (options.names === true && !reporter.json) for (const m of kept) reporter.line(m.name)
            // CSV too: the header with the first page, then each page's rows.
            if (!reporter.json) writeCsv(kept)
          },
        )
        if (!listed.ok) {
          const error = connection.explain(listed.error, space, space, listed.attempts)
          if (error.exitCode === EXIT.AUTH) throw error
          failures.push({ space, error })
        }
      }

      if (reporter.json) {
        reporter.document({
          ok: failures.length === 0,
          spaces,
          ...(filter.server !== undefined && { filter: filter.server }),
          memberships: memberships.map(membershipDocument),
          failures: failures.map(f => ({
            space: f.space,
            code: f.error.code,
            message: f.error.message,
            hint: f.error.hint,
          })),
        })
      } else if (
        options.names !== true &&
        options.csv !== true &&
        (memberships.length > 0 || (failures.length === 0 && !app.io.signal.aborted))
      ) {
        // A header over no rows says "these spaces are empty"; after an error or Ctrl-C nothing was listed at all.
        for (const line of renderTable(memberships)) reporter.line(line)
      }
      for (const failure of failures) reporter.error(failure.error)
      // Admin access requires a member.type filter (core/list-filter.ts), so apps are left out: say so, on stderr.
      if (connection.admin && options.type === undefined) reporter.info(ADMIN_LEAVES_OUT_APPS)
      reporter.info(
        `${memberships.length} membership${memberships.length === 1 ? '' : 's'} in ${spaces.length - failures.length} space${spaces.length - failures.length === 1 ? '' : 's'}`,
      )
      app.exitCode = app.io.signal.aborted ? EXIT.INTERRUPTED : failures.length === 0 ? EXIT.OK : EXIT.FAILURE
    })
}

function renderTable(memberships: readonly MembershipSnapshot[]): string[] {
  const rows = memberships.map(m => [
    m.name,
    describeRole(m.role),
    m.memberKind,
    m.state ?? '',
    [m.displayName, m.email].filter(part => part !== undefined).join(' '),
  ])
  const header = ['NAME', 'ROLE', 'TYPE', 'STATE', 'MEMBER']
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => (row[column] ?? '').length)))
  const format = (row: string[]): string =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd()
  return [format(header), ...rows.map(format)]
}
