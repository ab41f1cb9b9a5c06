// The role-change run behind promote, demote, set, undo and apply: validate the whole input, then for each
// space, on its own: read, plan, guard the owners, and (once confirmed) write in the safe order. Spaces do not
// wait for each other; the scheduler decides what goes out next. Every mutating run keeps a journal, and a
// stop (a signal, a closed pipe) lets what is in flight settle, records everything, and says how to resume.
// Loaded only when a role command runs, so --help never pays for the Google libraries.
import type { SessionRequest } from '../auth/session.js'
import { describeLocation, type ResolvedEntry } from '../core/batch-input.js'
import type { JournalItem, ParsedJournal, StopReason } from '../core/journal.js'
import { parseMembershipRef } from '../core/membership-name.js'
import { demotesOwner, guardLastOwners, judgeExpectation, planMembership, type Expectation } from '../core/plan.js'
import { summarize, type ItemError, type ItemResult } from '../core/result.js'
import { describeRole, type Role } from '../core/role.js'
import { formatDuration } from '../core/progress-figures.js'
import { DOCUMENTED_RATES, expectedWriteSeconds } from '../core/scheduler.js'
import { ChatRoleError, EXIT, exitCodeOfStop, type ExitCode } from '../errors.js'
import { readJournal, writePlanFile } from '../output/journal-file.js'
import { renderRunDocument, renderResultLine, renderSummary } from '../output/render-results.js'
import type { Reporter } from '../output/reporter.js'
import type { Connection } from './connect.js'
import type { App } from './context.js'
import { confirm, canPrompt } from './prompt.js'
import { readBatch } from './read-input.js'
import { newRunItem, nameOf, resultOf, type RunItem } from './run/items.js'
import { createRunProgress } from './run/progress.js'
import { readSpace } from './run/read-space.js'
import { openRunRecord } from './run/record.js'
import { writeSpace } from './run/write-space.js'

/** Names as a user gives them: arguments, --file and stdin, all for one role. */
export interface BatchInput {
  readonly kind: 'batch'
  readonly names: readonly string[]
  readonly files: readonly string[]
  readonly space?: string
}

/** One change per membership, each with its own role: an undo, a saved plan. */
export interface PlannedChange {
  readonly name: string
  readonly target: Role
  readonly expect?: Expectation
}

export interface PlannedInput {
  readonly kind: 'planned'
  /** The file the changes come from, for result lines. */
  readonly source: string
  readonly changes: readonly PlannedChange[]
  /** Memberships the source names that cannot be changed, reported as failed without a request. */
  readonly refused?: readonly ItemResult[]
  /** The run must act as this caller and access (a saved plan's). */
  readonly expectAdmin?: boolean
}

/**
 * Changes found by reading first (every manager of a space, a person everywhere, a handover, ownerless
 * spaces): run once the session is open, through the same scheduler as the run's own requests.
 */
export interface DiscoveredInput {
  readonly kind: 'discover'
  /** Where the changes come from, for result lines ("discovery" or a space name). */
  readonly source: string
  readonly discover: (connection: Connection, reporter: Reporter, caller: string | undefined) => Promise<Discovery>
}

export interface Discovery {
  readonly changes: readonly PlannedChange[]
  /** Found but not to be changed, and why: reported as failed lines, sent nothing (e.g. no candidate). */
  readonly refused?: readonly {
    readonly name: string
    readonly code: string
    readonly message: string
    readonly hint?: string
  }[]
}

export interface RoleChangeRequest {
  /** promote, demote, set, undo or apply: the journal says which. */
  readonly command: string
  /** The one role asked for; undefined when each membership has its own. */
  readonly target?: Role
  /** The user typed ROLE_*; a reminder of the UI names is printed for ROLE_MANAGER. */
  readonly roleWasRaw: boolean
  readonly input: BatchInput | PlannedInput | DiscoveredInput
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
  /** --journal FILE. */
  readonly journal?: string
  /** --resume JOURNAL: carry on that run. */
  readonly resume?: string
  /** --plan FILE (with --dry-run): save the plan for `chat-role apply`. */
  readonly planFile?: string
  /** --progress: a plain status line every few seconds where there is no terminal. */
  readonly progress?: boolean
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
  const plainReporter = await app.reporter()
  const started = Date.now()
  checkOptions(request)

  // 1. The whole input, validated before anything is sent.
  const resumed = request.resume === undefined ? undefined : readResumedJournal(request.resume)
  const gathered = await gatherInput(request, resumed, app, plainReporter)
  const { expectations, emptySources } = gathered
  let entries = gathered.entries
  // What discovery finds is not known yet: it is a bulk change until it says otherwise.
  const discovering = request.input.kind === 'discover'
  const needsConfirmation =
    !request.dryRun && !request.yes && (discovering || entries.length > 1 || request.target === 'ROLE_MANAGER')
  const interactive = canPrompt(io, globals)
  if (needsConfirmation && !interactive && (entries.length > 0 || discovering)) {
    const why = globals.json ? 'with --json' : !globals.input ? 'with --no-input' : 'when not run at a terminal'
    throw new ChatRoleError(
      'CONFIRMATION_REQUIRED',
      `${discovering ? 'changing the memberships it finds' : entries.length > 1 ? `changing ${entries.length} memberships` : 'granting owner'} needs --yes ${why}; nothing was sent`,
      { hint: 'add --yes (or --dry-run to see the plan first)' },
    )
  }
  if (request.roleWasRaw && request.target === 'ROLE_MANAGER') {
    plainReporter.warn(
      'ROLE_MANAGER is the role the Chat UI calls Owner; for the UI\'s Manager use "manager" (ROLE_ASSISTANT_MANAGER)',
    )
  }

  if (entries.length === 0 && !discovering) {
    plainReporter.info(
      `Nothing to do: ${emptySources.length > 0 ? `${emptySources.join(', ')} had no memberships` : 'no memberships given'}.`,
    )
    if (plainReporter.json) plainReporter.document(renderRunDocument([], runInfoOf(request, started, false, undefined)))
    return EXIT.OK
  }

  // Auth failures end the run: every later request would fail the same way.
  const run = new AbortController()
  const stop = (): void => {
    run.abort(io.signal.reason)
  }
  io.signal.addEventListener('abort', stop, { once: true })
  let fatal: ChatRoleError | undefined

  const { connect } = await import('./connect.js')
  const progress = createRunProgress(plainReporter, io, { requested: request.progress === true })
  const reporter = progress.reporter
  const connection = await connect(request.session, io, reporter, {
    maxAttempts: request.maxAttempts,
    ...(request.concurrency !== undefined && { maxInFlight: request.concurrency }),
    ...(request.maxRate !== undefined && { maxWritesPerMinute: request.maxRate }),
    signal: run.signal,
    onEvent: event => {
      progress.update(connection.scheduler.stats(), event.type === 'sent' && event.request.kind === 'write')
    },
  })
  const { session } = connection
  await session.assertScopes('read')
  if (!request.dryRun) await session.assertScopes('write')
  // Who the caller is, so that their own role is lowered last: one tokeninfo call, not a Chat request.
  const caller = await session.callerUser()
  reporter.debug(caller === undefined ? 'the caller has no Chat user id' : `the caller is ${caller}`)

  const refusedByDiscovery: ItemResult[] = []
  if (request.input.kind === 'discover') {
    const found = await request.input.discover(connection, reporter, caller)
    for (const change of found.changes) if (change.expect !== undefined) expectations.set(change.name, change.expect)
    entries = withTargets(
      entriesOf(
        found.changes.map(change => change.name),
        request.input.source,
      ),
      found.changes,
    )
    for (const refused of found.refused ?? []) {
      refusedByDiscovery.push(refusedResult(refused, request.input.source, request.target))
    }
  }

  // A resumed run carries on with what its journal does not record as done.
  const fromJournal: ItemResult[] = []
  let todo = entries
  if (resumed !== undefined) {
    const { planResume } = await import('../core/resume.js')
    const identity = {
      command: request.command,
      ...(request.target !== undefined && { target: request.target }),
      caller: { account: session.account, ...(caller !== undefined && { user: caller }) },
      admin: request.session.admin,
    }
    const plan = planResume(resumed.journal, identity, resumed.journal.header.inputs ?? [], resumed.path)
    const pending = new Set(plan.todo)
    todo = entries.filter(entry => pending.has(entry.ref.name))
    for (const done of plan.done.values()) fromJournal.push(resultOfJournal(done, resumed.path))
    reporter.info(`Resuming ${resumed.path}: ${plan.done.size} done before, ${todo.length} to finish.`)
  }
  // A role given on the command line wins; a CSV's role column serves `set` without one.
  const items: Item[] = todo.map(entry =>
    newRunItem(entry, request.target ?? entry.entry.role ?? missingRole(), expectations.get(entry.ref.name)),
  )

  for (const result of refusedByDiscovery) if (!reporter.json) reporter.line(renderResultLine(result, reporter.style))
  if (items.length === 0 && fromJournal.length === 0) {
    reporter.info(refusedByDiscovery.length > 0 ? 'Nothing to change.' : 'Nothing to do: no memberships left.')
    if (refusedByDiscovery.length > 0) {
      const info = runInfoOf(request, started, false, undefined)
      if (reporter.json) reporter.document(renderRunDocument(refusedByDiscovery, info))
      reporter.info(renderSummary(refusedByDiscovery, info, reporter.errStyle))
      return EXIT.FAILURE
    }
    if (reporter.json) reporter.document(renderRunDocument([], runInfoOf(request, started, false, undefined)))
    return EXIT.OK
  }

  const record = request.dryRun
    ? undefined
    : openRunRecord(
        {
          command: request.command,
          ...(request.target !== undefined && { target: request.target }),
          admin: request.session.admin,
          account: session.account,
          caller,
          inputs: entries.map(entry => entry.ref.name),
          ...(request.journal !== undefined && { path: request.journal }),
          ...(resumed !== undefined && { resume: { path: resumed.path, runId: resumed.journal.header.runId } }),
        },
        io,
        reporter,
      )
  if (record !== undefined) reporter.info(`journal: ${record.path}`)

  /** Per-membership sentences say "this membership": the line already names it. */
  const fail = (item: Item, error: unknown, attempts: number): void => {
    const mapped = connection.explain(error, 'this membership', item.space, attempts)
    if (mapped.exitCode === EXIT.AUTH) {
      fatal ??= mapped
      run.abort('error')
    }
    item.error = itemErrorOf(mapped, error)
    item.settledAt = new Date()
  }

  // Live results: each line as its membership settles, once writing may start (the plan is shown first).
  const gate = createGate()
  const waitingForAnswer = needsConfirmation && interactive
  const held: Item[] = []
  const emitted = new Set<Item>()
  let printing = !waitingForAnswer
  const emit = (item: Item): void => {
    if (emitted.has(item)) return
    emitted.add(item)
    item.settledAt ??= new Date()
    const result = resultOf(item, request.dryRun)
    record?.settled(result)
    progress.settled(connection.scheduler.stats())
    if (!reporter.json) reporter.line(renderResultLine(result, reporter.style))
  }
  const settle = (item: Item): void => {
    if (printing) emit(item)
    else held.push(item)
  }
  if (!waitingForAnswer) gate.open(!request.dryRun)
  progress.start(items.length)
  for (const result of fromJournal) if (!reporter.json) reporter.line(renderResultLine(result, reporter.style))

  /** Every item but the aliases of another, once its space was read. */
  const kept = new Set<Item>()
  const planned: Promise<void>[] = []
  const pipelines = [...groupBySpace(items)].map(async ([space, spaceItems]) => {
    let donePlanning: () => void = () => undefined
    planned.push(
      new Promise(resolve => {
        donePlanning = resolve
      }),
    )
    try {
      const read = await readSpace(space, spaceItems, { connection, fail })
      const readable = collapseAliases(spaceItems, reporter)
      for (const item of readable) kept.add(item)
      for (const item of readable) {
        if (item.snapshot === undefined || item.error !== undefined) continue
        const moved = item.expect === undefined ? undefined : judgeExpectation(item.snapshot, item.target, item.expect)
        item.step = moved ?? planMembership(item.snapshot, item.target, { onlyRaise: request.onlyRaise })
      }
      const owners = run.signal.aborted
        ? undefined
        : await guardOwners(space, readable, read.owners, connection, reporter)
      for (const item of readable) {
        if (item.step !== undefined && (item.step.action !== 'update' || request.dryRun)) settle(item)
        else if (item.error !== undefined) settle(item)
      }
      donePlanning()
      if (!(await gate.opened) || run.signal.aborted) return
      await writeSpace(readable, owners ?? Number.POSITIVE_INFINITY, {
        connection,
        fail,
        caller,
        settle,
        sending: item => record?.sending(item),
      })
    } finally {
      donePlanning()
    }
  })

  let declined = false
  if (waitingForAnswer) {
    await Promise.all(planned)
    progress.pause()
    const updates = [...kept].filter(item => item.step?.action === 'update' && item.error === undefined)
    let answer = false
    if (updates.length > 0 && !run.signal.aborted) {
      showPlan(updates, reporter)
      answer = await confirm(`Apply ${updates.length} change${updates.length === 1 ? '' : 's'}? [y/N] `, io)
    }
    declined = !answer && updates.length > 0
    printing = true
    for (const item of held.splice(0)) emit(item)
    gate.open(answer)
  }
  await Promise.all(pipelines)
  io.signal.removeEventListener('abort', stop)
  progress.stop()

  if (declined) {
    record?.end(summarize([...fromJournal, ...items.map(item => resultOf(item, false))]), EXIT.INTERRUPTED, undefined)
    reporter.info('Cancelled: nothing was changed.')
    return EXIT.INTERRUPTED
  }

  const stoppedBy = stopReasonOf(io.signal)
  const unreachable = connection.scheduler.unreachable
  if (unreachable !== undefined && fatal === undefined) {
    const mapped = connection.explain(unreachable, 'Google Chat', 'spaces', 0)
    fatal = new ChatRoleError(
      'NETWORK',
      `cannot reach Google Chat; stopped after ${connection.scheduler.stats().sent} requests got no answer (${mapped.message})`,
      { hint: 'check the network (and HTTPS_PROXY/NO_PROXY, or CHAT_EMULATOR_HOST), then run the command again' },
    )
  }
  const stoppedBecause: ItemError | undefined =
    unreachable !== undefined
      ? { code: 'NOT_SENT', message: 'not done: Google Chat could not be reached' }
      : fatal !== undefined
        ? { code: 'NOT_SENT', message: 'not done: the run stopped at a sign-in error' }
        : stoppedBy !== undefined
          ? { code: 'NOT_SENT', message: `not done: the run was stopped (${stoppedBy}) first` }
          : undefined
  // Memberships that never settled (the run stopped first) are recorded and printed last.
  for (const item of items) {
    if (!kept.has(item) && item.snapshot !== undefined) continue // an alias of another, warned about
    if (emitted.has(item)) continue
    if (stoppedBecause !== undefined && item.written !== true && item.error === undefined)
      item.notDone ??= stoppedBecause
    emit(item)
  }
  const results: ItemResult[] = [
    ...fromJournal,
    ...refusedByDiscovery,
    ...items.filter(item => emitted.has(item)).map(item => resultOf(item, request.dryRun)),
  ]

  if (request.dryRun && request.planFile !== undefined) {
    await savePlan(request, [...kept], session.account, caller, reporter)
  }
  const interrupted = io.signal.aborted
  const exit: ExitCode =
    fatal?.exitCode ??
    (interrupted
      ? exitCodeOfStop(io.signal.reason)
      : results.some(result => ['failed', 'stale', 'conflict'].includes(result.status))
        ? EXIT.FAILURE
        : EXIT.OK)
  record?.end(summarize(results), exit, stoppedBy ?? (fatal === undefined ? undefined : 'error'))
  const runInfo = runInfoOf(request, started, interrupted, fatal, record?.path)
  if (reporter.json) reporter.document(renderRunDocument(results, runInfo))
  reporter.info(renderSummary(results, runInfo, reporter.errStyle))
  if (record !== undefined) {
    reporter.info(`journal: ${record.path}`)
    if (interrupted || fatal !== undefined) {
      reporter.info(`resume with: ${resumeCommand(request, record.path, io.argv ?? [])}`)
    }
  }
  if (fatal !== undefined) reporter.error(fatal)
  return exit
}

function checkOptions(request: RoleChangeRequest): void {
  if (request.planFile !== undefined && !request.dryRun) {
    throw new ChatRoleError('USAGE', '--plan saves what a dry run would change, so it needs --dry-run', {
      hint: `run chat-role ${request.command} --dry-run --plan ${request.planFile} …, then chat-role apply ${request.planFile}`,
    })
  }
  if (request.resume !== undefined) {
    if (request.input.kind === 'batch' && (request.input.names.length > 0 || request.input.files.length > 0)) {
      throw new ChatRoleError('USAGE', '--resume carries on with the memberships its journal names: give no others', {
        hint: `run chat-role ${request.command} --resume ${request.resume} --yes`,
      })
    }
    if (request.dryRun) {
      throw new ChatRoleError('USAGE', '--resume cannot be a dry run', { hint: 'leave out --dry-run' })
    }
    if (request.journal !== undefined) {
      throw new ChatRoleError('USAGE', '--resume carries on in the journal it names: give no --journal', {
        hint: 'leave out --journal',
      })
    }
  }
}

interface GatheredInput {
  readonly entries: ResolvedEntry[]
  readonly expectations: Map<string, Expectation>
  readonly emptySources: readonly string[]
}

async function gatherInput(
  request: RoleChangeRequest,
  resumed: { journal: ParsedJournal; path: string } | undefined,
  app: App,
  reporter: Reporter,
): Promise<GatheredInput> {
  const expectations = new Map<string, Expectation>()
  if (resumed !== undefined) {
    const inputs = resumed.journal.header.inputs
    if (resumed.journal.header.target === undefined) {
      // Each membership had its own role (a CSV snapshot, a handover): the journal keeps names, not roles.
      throw new ChatRoleError(
        'USAGE',
        `${resumed.path} records a run that set a role per membership: --resume cannot carry it on`,
        {
          hint: `run the command again as it was: chat-role ${resumed.journal.header.argv.join(' ')} (what is done shows as unchanged)`,
        },
      )
    }
    if (inputs === undefined) {
      throw new ChatRoleError('INPUT', `${resumed.path} does not record the memberships of its run`, {
        hint: 'run the command again with its memberships: what is already done shows as unchanged',
      })
    }
    return { entries: entriesOf(inputs, resumed.path), expectations, emptySources: [] }
  }
  if (request.input.kind === 'planned') {
    for (const change of request.input.changes) {
      if (change.expect !== undefined) expectations.set(change.name, change.expect)
    }
    const { changes, source } = request.input
    const entries = withTargets(
      entriesOf(
        changes.map(change => change.name),
        source,
      ),
      changes,
    )
    return { entries, expectations, emptySources: [] }
  }
  if (request.input.kind === 'discover') return { entries: [], expectations, emptySources: [] }
  const batch = await readBatch(request.input, app.io)
  const { describeDuplicate } = await import('../core/batch-input.js')
  for (const duplicate of batch.duplicates) reporter.warn(describeDuplicate(duplicate))
  if (request.target === undefined && batch.items.some(entry => entry.entry.role === undefined)) {
    const missing = batch.items.find(entry => entry.entry.role === undefined) as ResolvedEntry
    throw new ChatRoleError(
      'INPUT',
      `${describeLocation(missing.entry)}: no role for ${missing.ref.name}; nothing was sent`,
      {
        hint: 'give a role (chat-role set manager …), or a CSV with a role column',
      },
    )
  }
  return { entries: batch.items, expectations, emptySources: batch.emptySources }
}

/** Each entry carries its own change's role. */
function withTargets(entries: readonly ResolvedEntry[], changes: readonly PlannedChange[]): ResolvedEntry[] {
  return entries.map((entry, index) => ({
    ...entry,
    entry: { ...entry.entry, role: (changes[index] as PlannedChange).target },
  }))
}

function refusedResult(
  refused: { readonly name: string; readonly code: string; readonly message: string; readonly hint?: string },
  source: string,
  target: Role | undefined,
): ItemResult {
  const space = /^spaces\/[^/]+/.exec(refused.name)?.[0] ?? refused.name
  return {
    input: { text: refused.name, source, line: 0 },
    name: refused.name,
    space,
    status: 'failed',
    to: target ?? 'ROLE_MANAGER',
    attempts: 0,
    error: { code: refused.code, message: refused.message, ...(refused.hint !== undefined && { hint: refused.hint }) },
    at: new Date().toISOString(),
  }
}

function entriesOf(names: readonly string[], source: string): ResolvedEntry[] {
  return names.map((name, index) => ({
    ref: parseMembershipRef(name),
    entry: { text: name, source, line: index + 1 },
  }))
}

function readResumedJournal(path: string): { journal: ParsedJournal; path: string } {
  return { journal: readJournal(path), path }
}

function missingRole(): never {
  throw new ChatRoleError('INTERNAL', 'a membership has no role to set')
}

function resultOfJournal(line: JournalItem, source: string): ItemResult {
  return {
    input: { text: line.name, source, line: 0 },
    name: line.name,
    space: line.space,
    ...(line.email !== undefined && { email: line.email }),
    ...(line.displayName !== undefined && { displayName: line.displayName }),
    status: line.status === 'updated' || line.status === 'kept' ? line.status : 'unchanged',
    ...(line.from !== undefined && { from: line.from }),
    to: line.to,
    attempts: 0,
    ...(line.error !== undefined && { error: line.error }),
    at: line.at,
  }
}

function stopReasonOf(signal: AbortSignal): StopReason | undefined {
  if (!signal.aborted) return undefined
  const reason: unknown = signal.reason
  return reason === 'SIGINT' || reason === 'SIGTERM' || reason === 'SIGHUP' ? reason : 'SIGINT'
}

/** The command that carries on a stopped run: the same command and credentials, its memberships from the journal. */
function resumeCommand(request: RoleChangeRequest, journal: string, argv: readonly string[]): string {
  const session = request.session
  const words = [
    'chat-role',
    request.command,
    ...(request.command === 'set' && request.target !== undefined ? [request.target] : []),
    ...(request.command === 'promote' && request.target === 'ROLE_MANAGER' ? ['--to', 'owner'] : []),
    '--resume',
    journal,
    '--yes',
    ...(session.admin ? ['--admin'] : []),
    ...(session.profile !== undefined ? ['--profile', session.profile] : []),
    ...(session.impersonate !== undefined ? ['--impersonate', session.impersonate] : []),
    ...(session.asApp ? ['--as-app'] : []),
  ]
  // Undo, apply and what discovery found are safe to run again as they were: what is done shows as unchanged.
  const again =
    request.input.kind !== 'batch' ||
    request.target === undefined ||
    request.command === 'undo' ||
    request.command === 'apply'
  return (again ? ['chat-role', ...argv] : words).map(shellWord).join(' ')
}

/** A word as a POSIX shell reads it back. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}

function runInfoOf(
  request: RoleChangeRequest,
  started: number,
  interrupted: boolean,
  error: ChatRoleError | undefined,
  journal?: string,
) {
  return {
    dryRun: request.dryRun,
    target: request.target,
    elapsedMs: Date.now() - started,
    interrupted,
    error,
    ...(journal !== undefined && { journal }),
  }
}

async function savePlan(
  request: RoleChangeRequest,
  items: readonly Item[],
  account: string,
  caller: string | undefined,
  reporter: Reporter,
): Promise<void> {
  const path = request.planFile as string
  const changes = items.flatMap(item =>
    item.step?.action === 'update' && item.error === undefined
      ? [
          {
            name: nameOf(item),
            space: item.space,
            ...(item.snapshot?.email !== undefined && { email: item.snapshot.email }),
            ...(item.snapshot?.displayName !== undefined && { displayName: item.snapshot.displayName }),
            from: item.step.from,
            to: item.target,
          },
        ]
      : [],
  )
  const { savedPlan } = await import('../core/saved-plan.js')
  writePlanFile(
    path,
    savedPlan({
      createdAt: new Date().toISOString(),
      command: request.command,
      ...(request.target !== undefined && { target: request.target }),
      caller: { account, ...(caller !== undefined && { user: caller }) },
      admin: request.session.admin,
      items: changes,
    }),
  )
  reporter.info(
    `Plan saved to ${path} (${changes.length} change${changes.length === 1 ? '' : 's'}): apply it with chat-role apply ${path}`,
  )
}

function groupBySpace(items: readonly Item[]): Map<string, Item[]> {
  const groups = new Map<string, Item[]>()
  for (const item of items) {
    const group = groups.get(item.space)
    if (group === undefined) groups.set(item.space, [item])
    else group.push(item)
  }
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
        `${describeLocation(item.entry.entry)}: ${item.entry.ref.name} is the same membership as ${first.entry.ref.name} (${describeLocation(first.entry.entry)}): ${canonical}; ignored`,
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
  const writesBySpace = new Map<string, number>()
  for (const item of updates) writesBySpace.set(item.space, (writesBySpace.get(item.space) ?? 0) + 1)
  const seconds = expectedWriteSeconds([...writesBySpace.values()], DOCUMENTED_RATES)
  if (seconds >= 5) {
    reporter.info(
      `At Google's documented quotas (300 writes a minute per project, 1 a second per space) this takes about ${formatDuration(seconds * 1000)}; chat-role goes faster where Google allows.`,
    )
  }
}
