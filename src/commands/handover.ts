// `chat-role handover --from A --to B`: in each space where A is owner, B becomes owner and then A a plain
// member, in the order that never leaves a space without an owner; where B is not a member, nothing changes.
import type { Command } from 'commander'
import { EXIT_CODE_HELP } from '../errors.js'
import type { App, RegisterCommand } from './context.js'
import { addRunOptions, runRequestOf, type RunOptions } from './role-change.js'

interface HandoverOptions extends RunOptions {
  readonly from: string
  readonly to: string
  readonly space?: string[]
  readonly allSpaces?: boolean
  /** As typed: checked below. */
  readonly leaveAs: string
}

export const registerHandoverCommand: RegisterCommand = (program: Command, app: App) => {
  addRunOptions(
    program
      .command('handover')
      .summary('make one person owner wherever another is owner, then step the other down')
      .description(
        'In each space where --from is owner, make --to owner, then make --from a member (or --leave-as manager).\n' +
          '--to must already be a member of the space: where they are not, nothing changes there, and it is reported.',
      )
      .requiredOption('--from <person>', 'who hands over: EMAIL or users/ID')
      .requiredOption('--to <person>', 'who takes over: EMAIL or users/ID')
      .option('--space <space>', 'only this space (repeatable)', (value: string, previous: string[] | undefined) => [
        ...(previous ?? []),
        value,
      ])
      .option('--all-spaces', 'every space where --from is owner')
      .option('--leave-as <role>', 'what --from becomes: member or manager', 'member'),
  )
    .addHelpText('after', EXIT_CODE_HELP)
    .action(async (options: HandoverOptions) => {
      const { ChatRoleError } = await import('../errors.js')
      const { parseSpaceRef } = await import('../core/membership-name.js')
      if ((options.space === undefined) === (options.allSpaces !== true)) {
        throw new ChatRoleError('USAGE', 'handover needs --space SPACE or --all-spaces (one of them)', {
          hint: 'see chat-role handover --help',
        })
      }
      if (options.leaveAs !== 'member' && options.leaveAs !== 'manager') {
        throw new ChatRoleError('USAGE', `--leave-as takes member or manager, not '${options.leaveAs}'`, {
          hint: 'see chat-role handover --help',
        })
      }
      const { handoverInput } = await import('./people.js')
      const from = options.from
      const scope =
        options.space === undefined
          ? {
              findSpaces: async (connection: import('./connect.js').Connection) => {
                const { findPersonSpaces } = await import('./discover.js')
                const found = await findPersonSpaces(from, connection, { admin: connection.admin, impersonated: false })
                return found.memberships
                  .filter(({ membership }) => membership.role === 'ROLE_MANAGER')
                  .map(({ space }) => space.name)
              },
            }
          : { spaces: options.space.map(space => `spaces/${parseSpaceRef(space)}`) }
      const { runRoleChange } = await import('./role-change-run.js')
      app.exitCode = await runRoleChange(
        {
          command: 'handover',
          roleWasRaw: false,
          input: handoverInput(
            from,
            options.to,
            scope,
            options.leaveAs === 'manager' ? 'ROLE_ASSISTANT_MANAGER' : 'ROLE_MEMBER',
          ),
          ...runRequestOf(options),
          // --all-spaces lists spaces: the token must be allowed to.
          ...(options.allSpaces === true && { session: { ...runRequestOf(options).session, spaces: true } }),
          onlyRaise: false,
        },
        app,
      )
    })
}
