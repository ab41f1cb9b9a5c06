// Builds the commander program from an explicit list of commands and runs it: argv in, exit code out.
// Nothing here loads the Google libraries, so --help, --version and usage errors start at commander speed.
// Every failure, commander's usage errors included, is printed by reportFailure in one form: `chat-role: …` and
// `hint: …` on stderr, plus the {ok: false, error} document on stdout with --json.
import { Command, CommanderError, Option, type HelpContext } from 'commander'
import { registerApplyCommand } from './commands/apply.js'
import { registerAuthCommands } from './commands/auth.js'
import { registerHandoverCommand } from './commands/handover.js'
import type { App, GlobalOptions, RegisterCommand } from './commands/context.js'
import { registerListCommand } from './commands/list.js'
import { registerRoleCommands } from './commands/role-change.js'
import { registerShowCommand } from './commands/show.js'
import { registerSpacesCommand } from './commands/spaces.js'
import { registerUndoCommand } from './commands/undo.js'
import { quoteText } from './core/membership-name.js'
import { ChatRoleError, EXIT, EXIT_CODE_HELP, isChatRoleError, type ExitCode } from './errors.js'
import type { Io } from './io.js'
import { VERSION } from './version.js'

const COMMANDS: readonly RegisterCommand[] = [
  registerRoleCommands,
  registerUndoCommand,
  registerApplyCommand,
  registerHandoverCommand,
  registerShowCommand,
  registerListCommand,
  registerSpacesCommand,
  registerAuthCommands,
]

/** Commander "errors" that are not failures: help and version were asked for and printed. */
const COMMANDER_OK = new Set(['commander.helpDisplayed', 'commander.version'])

/**
 * Commander calls help({ error: true }) when a command that only has subcommands (chat-role, chat-role auth) is
 * given none. That is a usage error like the others: two lines, not a screenful of help on stderr.
 */
class ChatRoleCommand extends Command {
  override createCommand(name?: string): Command {
    return new ChatRoleCommand(name)
  }

  override help(context?: HelpContext | ((text: string) => string)): never {
    if (typeof context === 'object' && context.error) throw missingCommand(this)
    // The overloads of help() cannot be told apart by TypeScript here; both accept what we were given.
    return super.help(context as HelpContext)
  }
}

export function createProgram(app: App): Command {
  const program = new ChatRoleCommand('chat-role')
    .description('Change the roles of members in Google Chat spaces: one member, or thousands from a file or stdin.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('--json', 'print one JSON document on stdout (no colour, no prompts)'))
    .addOption(new Option('--verbose', 'explain each request and show stack traces on errors'))
    .addOption(new Option('--no-color', 'no colour (also NO_COLOR=1)'))
    .addOption(new Option('--no-input', 'never prompt; fail where a confirmation would be needed'))
    .addHelpText('after', EXIT_CODE_HELP)
    // Subcommands' help lists these too: commander accepts them after the subcommand as well.
    .configureHelp({ showGlobalOptions: true })
  for (const register of COMMANDS) register(program, app)
  configureErrors(program, app.io)
  return program
}

/** Every command throws its usage errors (exitOverride) as ChatRoleError, and prints none itself. */
function configureErrors(command: Command, io: Io): void {
  command
    .exitOverride((error: CommanderError) => {
      if (COMMANDER_OK.has(error.code) || (error.code === 'commander.help' && error.exitCode === 0)) throw error
      throw usageErrorOf(error, command)
    })
    .configureOutput({
      writeOut: text => io.stdout.write(text),
      writeErr: text => io.stderr.write(text),
      outputError: () => undefined,
    })
    // Suggestions are ours (usageErrorOf), worded like the rest.
    .showSuggestionAfterError(false)
  for (const child of command.commands) configureErrors(child, io)
}

export async function run(args: readonly string[], io: Io): Promise<ExitCode> {
  const holder: { program?: Command; parsed: boolean } = { parsed: false }
  const app: App = {
    io,
    exitCode: EXIT.OK,
    globals: () => readGlobals(holder.program, io, holder.parsed ? false : jsonBeforeSeparator(args)),
    reporter: async () => {
      const { createReporter } = await import('./output/reporter.js')
      return createReporter(io, app.globals())
    },
  }
  const program = createProgram(app)
  program.hook('preAction', () => {
    holder.parsed = true
  })
  holder.program = program
  try {
    await program.parseAsync([...args], { from: 'user' })
    return app.exitCode
  } catch (error) {
    return reportFailure(error, app)
  }
}

/**
 * Whether argv asks for --json, for failures while commander is still parsing. The options commander parsed are
 * the rule, and they already hold --json in every failure we know of: with positional options off, the program
 * takes its own options from anywhere before `--`, before a subcommand parses a thing. This scan applies exactly
 * that rule (an exact `--json`, before `--`; a name after `--` may be spelt --json), so that a failure raised
 * before commander reached --json still answers in JSON, and never disagrees with what commander would decide.
 */
export function jsonBeforeSeparator(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false
    if (arg === '--json') return true
  }
  return false
}

function readGlobals(program: Command | undefined, io: Io, jsonInArgv: boolean): GlobalOptions {
  const options = program?.opts<{ json?: boolean; verbose?: boolean; color?: boolean; input?: boolean }>() ?? {}
  const noColorEnv = (io.env.NO_COLOR ?? '') !== ''
  return {
    json: options.json === true || jsonInArgv,
    verbose: options.verbose === true,
    color: options.color !== false && !noColorEnv,
    input: options.input !== false,
  }
}

/** The one place a failure becomes text (or JSON) and an exit code. */
function reportFailure(error: unknown, app: App): ExitCode {
  const { io } = app
  // Help or version, already printed.
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE
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

// ---- commander's usage errors, in the house form ----

/** 'chat-role auth login' for the login command. */
function commandPath(command: Command): string {
  const names: string[] = []
  for (let at: Command | null = command; at !== null; at = at.parent) names.unshift(at.name())
  return names.join(' ')
}

/** 'promote' or 'auth login': how a message names the command; '' for the program itself. */
const subcommandPath = (command: Command): string => commandPath(command).split(' ').slice(1).join(' ')

const seeHelp = (command: Command): string => `see ${commandPath(command)} --help`

/** The text in commander's message between the first pair of quotes after `after`, e.g. the flag of an option. */
function quoted(message: string, after: string): string | undefined {
  const start = message.indexOf(`${after} '`)
  if (start === -1) return undefined
  const from = start + after.length + 2
  const end = message.indexOf("'", from)
  return end === -1 ? undefined : message.slice(from, end)
}

function usageErrorOf(error: CommanderError, command: Command): ChatRoleError {
  const usage = (message: string, hint: string): ChatRoleError =>
    new ChatRoleError('USAGE', message, { hint, cause: error })
  const sub = subcommandPath(command)
  const text = error.message.replace(/^error: /, '').split('\n')[0] ?? ''
  switch (error.code) {
    case 'commander.unknownOption': {
      const flag = quoted(error.message, 'unknown option') ?? text
      const candidates = [command, ...ancestorsOf(command)].flatMap(at =>
        at.options.flatMap(option => (option.long === undefined || option.hidden ? [] : [option.long])),
      )
      const closest = flag.startsWith('--') ? closestWord(flag, candidates) : undefined
      return usage(
        `unknown option ${quoteText(flag)}${sub === '' ? '' : ` for ${sub}`}`,
        closest === undefined
          ? `${seeHelp(command)} for its options`
          : `did you mean ${closest}? S${seeHelp(command).slice(1)}`,
      )
    }
    case 'commander.unknownCommand': {
      const name = command.args[0] ?? ''
      const names = command.commands.map(child => child.name())
      const closest = closestWord(name, names)
      return usage(
        `unknown ${sub === '' ? '' : `${sub} `}command ${quoteText(name)}`,
        `${closest === undefined ? '' : `did you mean ${closest}? `}Commands: ${names.join(', ')}; ${seeHelp(command)}`,
      )
    }
    case 'commander.missingArgument': {
      const name = quoted(error.message, 'argument') ?? 'an argument'
      return usage(`${sub} needs <${name}>`, `usage: ${commandPath(command)} ${command.usage()}; ${seeHelp(command)}`)
    }
    case 'commander.optionMissingArgument': {
      const flags = quoted(error.message, 'option') ?? text
      const long = command.options.find(option => option.flags === flags)?.long ?? flags
      return usage(`${long} needs a value`, `write ${flags}; ${seeHelp(command)}`)
    }
    case 'commander.excessArguments': {
      const expected = command.registeredArguments.length
      const extra = command.args.slice(expected).map(quoteText).join(', ')
      return usage(
        `${sub} takes ${expected} argument${expected === 1 ? '' : 's'}; unexpected: ${extra}`,
        `usage: ${commandPath(command)} ${command.usage()}; ${seeHelp(command)}`,
      )
    }
    case 'commander.invalidArgument': {
      // Our own parsers throw ChatRoleError and never get here; this is for parsers that throw commander's
      // InvalidArgumentError: "option '--x <v>' argument 'y' is invalid. why" or
      // "command-argument value 'y' is invalid for argument 'x'. why".
      const option = /^option '([^']*)' argument '(.*)' is invalid\. (.*)$/su.exec(text)
      if (option !== null) {
        const [, flags = '', value = '', why = ''] = option
        const long = command.options.find(candidate => candidate.flags === flags)?.long ?? flags
        return usage(`invalid ${long} ${quoteText(value)}: ${why}`, seeHelp(command))
      }
      const argument = /^command-argument value '(.*)' is invalid for argument '([^']*)'\. (.*)$/su.exec(text)
      if (argument !== null) {
        const [, value = '', name = '', why = ''] = argument
        return usage(`invalid <${name}> ${quoteText(value)}: ${why}`, seeHelp(command))
      }
      return usage(text, seeHelp(command))
    }
    default:
      return usage(text, seeHelp(command))
  }
}

function missingCommand(command: Command): ChatRoleError {
  const sub = subcommandPath(command)
  return new ChatRoleError('USAGE', sub === '' ? 'no command given' : `${sub} needs a command`, {
    hint: `Commands: ${command.commands.map(child => child.name()).join(', ')}; ${seeHelp(command)}`,
  })
}

function ancestorsOf(command: Command): Command[] {
  const ancestors: Command[] = []
  for (let at = command.parent; at !== null; at = at.parent) ancestors.push(at)
  return ancestors
}

/**
 * The candidate nearest to `word` by edit distance (a swap of neighbours counts as one edit), when it is near
 * enough to be a typo: at most 3 edits, and fewer than 60% of the longer word. Dashes of flags are ignored.
 */
export function closestWord(word: string, candidates: readonly string[]): string | undefined {
  const bare = (text: string): string => text.replace(/^--?/, '')
  let best: { readonly candidate: string; readonly distance: number } | undefined
  for (const candidate of new Set(candidates)) {
    const distance = editDistance(bare(word), bare(candidate))
    const length = Math.max(bare(word).length, bare(candidate).length)
    if (distance > 3 || distance >= length * 0.6) continue
    if (best === undefined || distance < best.distance) best = { candidate, distance }
  }
  return best?.candidate
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const row = rows[i] ?? []
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row[j] = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(at(i, j), at(i - 2, j - 2) + 1)
      }
    }
  }
  return at(a.length, b.length)
}
