// `chat-role undo JOURNAL`: put every membership a run changed back to the role it had before, with the same
// safety as any run (order inside a space, last owner, confirmation), and a journal of its own.
import type { Command } from 'commander'
import { EXIT_CODE_HELP } from '../errors.js'
import type { App, RegisterCommand } from './context.js'
import { addRunOptions, runRequestOf, type RunOptions } from './role-change.js'

interface UndoOptions extends RunOptions {
  readonly force?: boolean
}

export const registerUndoCommand: RegisterCommand = (program: Command, app: App) => {
  addRunOptions(
    program
      .command('undo')
      .summary('put back every membership a run changed')
      .description(
        'Put every membership that the run of JOURNAL changed back to the role it had before that run.\n' +
          'A membership someone changed since is reported ("changed since") and left alone, unless --force.\n' +
          'An undo keeps a journal too, so an undo can be undone.',
      )
      .argument('<journal>', 'the journal of the run to undo (printed when it started and ended)')
      .option('--force', 'put back also what someone changed after the run'),
  )
    .addHelpText('after', EXIT_CODE_HELP)
    .action(async (journal: string, options: UndoOptions) => {
      const { readJournal } = await import('../output/journal-file.js')
      const { planUndo } = await import('../core/undo.js')
      const { ChatRoleError } = await import('../errors.js')
      const parsed = readJournal(journal)
      if (parsed.header.admin && options.admin !== true) {
        throw new ChatRoleError('USAGE', `${journal} records a run made with --admin: undo it with --admin too`, {
          hint: `chat-role undo ${journal} --admin`,
        })
      }
      const plan = planUndo(parsed)
      const reporter = await app.reporter()
      for (const refused of plan.refused) reporter.warn(`${refused.name} cannot be put back: ${refused.reason}`)
      const { runRoleChange } = await import('./role-change-run.js')
      app.exitCode = await runRoleChange(
        {
          command: 'undo',
          roleWasRaw: false,
          input: {
            kind: 'planned',
            source: journal,
            changes: plan.entries.map(entry => ({
              name: entry.name,
              target: entry.restore,
              ...(options.force !== true && { expect: { role: entry.expected, code: 'CONFLICT' as const } }),
            })),
          },
          ...runRequestOf(options),
          onlyRaise: false,
        },
        app,
      )
    })
}
