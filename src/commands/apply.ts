// `chat-role apply PLAN`: carry out exactly a plan saved with --dry-run --plan, without asking again; a
// membership whose role is no longer what the plan saw is reported as stale and not written.
import type { Command } from 'commander'
import { EXIT_CODE_HELP } from '../errors.js'
import type { App, RegisterCommand } from './context.js'
import { addRunOptions, runRequestOf, type RunOptions } from './role-change.js'

export const registerApplyCommand: RegisterCommand = (program: Command, app: App) => {
  addRunOptions(
    program
      .command('apply')
      .summary('carry out a plan saved with --dry-run --plan')
      .description(
        'Carry out exactly the plan in FILE, saved by a dry run with --plan FILE, without asking again.\n' +
          'A membership whose role is no longer what the plan saw is reported "stale" and not written.\n' +
          'Review a plan as one person, apply it as another, or from a script.',
      )
      .argument('<plan>', 'the plan file'),
    { dryRun: false },
  )
    .addHelpText('after', EXIT_CODE_HELP)
    .action(async (file: string, options: RunOptions) => {
      const { readPlanFile } = await import('../output/journal-file.js')
      const { ChatRoleError } = await import('../errors.js')
      const plan = readPlanFile(file)
      if (plan.admin !== (options.admin === true)) {
        throw new ChatRoleError(
          'USAGE',
          `${file} was made ${plan.admin ? 'with' : 'without'} --admin: apply it ${plan.admin ? 'with' : 'without'} --admin too`,
          { hint: `chat-role apply ${file}${plan.admin ? ' --admin' : ''}` },
        )
      }
      const { runRoleChange } = await import('./role-change-run.js')
      app.exitCode = await runRoleChange(
        {
          command: 'apply',
          ...(plan.target !== undefined && { target: plan.target }),
          roleWasRaw: false,
          input: {
            kind: 'planned',
            source: file,
            changes: plan.items.map(item => ({
              name: item.name,
              target: item.to,
              expect: { role: item.from, code: 'STALE' as const },
            })),
          },
          ...runRequestOf(options),
          // The plan was reviewed: that was the confirmation.
          yes: true,
          onlyRaise: false,
        },
        app,
      )
    })
}
