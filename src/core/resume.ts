// Resuming a run from its journal: only the same run may carry on (same command, role, account and access),
// and it carries on with what is not done yet. Done is `updated`, `unchanged` or `kept`; everything else
// (failed, skipped, stale, a write sent with no outcome, a membership of the input never reached) is read
// again and completed. Pure.
import { ChatRoleError } from '../errors.js'
import { latestByMembership, type JournalItem, type MembershipState, type ParsedJournal } from './journal.js'
import { sameCaller, type RunCaller } from './record-fields.js'
import { describeRole, type Role } from './role.js'

/** What makes two runs the same run. */
export interface RunIdentity {
  readonly command: string
  readonly target?: Role
  readonly caller: RunCaller
  readonly admin: boolean
}

export interface ResumePlan {
  /** Input names already settled for good, each with its last journal line. */
  readonly done: Map<string, JournalItem>
  /** Input names to read again and complete, in input order, each once. */
  readonly todo: string[]
  /** Memberships the journal names that no input name matches (the input changed since?). */
  readonly notInInput: string[]
}

const DONE: ReadonlySet<string> = new Set(['updated', 'unchanged', 'kept'])

/** Refuses a journal of another run: the message says every way it differs. */
export function assertResumable(
  journal: Pick<ParsedJournal, 'header'>,
  run: RunIdentity,
  source = 'the journal',
): void {
  const { header } = journal
  const differences: string[] = []
  if (header.command !== run.command) differences.push(`it is a ${header.command} run, this is ${run.command}`)
  if (header.target !== run.target) {
    differences.push(`it sets ${describeTarget(header.target)}, this sets ${describeTarget(run.target)}`)
  }
  if (!sameCaller(header.caller, run.caller)) {
    differences.push(`it ran as ${describeCaller(header.caller)}, this runs as ${describeCaller(run.caller)}`)
  }
  if (header.admin !== run.admin) {
    differences.push(`it ran ${header.admin ? 'with' : 'without'} --admin, this runs ${run.admin ? 'with' : 'without'}`)
  }
  if (differences.length === 0) return
  throw new ChatRoleError('USAGE', `${source} records another run: ${differences.join('; ')}`, {
    hint: `resume a run as it was started: chat-role ${header.argv.map(quoteArgument).join(' ')}`,
    details: { differences },
  })
}

/**
 * What a resumed run still has to do. `inputNames` are the names the original input gives (re-read from its
 * arguments and files); an email alias (`spaces/S/members/alice@example.com`) matches the journal line of
 * the membership it was resolved to, by space and email.
 */
export function planResume(
  journal: ParsedJournal,
  run: RunIdentity,
  inputNames: readonly string[],
  source?: string,
): ResumePlan {
  assertResumable(journal, run, source)
  const states = latestByMembership(journal)
  const byEmail = new Map<string, MembershipState>()
  for (const state of states.values()) {
    if (state.email !== undefined) byEmail.set(emailKey(state.space, state.email), state)
  }
  const done = new Map<string, JournalItem>()
  const todo: string[] = []
  const matched = new Set<string>()
  const seen = new Set<string>()
  for (const name of inputNames) {
    if (seen.has(name)) continue
    seen.add(name)
    const state = states.get(name) ?? stateOfAlias(name, byEmail)
    if (state !== undefined) matched.add(state.name)
    if (state !== undefined && !state.uncertain && state.last.type === 'item' && DONE.has(state.last.status)) {
      done.set(name, state.last)
    } else todo.push(name)
  }
  const notInInput = [...states.keys()].filter(name => !matched.has(name))
  return { done, todo, notInInput }
}

function stateOfAlias(name: string, byEmail: ReadonlyMap<string, MembershipState>): MembershipState | undefined {
  const match = /^(spaces\/[^/]+)\/members\/([^/]+@[^/]+)$/.exec(name)
  if (match === null) return undefined
  const [, space = '', email = ''] = match
  return byEmail.get(emailKey(space, email))
}

/** Google treats email addresses without regard to case. */
const emailKey = (space: string, email: string): string => `${space}\n${email.toLowerCase()}`

const describeTarget = (target: Role | undefined): string =>
  target === undefined ? 'a role per membership' : describeRole(target)

const describeCaller = (caller: RunCaller): string =>
  caller.user === undefined ? caller.account : `${caller.account} (${caller.user})`

/** An argument as a POSIX shell reads it back. */
function quoteArgument(argument: string): string {
  return /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replaceAll("'", `'\\''`)}'`
}
