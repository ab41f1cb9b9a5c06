// `chat-role show <membership>`: one membership, its member and role.
import { parseMembershipRef, parseSpaceRef } from '../core/membership-name.js'
import type { MembershipSnapshot } from '../core/plan.js'
import { describeRole } from '../core/role.js'
import { EXIT } from '../errors.js'
import { addConnectionOptions, sessionRequestOf, type ConnectionOptions } from './connection-options.js'
import type { RegisterCommand } from './context.js'

interface ShowOptions extends ConnectionOptions {
  readonly space?: string
}

const SHOW_HELP = `
Exit codes:
  0    shown
  1    not shown: not found, no permission, or Google Chat failed (the error says which)
  2    usage or input error (a bad membership name): nothing was sent
  4    not signed in, sign-in expired or revoked, a missing scope, or no Chat app configured`

export const registerShowCommand: RegisterCommand = (program, app) => {
  addConnectionOptions(
    program
      .command('show')
      .summary('show one membership: its member and role')
      .argument('<membership>', 'spaces/SPACE/members/MEMBER (MEMBER may be an email), or MEMBER with --space')
      .option('--space <space>', 'the space for a bare member id or email'),
  )
    .addHelpText('after', SHOW_HELP)
    .action(async (text: string, options: ShowOptions) => {
      const space = options.space === undefined ? undefined : parseSpaceRef(options.space)
      const ref = parseMembershipRef(text, space === undefined ? {} : { space })
      const reporter = await app.reporter()
      const { connect } = await import('./connect.js')
      const connection = await connect(sessionRequestOf(options), app.io, reporter, { signal: app.io.signal })
      await connection.session.assertScopes('read')
      const result = await connection.send({ space: `spaces/${ref.space}`, kind: 'read' }, api =>
        api.getMembership(ref.name, connection.admin),
      )
      if (!result.outcome.ok)
        throw connection.explain(result.outcome.error, ref.name, `spaces/${ref.space}`, result.attempts)
      const membership = result.outcome.value
      if (reporter.json) reporter.document({ ok: true, membership: membershipDocument(membership) })
      else for (const line of renderMembership(membership)) reporter.line(line)
      app.exitCode = EXIT.OK
    })
}

export function membershipDocument(membership: MembershipSnapshot): Record<string, unknown> {
  return { ...membership, roleLabel: describeRole(membership.role) }
}

export function renderMembership(membership: MembershipSnapshot): string[] {
  const who = [membership.displayName, membership.email === undefined ? undefined : `<${membership.email}>`]
    .filter(part => part !== undefined)
    .join(' ')
  return [
    membership.name,
    `  member:  ${who === '' ? '' : `${who} `}(${membership.member ?? 'unknown'}, ${membership.memberKind})`,
    `  role:    ${describeRole(membership.role)}`,
    `  state:   ${membership.state ?? 'unknown'}`,
  ]
}
