// `chat-role promote`, `demote` and `set`: three spellings of one action, "give these memberships this role".
import { Argument, Option, type Command } from 'commander'
import { isRawRoleName, parseRole, roleOfWord, type Role } from '../core/role.js'
import { EXIT_CODE_HELP } from '../errors.js'
import { addConnectionOptions, sessionRequestOf, type ConnectionOptions } from './connection-options.js'
import type { App, RegisterCommand } from './context.js'
import { choiceOption, wholeNumberOption } from './option-values.js'

interface RoleChangeOptions extends ConnectionOptions {
  readonly space?: string
  /** Absent when no --file was given (no default, so that help shows none). */
  readonly file?: string[]
  readonly dryRun?: boolean
  readonly yes?: boolean
  /** Absent: the scheduler chooses. */
  readonly concurrency?: number
  readonly maxRate?: number
  readonly maxAttempts: number
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
  skipped    not done because the run stopped first (Ctrl-C, a sign-in failure)
  In --json, "attempts" counts the HTTP requests made for that membership: reads and writes,
  retries included.`

function addRoleChangeOptions(command: Command): Command {
  const help = `see chat-role ${command.name()} --help`
  return addConnectionOptions(
    command
      .argument('[memberships...]', 'membership names, or - for stdin')
      .option('--space <space>', 'the space for bare member ids or emails (spaces/S or a Chat URL)')
      .addOption(new Option('-f, --file <file>', 'read names from FILE (repeatable; - for stdin)').argParser(collect))
      .option('-n, --dry-run', 'read and show what would change; write nothing')
      .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
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
    .addHelpText('after', NAMES_HELP)
    .addHelpText('after', EXIT_CODE_HELP)
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

async function runAction(
  app: App,
  target: Role,
  roleText: string,
  names: string[],
  options: RoleChangeOptions,
  onlyRaise = false,
): Promise<void> {
  const { runRoleChange } = await import('./role-change-run.js')
  app.exitCode = await runRoleChange(
    {
      target,
      roleWasRaw: isRawRoleName(roleText),
      names,
      files: options.file ?? [],
      ...(options.space !== undefined && { space: options.space }),
      dryRun: options.dryRun === true,
      yes: options.yes === true,
      // Without --concurrency the scheduler chooses. Until RoleChangeRequest.concurrency becomes optional with
      // the new scheduler, today's fixed 4 stands in for "chosen"; then pass options.concurrency through as is.
      concurrency: options.concurrency ?? 4,
      ...(options.maxRate !== undefined && { maxRate: options.maxRate }),
      maxAttempts: options.maxAttempts,
      session: sessionRequestOf(options),
      onlyRaise,
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
      ),
  ).action(async (names: string[], options: RoleChangeOptions & { to: 'manager' | 'owner' }) => {
    await runAction(app, roleOfWord(options.to), options.to, names, options, true)
  })

  addRoleChangeOptions(
    program
      .command('demote')
      .summary('make managers and owners plain members')
      .description('Make memberships plain members (ROLE_MEMBER), from manager or owner.'),
  ).action(async (names: string[], options: RoleChangeOptions) => {
    await runAction(app, 'ROLE_MEMBER', 'member', names, options)
  })

  addRoleChangeOptions(
    program
      .command('set')
      .summary('give memberships any role')
      .description(
        'Give memberships a role: member, manager or owner (or ROLE_MEMBER, ROLE_ASSISTANT_MANAGER, ROLE_MANAGER).',
      )
      .addArgument(new Argument('<role>', 'member, manager or owner (or a ROLE_* name)').argParser(roleArgument)),
  ).action(async (role: string, names: string[], options: RoleChangeOptions) => {
    await runAction(app, parseRole(role), role, names, options)
  })
}
