// The role-change run: validate the whole batch, read every membership, plan, confirm, write, report.
// Loaded only when a role command runs, so --help never pays for the Google libraries.
import type { SessionRequest } from '../auth/session.js'
import { describeLocation, type ResolvedEntry } from '../core/batch-input.js'
import { runBulk, type PacingPolicy } from '../core/bulk-runner.js'
import { demotesOwner, guardLastOwners, planMembership, type MembershipSnapshot, type PlanStep } from '../core/plan.js'
import type { ItemError, ItemResult } from '../core/result.js'
import { describeRole, type Role } from '../core/role.js'
import { ChatRoleError, EXIT, type ExitCode } from '../errors.js'
import { renderRunDocument, renderResultLine, renderSummary } from '../output/render-results.js'
import type { Reporter } from '../output/reporter.js'
import type { Connection } from './connect.js'
import type { App } from './context.js'
import { confirm, canPrompt } from './prompt.js'
import { readBatch } from './read-input.js'

export interface RoleChangeRequest {
  readonly target: Role
  /** The user typed ROLE_*; a reminder of the UI names is printed for ROLE_MANAGER. */
  readonly roleWasRaw: boolean
  readonly names: readonly string[]
  readonly files: readonly string[]
  readonly space?: string
  readonly dryRun: boolean
  readonly yes: boolean
  readonly concurrency: number
  readonly maxAttempts: number
  readonly session: SessionRequest
  /** promote: never lower a role. */
  readonly onlyRaise: boolean
  /** The pacing seam: adaptive pacing plugs in here. */
  readonly pacing?: PacingPolicy
}

/** A membership as the run carries it from read to result. */
interface Item {
  readonly entry: ResolvedEntry
  /** Requests made so far. */
  attempts: number
  snapshot?: MembershipSnapshot
  step?: PlanStep
  error?: ItemError
  written?: boolean
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
  const items: Item[] = batch.items.map(entry => ({ entry, attempts: 0 }))

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
    ...(request.pacing !== undefined && { pacing: request.pacing }),
    signal: run.signal,
  })
  const { session, admin } = connection
  await session.assertScopes('read')

  /** Per-membership sentences say "this membership": the line already names it. */
  const failWith = (item: Item, error: unknown, attempts: number): void => {
    const mapped = connection.explain(error, 'this membership', spaceOf(item), attempts)
    if (mapped.exitCode === EXIT.AUTH) {
      fatal ??= mapped
      run.abort()
    }
    item.error = itemErrorOf(mapped, error)
  }
  const progress = createProgress(reporter, globals.json)

  // 1. Read every membership: its current role, and the canonical name behind an email alias.
  await runBulk(
    items,
    async item => {
      const result = await connection.send({ space: spaceOf(item), kind: 'read' }, api =>
        api.getMembership(item.entry.ref.name, admin),
      )
      item.attempts += result.attempts
      if (result.outcome.ok) item.snapshot = result.outcome.value
      else failWith(item, result.outcome.error, result.attempts)
      progress.tick('reading')
      return item
    },
    { concurrency: request.concurrency, signal: run.signal, notStarted: item => item },
  )
  progress.done()

  const readable = collapseAliases(items, reporter)
  // 2. Plan: unchanged, update, or refuse; then keep every space with an owner.
  for (const item of readable) {
    if (item.snapshot !== undefined) {
      item.step = planMembership(item.snapshot, request.target, { onlyRaise: request.onlyRaise })
    }
  }
  // After an auth failure nothing more is sent, not even the owner count.
  if (!run.signal.aborted) await guardOwners(readable, connection, reporter)

  const updates = readable.filter(item => item.step?.action === 'update' && item.error === undefined)
  if (!request.dryRun && needsConfirmation && interactive && updates.length > 0 && !run.signal.aborted) {
    showPlan(updates, request.target, reporter)
    const granted = await confirm(`Apply ${updates.length} change${updates.length === 1 ? '' : 's'}? [y/N] `, io)
    if (!granted) {
      reporter.info('Cancelled: nothing was changed.')
      return EXIT.INTERRUPTED
    }
  }

  // 3. Write: every change but owner demotions first, so a space gains its new owner before losing an old one.
  if (!request.dryRun && updates.length > 0 && !run.signal.aborted) {
    await session.assertScopes('write')
    const write = async (item: Item): Promise<Item> => {
      const name = item.snapshot?.name ?? item.entry.ref.name
      const result = await connection.send({ space: spaceOf(item), kind: 'write' }, api =>
        api.patchRole(name, request.target, admin),
      )
      item.attempts += result.attempts
      if (!result.outcome.ok) failWith(item, result.outcome.error, result.attempts)
      else if (result.outcome.value.role !== request.target) {
        item.error = {
          code: 'UNEXPECTED_ROLE',
          message: `Google Chat answered with ${describeRole(result.outcome.value.role)} instead of ${describeRole(request.target)}`,
          hint: `check it with chat-role show ${name}`,
        }
      } else item.written = true
      progress.tick('writing')
      return item
    }
    const options = { concurrency: request.concurrency, signal: run.signal, notStarted: (item: Item) => item }
    await runBulk(
      updates.filter(item => item.step !== undefined && !demotesOwner(item.step)),
      write,
      options,
    )
    await runBulk(
      updates.filter(item => item.step !== undefined && demotesOwner(item.step)),
      write,
      options,
    )
    progress.done()
  }
  io.signal.removeEventListener('abort', stop)

  const interrupted = io.signal.aborted
  const results = readable.map(item => resultOf(item, request, interrupted || fatal !== undefined))
  const elapsedMs = Date.now() - started
  const runInfo = { dryRun: request.dryRun, target: request.target, elapsedMs, interrupted, error: fatal }
  if (reporter.json) reporter.document(renderRunDocument(results, runInfo))
  else for (const result of results) reporter.line(renderResultLine(result, reporter.style))
  reporter.info(renderSummary(results, runInfo, reporter.errStyle))
  if (fatal !== undefined) {
    reporter.error(fatal)
    return fatal.exitCode
  }
  if (interrupted) return EXIT.INTERRUPTED
  return results.some(result => result.status === 'failed') ? EXIT.FAILURE : EXIT.OK
}

function spaceOf(item: Item): string {
  return `spaces/${item.entry.ref.space}`
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

/** Counts the owners of each space the plan would take an owner from, and refuses what would leave none. */
async function guardOwners(items: Item[], connection: Connection, reporter: Reporter): Promise<void> {
  const spaces = [...new Set(items.filter(item => item.step !== undefined && demotesOwner(item.step)).map(spaceOf))]
  if (spaces.length === 0) return
  const owners = new Map<string, number>()
  for (const space of spaces) {
    const count = await countOwners(space, connection)
    if (count === undefined) {
      reporter.warn(`could not count the owners of ${space}; Google Chat still refuses to demote a last owner`)
      owners.set(space, Number.POSITIVE_INFINITY)
    } else owners.set(space, count)
  }
  const planned = items.flatMap(item =>
    item.step === undefined ? [] : [{ space: spaceOf(item), step: item.step, item }],
  )
  for (const guarded of guardLastOwners(planned, owners)) guarded.item.step = guarded.step
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

function showPlan(updates: readonly Item[], target: Role, reporter: Reporter): void {
  const shown = 20
  reporter.info(
    `About to give ${updates.length} membership${updates.length === 1 ? '' : 's'} the role ${describeRole(target)}:`,
  )
  for (const item of updates.slice(0, shown)) {
    const from = item.step?.action === 'update' ? item.step.from : undefined
    const who = item.snapshot?.email ?? item.snapshot?.displayName
    reporter.info(
      `  ${item.snapshot?.name ?? item.entry.ref.name}${who === undefined ? '' : ` (${who})`}: ${describeRole(from)} -> ${describeRole(target)}`,
    )
  }
  if (updates.length > shown) reporter.info(`  … and ${updates.length - shown} more`)
  if (target === 'ROLE_MANAGER') reporter.warn('owners can delete the space and make or remove owners')
}

function resultOf(item: Item, request: RoleChangeRequest, cutShort: boolean): ItemResult {
  const { snapshot, step } = item
  const base = {
    input: { text: item.entry.entry.text, source: item.entry.entry.source, line: item.entry.entry.line },
    name: snapshot?.name ?? item.entry.ref.name,
    space: spaceOf(item),
    ...(snapshot?.email !== undefined
      ? { email: snapshot.email }
      : item.entry.ref.kind === 'email' && { email: item.entry.ref.member }),
    ...(snapshot?.displayName !== undefined && { displayName: snapshot.displayName }),
    ...(snapshot?.role !== undefined && { from: snapshot.role }),
    to: request.target,
    attempts: item.attempts,
    at: new Date().toISOString(),
  }
  if (item.error !== undefined) return { ...base, status: 'failed', error: item.error }
  if (step === undefined) {
    return {
      ...base,
      status: 'skipped',
      error: { code: 'NOT_STARTED', message: cutShort ? 'not read: the run stopped first' : 'not read' },
    }
  }
  switch (step.action) {
    case 'refuse':
      return {
        ...base,
        status: 'failed',
        error: { code: step.code, message: step.message, ...(step.hint !== undefined && { hint: step.hint }) },
      }
    case 'unchanged':
      return { ...base, status: 'unchanged' }
    case 'keep':
      return { ...base, status: 'skipped', error: { code: 'ALREADY_HIGHER', message: step.message, hint: step.hint } }
    case 'update':
      if (request.dryRun) return { ...base, status: 'planned' }
      if (item.written === true) return { ...base, status: 'updated' }
      return {
        ...base,
        status: 'skipped',
        error: { code: 'NOT_STARTED', message: 'not changed: the run stopped first' },
      }
  }
}

interface Progress {
  tick(phase: 'reading' | 'writing'): void
  done(): void
}

/** A counter that rewrites one stderr line, only on a terminal and never in JSON mode. */
function createProgress(reporter: Reporter, json: boolean): Progress {
  if (!reporter.stderrIsTty || json) return { tick: () => undefined, done: () => undefined }
  let count = 0
  let last = 0
  let shown = false
  return {
    tick(phase) {
      count += 1
      const now = Date.now()
      if (now - last < 100) return
      last = now
      shown = true
      reporter.progress(`\r${reporter.errStyle.dim(`${phase} ${count}…`)}\u001b[K`)
    },
    done() {
      if (shown) reporter.progress('\r\u001b[K')
      count = 0
      shown = false
    },
  }
}
