// `chat-role promote`, `demote` and `set`: three spellings of one action, "give these memberships this role".
import { Argument, Option, type Command } from 'commander'
import { isRawRoleName, parseRole, roleOfWord, type Role } from '../core/role.js'
import { ChatRoleError, EXIT_CODE_HELP } from '../errors.js'
import { addConnectionOptions, sessionRequestOf, type ConnectionOptions } from './connection-options.js'
import type { App, RegisterCommand } from './context.js'
import { choiceOption, wholeNumberOption } from './option-values.js'

/** What every run that writes takes: pacing, confirmation, its journal and its progress. */
export interface RunOptions extends ConnectionOptions {
  readonly dryRun?: boolean
  readonly yes?: boolean
  readonly concurrency?: number
  readonly maxRate?: number
  readonly maxAttempts: number
  readonly journal?: string
  readonly progress?: boolean
}

interface RoleChangeOptions extends RunOptions {
  readonly space?: string
  readonly file?: string[]
  readonly resume?: string
  readonly plan?: string
  readonly allManagers?: boolean
  readonly keep?: string[]
  readonly user?: string
  readonly allSpaces?: boolean
  readonly ownerless?: boolean
  readonly pick?: string
}

/** The limits of the tuning options, in their help and in the README. */
export const LIMITS = {
  concurrency: { min: 1, max: 64 },
  maxRate: { min: 1, max: 100_000 },
  maxAttempts: { min: 1, max: 20, default: 6 },
} as const

const NAMES_HELP = `
Memberships:
  spaces/SPACE/members/MEMBER     MEMBER is a user id or an email (resolved with a read first)
  MEMBER, users/MEMBER, EMAIL      with --space spaces/SPACE (or a Chat URL of the space)
  -                                read names from stdin, one per line (# comments allowed)
  --file FILE                      the same from a file; a CSV with a "name" column works too
                                   (e.g. what "gam print chatmembers" writes)

Roles (the Chat UI's words, then the API's):
  member   Member   ROLE_MEMBER
  manager  Manager  ROLE_ASSISTANT_MANAGER
  owner    Owner    ROLE_MANAGER   (can delete the space and make or remove owners)

Each membership is read first; one that already has the role is reported "unchanged" and not written.
Changing more than one membership, or granting owner, asks for confirmation on a terminal and needs
--yes otherwise. A space is never left without an owner.

Results (one line per membership on stdout; "status" in --json):
  updated    the role was changed
  unchanged  it already had the role; nothing was written
  kept       promote only: it has a higher role, which promote never lowers; nothing was written
  planned    --dry-run: it would be changed (the line says "would set"); nothing was written
  failed     not done; the line says why (exit 1)
  skipped    not done because the run stopped first (a signal, a sign-in failure); --resume finishes it
  stale      apply only: it no longer has the role the plan saw; left as it is (exit 1)
  conflict   undo only: someone changed it after the run; left as it is unless --force (exit 1)
  In --json, "attempts" counts the HTTP requests made for that membership: reads and writes,
  retries included.`

/** The options of every command that writes: promote, demote, set, undo, apply. */
export function addRunOptions(command: Command, { dryRun = true } = {}): Command {
  const help = `see chat-role ${command.name()} --help`
  if (dryRun) command.option('-n, --dry-run', 'read and show what would change; write nothing')
  return addConnectionOptions(
    command
      .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
      .option('--journal <file>', "keep the run's journal in FILE (default: a new file in the runs folder)")
      .option('--progress', 'a status line on stderr every few seconds, also without a terminal')
      .addOption(
        wholeNumberOption(
          '--concurrency <n>',
          `most requests in flight, ${LIMITS.concurrency.min}-${LIMITS.concurrency.max} (default: chosen from the quota and latency)`,
          { ...LIMITS.concurrency, hint: `leave it out to let chat-role choose; ${help}` },
        ),
      )
      .addOption(
        wholeNumberOption(
          '--max-rate <n>',
          `at most N writes a minute, ${LIMITS.maxRate.min}-${LIMITS.maxRate.max} (default: none; the pace adapts to Google's answers)`,
          { ...LIMITS.maxRate, hint: `leave it out for no cap; ${help}` },
        ),
      )
      .addOption(
        wholeNumberOption(
          '--max-attempts <n>',
          `tries per request for rate limits, 5xx and network errors, ${LIMITS.maxAttempts.min}-${LIMITS.maxAttempts.max}`,
          { ...LIMITS.maxAttempts, hint: `1 means no retries; ${help}` },
        ).default(LIMITS.maxAttempts.default),
      ),
  )
}

function addRoleChangeOptions(command: Command): Command {
  return addRunOptions(
    command
      .argument('[memberships...]', 'membership names, or - for stdin')
      .option('--space <space>', 'the space for bare member ids or emails (spaces/S or a Chat URL)')
      .option('--user <person>', 'a person (EMAIL or users/ID): with --all-spaces, in every space they are in')
      .option('--all-spaces', 'with --user: every named space the person is a member of')
      .addOption(new Option('-f, --file <file>', 'read names from FILE (repeatable; - for stdin)').argParser(collect))
      .option('--resume <journal>', 'carry on a stopped run from its journal (no memberships given)')
      .option('--plan <file>', 'with --dry-run: save the plan, for chat-role apply FILE'),
  )
    .addHelpText('after', NAMES_HELP)
    .addHelpText('after', EXIT_CODE_HELP)
}

/** The request fields every writing command shares. */
export function runRequestOf(options: RunOptions) {
  return {
    dryRun: options.dryRun === true,
    yes: options.yes === true,
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
    ...(options.maxRate !== undefined && { maxRate: options.maxRate }),
    maxAttempts: options.maxAttempts,
    session: sessionRequestOf(options),
    ...(options.journal !== undefined && { journal: options.journal }),
    ...(options.progress === true && { progress: true }),
  }
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}

/** Checks the role while parsing, so an unknown one is a usage error in the house form (parseRole throws it). */
function roleArgument(value: string): string {
  parseRole(value)
  return value
}

function promoteToHint(value: string): string {
  return /^(member|role_member)$/i.test(value.trim())
    ? 'promote never lowers a role: use chat-role demote (or chat-role set member)'
    : 'use --to manager (ROLE_ASSISTANT_MANAGER) or --to owner (ROLE_MANAGER); see chat-role promote --help'
}

/** Names as given, or what a discovery (every manager, a person everywhere, ownerless spaces) will find. */
async function inputOf(
  command: 'promote' | 'demote' | 'set',
  target: Role | undefined,
  names: string[],
  options: RoleChangeOptions,
) {
  const discovery = [options.allManagers, options.user !== undefined, options.ownerless].filter(Boolean).length
  if (discovery === 0) {
    if (options.keep !== undefined) throw usage('--keep goes with --all-managers', command)
    return {
      kind: 'batch' as const,
      names,
      files: options.file ?? [],
      ...(options.space !== undefined && { space: options.space }),
    }
  }
  if (discovery > 1) throw usage('give one of --all-managers, --user and --ownerless', command)
  if (names.length > 0 || options.file !== undefined) {
    throw usage('--all-managers, --user and --ownerless find the memberships themselves: give no names', command)
  }
  const people = await import('./people.js')
  const { parseSpaceRef } = await import('../core/membership-name.js')
  if (options.allManagers === true) {
    if (options.space === undefined) throw usage('--all-managers needs --space SPACE', command)
    return people.allManagersInput([`spaces/${parseSpaceRef(options.space)}`], options.keep ?? [])
  }
  if (options.user !== undefined) {
    if (options.space !== undefined) {
      return { kind: 'batch' as const, names: [options.user.replace(/^users\//, '')], files: [], space: options.space }
    }
    if (options.allSpaces !== true) throw usage('--user needs --all-spaces, or --space SPACE', command)
    return people.personEverywhereInput(options.user, target)
  }
  if (command !== 'promote' || target !== 'ROLE_MANAGER')
    throw usage('--ownerless goes with promote --to owner', command)
  return people.ownerlessInput(options.pick ?? 'manager')
}

function usage(message: string, command: string): ChatRoleError {
  return new ChatRoleError('USAGE', message, { hint: `see chat-role ${command} --help` })
}

async function runAction(
  app: App,
  command: 'promote' | 'demote' | 'set',
  target: Role | undefined,
  roleText: string,
  names: string[],
  options: RoleChangeOptions,
): Promise<void> {
  const { runRoleChange } = await import('./role-change-run.js')
  app.exitCode = await runRoleChange(
    {
      command,
      ...(target !== undefined && { target }),
      roleWasRaw: isRawRoleName(roleText),
      input: await inputOf(command, target, names, options),
      ...runRequestOf(options),
      // Finding a person's spaces, or the ownerless ones, lists spaces: the token must be allowed to.
      ...(((options.user !== undefined && options.allSpaces === true) || options.ownerless === true) && {
        session: { ...sessionRequestOf(options), spaces: true },
      }),
      onlyRaise: command === 'promote',
      ...(options.resume !== undefined && { resume: options.resume }),
      ...(options.plan !== undefined && { planFile: options.plan }),
    },
    app,
  )
}

export const registerRoleCommands: RegisterCommand = (program, app) => {
  addRoleChangeOptions(
    program
      .command('promote')
      .summary('make members managers (or owners with --to owner)')
      .description(
        'Make memberships managers (ROLE_ASSISTANT_MANAGER, the Chat UI\'s "Manager"), or owners with --to owner.\n' +
          'Owner (ROLE_MANAGER) is the strongest role: an owner can delete the space and make or remove owners.\n' +
          'promote never lowers a role: an owner stays an owner (use set to lower one on purpose).',
      )
      .addOption(
        choiceOption('--to <role>', 'manager or owner', ['manager', 'owner'], promoteToHint).default('manager'),
      )
      .option('--ownerless', 'with --to owner: give every space with no owner one (with --admin: the whole domain)')
      .option('--pick <who>', 'with --ownerless: "manager" (the longest-standing one, default) or a person', 'manager'),
  ).action(async (names: string[], options: RoleChangeOptions & { to: 'manager' | 'owner' }) => {
    await runAction(app, 'promote', roleOfWord(options.to), options.to, names, options)
  })

  addRoleChangeOptions(
    program
      .command('demote')
      .summary('make managers and owners plain members')
      .description('Make memberships plain members (ROLE_MEMBER), from manager or owner.')
      .option('--all-managers', 'with --space: every manager and owner of the space, but those kept')
      .option('--keep <person>', 'with --all-managers: leave this person as they are (repeatable)', collect),
  ).action(async (names: string[], options: RoleChangeOptions) => {
    await runAction(app, 'demote', 'ROLE_MEMBER', 'member', names, options)
  })

  addRoleChangeOptions(
    program
      .command('set')
      .summary('give memberships any role')
      .description(
        'Give memberships a role: member, manager or owner (or ROLE_MEMBER, ROLE_ASSISTANT_MANAGER, ROLE_MANAGER).',
      )
      .addArgument(
        new Argument(
          '[role]',
          'member, manager or owner (or a ROLE_* name); leave out for a CSV with a role column',
        ).argParser(roleArgument),
      ),
  ).action(async (role: string | undefined, names: string[], options: RoleChangeOptions) => {
    await runAction(app, 'set', role === undefined ? undefined : parseRole(role), role ?? '', names, options)
  })
}
