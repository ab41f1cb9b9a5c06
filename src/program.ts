// Builds the commander program from an explicit list of commands and runs it: argv in, exit code out.
// Nothing here loads the Google libraries, so --help, --version and usage errors start at commander speed.
import { Command, CommanderError, Option } from 'commander'
import { registerApplyCommand } from './commands/apply.js'
import { registerAuthCommands } from './commands/auth.js'
import type { App, GlobalOptions, RegisterCommand } from './commands/context.js'
import { registerListCommand } from './commands/list.js'
import { registerRoleCommands } from './commands/role-change.js'
import { registerShowCommand } from './commands/show.js'
import { registerUndoCommand } from './commands/undo.js'
import { EXIT, EXIT_CODE_HELP, isChatRoleError, type ExitCode } from './errors.js'
import type { Io } from './io.js'
import { VERSION } from './version.js'

const COMMANDS: readonly RegisterCommand[] = [
  registerRoleCommands,
  registerUndoCommand,
  registerApplyCommand,
  registerShowCommand,
  registerListCommand,
  registerAuthCommands,
]

const COMMANDER_OK = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help'])

export function createProgram(app: App): Command {
  const program = new Command('chat-role')
    .description('Change the roles of members in Google Chat spaces: one member, or thousands from a file or stdin.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('--json', 'print one JSON document on stdout (no colour, no prompts)'))
    .addOption(new Option('--verbose', 'explain each request and show stack traces on errors'))
    .addOption(new Option('--no-color', 'no colour (also NO_COLOR=1)'))
    .addOption(new Option('--no-input', 'never prompt; fail where a confirmation would be needed'))
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODE_HELP)
    .exitOverride()
    .configureOutput({
      writeOut: text => app.io.stdout.write(text),
      writeErr: text => app.io.stderr.write(text),
      outputError: (text, write) => {
        write(`chat-role: ${text.replace(/^error: /, '')}`)
      },
    })
  for (const register of COMMANDS) register(program, app)
  // Subcommands inherit the error handling and output routing.
  for (const command of program.commands) inherit(command, program)
  return program
}

function inherit(command: Command, parent: Command): void {
  command.exitOverride().configureOutput(parent.configureOutput()).showHelpAfterError('(run with --help for usage)')
  for (const child of command.commands) inherit(child, command)
}

export async function run(args: readonly string[], io: Io): Promise<ExitCode> {
  const holder: { program?: Command } = {}
  const app: App = {
    io,
    exitCode: EXIT.OK,
    globals: () => readGlobals(holder.program, io),
    reporter: async () => {
      const { createReporter } = await import('./output/reporter.js')
      return createReporter(io, readGlobals(holder.program, io))
    },
  }
  const program = createProgram(app)
  holder.program = program
  try {
    await program.parseAsync([...args], { from: 'user' })
    return app.exitCode
  } catch (error) {
    return reportFailure(error, app)
  }
}

function readGlobals(program: Command | undefined, io: Io): GlobalOptions {
  const options = program?.opts<{ json?: boolean; verbose?: boolean; color?: boolean; input?: boolean }>() ?? {}
  const noColorEnv = (io.env.NO_COLOR ?? '') !== ''
  return {
    json: options.json === true,
    verbose: options.verbose === true,
    color: options.color !== false && !noColorEnv,
    input: options.input !== false,
  }
}

/** The one place a failure becomes text (or JSON) and an exit code. */
function reportFailure(error: unknown, app: App): ExitCode {
  const { io } = app
  if (error instanceof CommanderError) {
    // commander has already printed its message (or the help); only the exit code is ours.
    return COMMANDER_OK.has(error.code) ? EXIT.OK : EXIT.USAGE
  }
  const globals = app.globals()
  if (isChatRoleError(error)) {
    if (globals.json) {
      const document = {
        ok: false,
        error: { code: error.code, message: error.message, hint: error.hint, ...error.details },
      }
      io.stdout.write(`${JSON.stringify(document, null, 2)}\n`)
    }
    io.stderr.write(`chat-role: ${error.message}\n`)
    if (error.hint !== undefined) io.stderr.write(`hint: ${error.hint}\n`)
    if (globals.verbose && error.stack !== undefined) io.stderr.write(`${describeCause(error)}\n`)
    return error.exitCode
  }
  const message = error instanceof Error ? error.message : String(error)
  if (globals.json) {
    io.stdout.write(`${JSON.stringify({ ok: false, error: { code: 'INTERNAL', message } }, null, 2)}\n`)
  }
  io.stderr.write(`chat-role: unexpected error: ${message}\n`)
  if (globals.verbose && error instanceof Error && error.stack !== undefined) io.stderr.write(`${error.stack}\n`)
  else io.stderr.write('hint: run again with --verbose for details, and report it if it persists\n')
  return EXIT.FAILURE
}

function describeCause(error: Error): string {
  const lines = [error.stack ?? error.message]
  let cause = error.cause
  while (cause instanceof Error) {
    lines.push(`caused by: ${cause.stack ?? cause.message}`)
    cause = cause.cause
  }
  return lines.join('\n')
}
