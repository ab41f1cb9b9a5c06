// The role-change run: validate the whole batch, then for each space, on its own: read, plan, guard the
// owners, and (once confirmed) write in the safe order. Spaces do not wait for each other; the scheduler
// decides what goes out next. Loaded only when a role command runs, so --help never pays for the Google
// libraries.
import type { SessionRequest } from '../auth/session.js'
import { describeLocation } from '../core/batch-input.js'
import { guardLastOwners, planMembership, demotesOwner } from '../core/plan.js'
import type { ItemError, ItemResult } from '../core/result.js'
import { describeRole, type Role } from '../core/role.js'
import { ChatRoleError, EXIT, type ExitCode } from '../errors.js'
import { renderRunDocument, renderResultLine, renderSummary } from '../output/render-results.js'
import type { Reporter } from '../output/reporter.js'
import type { Connection } from './connect.js'
import type { App } from './context.js'
import { confirm, canPrompt } from './prompt.js'
import { readBatch } from './read-input.js'
import { newRunItem, nameOf, resultOf, type RunItem } from './run/items.js'
import { readSpace } from './run/read-space.js'
import { writeSpace } from './run/write-space.js'

export interface RoleChangeRequest {
  readonly target: Role
  /** The user typed ROLE_*; a reminder of the UI names is printed for ROLE_MANAGER. */
  readonly roleWasRaw: boolean
  readonly names: readonly string[]
  readonly files: readonly string[]
  readonly space?: string
  readonly dryRun: boolean
  readonly yes: boolean
  /** --concurrency: the most requests in flight; undefined lets the scheduler choose. */
  readonly concurrency?: number
  /** --max-rate: writes per minute at most. */
  readonly maxRate?: number
  readonly maxAttempts: number
  readonly session: SessionRequest
  /** promote: never lower a role. */
  readonly onlyRaise: boolean
}

type Item = RunItem

/** Opens once the run may write: at once with --yes, after the answer on a terminal. */
interface Gate {
  readonly opened: Promise<boolean>
  open(answer: boolean): void
}

function createGate(): Gate {
  let open: (answer: boolean) => void = () => undefined
  const opened = new Promise<boolean>(resolve => {
    open = resolve
  })
  return { opened, open }
}

export async function runRoleChange(request: RoleChangeRequest, app: App): Promise<ExitCode> {
  const { io } = app
  const globals = app.globals()
  const reporter = await app.reporter()
  const started = Date.now()

  const batch = await readBatch(request, io)
  for (const duplicate of batch.duplicates) {
    reporter.warn(
      `${describeLocation(duplicate.entry)}: ${duplicate.name} is already given at ${describeLocation(duplicate.firstSeen)}; ignored`,
    )
  }
  const items: Item[] = batch.items.map(entry => newRunItem(entry, request.target))

  const needsConfirmation = !request.dryRun && !request.yes && (items.length > 1 || request.target === 'ROLE_MANAGER')
  const interactive = canPrompt(io, globals)
  if (needsConfirmation && !interactive) {
    throw new ChatRoleError(
      'CONFIRMATION_REQUIRED',
      `${items.length > 1 ? `changing ${items.length} memberships` : 'granting owner'} needs --yes when not run at a terminal; nothing was sent`,
      { hint: 'add --yes (or --dry-run to see the plan first)' },
    )
  }
  if (request.roleWasRaw && request.target === 'ROLE_MANAGER') {
    reporter.warn(
      'ROLE_MANAGER is the role the Chat UI calls Owner; for the UI\'s Manager use "manager" (ROLE_ASSISTANT_MANAGER)',
    )
  }

  // Auth failures end the run: every later request would fail the same way.
  const run = new AbortController()
  const stop = (): void => {
    run.abort()
  }
  io.signal.addEventListener('abort', stop, { once: true })
  let fatal: ChatRoleError | undefined

  const { connect } = await import('./connect.js')
  const connection = await connect(request.session, io, reporter, {
    maxAttempts: request.maxAttempts,
    ...(request.concurrency !== undefined && { maxInFlight: request.concurrency }),
    ...(request.maxRate !== undefined && { maxWritesPerMinute: request.maxRate }),
    signal: run.signal,
  })
  const { session } = connection
  await session.assertScopes('read')
  if (!request.dryRun) await session.assertScopes('write')
  // Who the caller is, so that their own role is lowered last: one tokeninfo call, not a Chat request.
  const caller = await session.callerUser()
  reporter.debug(caller === undefined ? 'the caller has no Chat user id' : `the caller is ${caller}`)

  /** Per-membership sentences say "this membership": the line already names it. */
  const fail = (item: Item, error: unknown, attempts: number): void => {
    const mapped = connection.explain(error, 'this membership', item.space, attempts)
    if (mapped.exitCode === EXIT.AUTH) {
      fatal ??= mapped
      run.abort()
    }
    item.error = itemErrorOf(mapped, error)
    item.settledAt = new Date()
  }

  // Live results: each line as its membership settles, once writing may start (the plan is shown first).
  const gate = createGate()
  const waitingForAnswer = needsConfirmation && interactive
  const held: Item[] = []
  let printing = !waitingForAnswer
  const settle = (item: Item): void => {
    item.settledAt ??= new Date()
    if (reporter.json) return
    if (!printing) held.push(item)
    else reporter.line(renderResultLine(resultOf(item, request.dryRun), reporter.style))
  }
  if (!waitingForAnswer) gate.open(!request.dryRun)

  const bySpace = groupBySpace(items)
  const kept: Item[] = []
  const planned: Promise<void>[] = []
  const pipelines = [...bySpace].map(async ([space, spaceItems]) => {
    let donePlanning: () => void = () => undefined
    planned.push(
      new Promise(resolve => {
        donePlanning = resolve
      }),
    )
    try {
      const read = await readSpace(space, spaceItems, { connection, fail })
      const readable = collapseAliases(spaceItems, reporter)
      kept.push(...readable)
      for (const item of readable) {
        if (item.snapshot !== undefined && item.error === undefined) {
          item.step = planMembership(item.snapshot, item.target, { onlyRaise: request.onlyRaise })
        }
      }
      const owners = run.signal.aborted
        ? undefined
        : await guardOwners(space, readable, read.owners, connection, reporter)
      for (const item of readable) if (item.step?.action !== 'update' || request.dryRun) settle(item)
      donePlanning()
      if (!(await gate.opened) || run.signal.aborted) return
      await writeSpace(readable, owners ?? Number.POSITIVE_INFINITY, { connection, fail, caller, settle })
    } finally {
      donePlanning()
    }
  })

  if (waitingForAnswer) {
    await Promise.all(planned)
    const updates = kept.filter(item => item.step?.action === 'update' && item.error === undefined)
    let answer = false
    if (updates.length > 0 && !run.signal.aborted) {
      showPlan(updates, reporter)
      answer = await confirm(`Apply ${updates.length} change${updates.length === 1 ? '' : 's'}? [y/N] `, io)
    }
    gate.open(answer)
    await Promise.all(pipelines)
    if (!answer && updates.length > 0) {
      reporter.info('Cancelled: nothing was changed.')
      return EXIT.INTERRUPTED
    }
    printing = true
    for (const item of held) settle(item)
  } else await Promise.all(pipelines)
  io.signal.removeEventListener('abort', stop)

  const interrupted = io.signal.aborted
  const unreachable = connection.scheduler.unreachable
  if (unreachable !== undefined && fatal === undefined) {
    const mapped = connection.explain(unreachable, 'Google Chat', 'spaces', 0)
    fatal = new ChatRoleError(
      'NETWORK',
      `cannot reach Google Chat; stopped after ${connection.scheduler.stats().sent} requests got no answer (${mapped.message})`,
      {
        hint: 'check the network (and HTTPS_PROXY/NO_PROXY, or CHAT_EMULATOR_HOST), then run the command again',
      },
    )
  }
  const stoppedBecause: ItemError | undefined =
    unreachable !== undefined
      ? { code: 'NOT_SENT', message: 'not done: Google Chat could not be reached' }
      : fatal !== undefined
        ? { code: 'NOT_SENT', message: 'not done: the run stopped at a sign-in error' }
        : undefined
  const ordered = items.filter(item => kept.includes(item))
  const results: ItemResult[] = ordered.map(item => {
    if (stoppedBecause !== undefined && item.written !== true && item.error === undefined)
      item.notDone ??= stoppedBecause
    return resultOf(item, request.dryRun)
  })
  // Lines of memberships that never settled (the run stopped first) come last.
  if (!reporter.json) {
    for (const item of ordered) {
      if (item.settledAt === undefined) reporter.line(renderResultLine(resultOf(item, request.dryRun), reporter.style))
    }
  }
  const elapsedMs = Date.now() - started
  const runInfo = { dryRun: request.dryRun, target: request.target, elapsedMs, interrupted, error: fatal }
  if (reporter.json) reporter.document(renderRunDocument(results, runInfo))
  reporter.info(renderSummary(results, runInfo, reporter.errStyle))
  if (fatal !== undefined) {
    reporter.error(fatal)
    return fatal.exitCode
  }
  if (interrupted) return EXIT.INTERRUPTED
  return results.some(result => result.status === 'failed') ? EXIT.FAILURE : EXIT.OK
}

function groupBySpace(items: readonly Item[]): Map<string, Item[]> {
  const groups = new Map<string, Item[]>()
  for (const item of items) groups.set(item.space, [...(groups.get(item.space) ?? []), item])
  return groups
}

function itemErrorOf(mapped: ChatRoleError, cause: unknown): ItemError {
  const status = (cause as { response?: { status?: unknown } } | undefined)?.response?.status
  return {
    code: mapped.code,
    message: mapped.message,
    ...(mapped.hint !== undefined && { hint: mapped.hint }),
    ...(typeof status === 'number' && { httpStatus: status }),
  }
}

/** An email alias and a user id can name the same membership; only the read tells. Keep the first. */
function collapseAliases(items: readonly Item[], reporter: Reporter): Item[] {
  const seen = new Map<string, Item>()
  const kept: Item[] = []
  for (const item of items) {
    const canonical = item.snapshot?.name
    const first = canonical === undefined ? undefined : seen.get(canonical)
    if (canonical !== undefined && first !== undefined) {
      reporter.warn(
        `${describeLocation(item.entry.entry)}: ${item.entry.ref.name} is ${canonical}, already given at ${describeLocation(first.entry.entry)}; ignored`,
      )
      continue
    }
    if (canonical !== undefined) seen.set(canonical, item)
    kept.push(item)
  }
  return kept
}

/**
 * Refuses the owner demotions that would leave the space without an owner, counting the owners this run
 * grants. Returns the owners the space has now (a full listing counted them already; else one filtered read).
 */
async function guardOwners(
  space: string,
  items: Item[],
  listedOwners: number | undefined,
  connection: Connection,
  reporter: Reporter,
): Promise<number | undefined> {
  if (!items.some(item => item.step !== undefined && demotesOwner(item.step))) return listedOwners
  let owners = listedOwners ?? (await countOwners(space, connection))
  if (owners === undefined) {
    reporter.warn(`could not count the owners of ${space}; Google Chat still refuses to demote a last owner`)
    owners = Number.POSITIVE_INFINITY
  }
  const planned = items.flatMap(item => (item.step === undefined ? [] : [{ space, step: item.step, item }]))
  for (const guarded of guardLastOwners(planned, new Map([[space, owners]]))) guarded.item.step = guarded.step
  return owners
}

async function countOwners(space: string, connection: Connection): Promise<number | undefined> {
  let count = 0
  const listed = await connection.listAll(
    {
      space,
      admin: connection.admin,
      // Documented filter values only: ROLE_MANAGER is the owner role; admin access requires the type filter.
      filter: 'member.type = "HUMAN" AND role = "ROLE_MANAGER"',
      showGroups: false,
      showInvited: false,
    },
    page => {
      count += page.filter(membership => membership.role === 'ROLE_MANAGER' && membership.state === 'JOINED').length
    },
  )
  return listed.ok ? count : undefined
}

function showPlan(updates: readonly Item[], reporter: Reporter): void {
  const shown = 20
  const targets = new Set(updates.map(item => item.target))
  const only = targets.size === 1 ? [...targets][0] : undefined
  reporter.info(
    `About to change ${updates.length} membership${updates.length === 1 ? '' : 's'}${only === undefined ? '' : ` to ${describeRole(only)}`}:`,
  )
  for (const item of updates.slice(0, shown)) {
    const from = item.step?.action === 'update' ? item.step.from : undefined
    const who = item.snapshot?.email ?? item.snapshot?.displayName
    reporter.info(
      `  ${nameOf(item)}${who === undefined ? '' : ` (${who})`}: ${describeRole(from)} -> ${describeRole(item.target)}`,
    )
  }
  if (updates.length > shown) reporter.info(`  … and ${updates.length - shown} more`)
  if (targets.has('ROLE_MANAGER')) reporter.warn('owners can delete the space and make or remove owners')
}
