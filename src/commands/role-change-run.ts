// The role-change run behind promote, demote, set, undo and apply: validate the whole input, then for each
// space, on its own: read, plan, guard the owners, and (once confirmed) write in the safe order. Spaces do not
// wait for each other; the scheduler decides what goes out next. Every mutating run keeps a journal, and a
// stop (a signal, a closed pipe) lets what is in flight settle, records everything, and says how to resume.
// Loaded only when a role command runs, so --help never pays for the Google libraries.
import type { ItemError, ItemResult } from '../core/result.js'
import { summarize } from '../core/result.js'
import { planMembership, judgeExpectation } from '../core/plan.js'
import { ChatRoleError, EXIT, exitCodeOfStop, type ExitCode } from '../errors.js'
import { renderRunDocument, renderResultLine, renderSummary } from '../output/render-results.js'
import type { App } from './context.js'
import { confirm, canPrompt } from './prompt.js'
import { resumeCommand, runInfoOf, savePlan, stopReasonOf } from './run/ending.js'
import {
  checkOptions,
  entriesOf,
  gatherInput,
  missingRole,
  readResumedJournal,
  refusedResult,
  resultOfJournal,
  withTargets,
} from './run/input.js'
import { newRunItem, resultOf, type RunItem } from './run/items.js'
import { createRunProgress } from './run/progress.js'
import { readSpace } from './run/read-space.js'
import { openRunRecord } from './run/record.js'
import type { RoleChangeRequest } from './run/request.js'
import { collapseAliases, groupBySpace, guardOwners, showPlan } from './run/space-plan.js'
import { writeSpace } from './run/write-space.js'

export type {
  BatchInput,
  DiscoveredInput,
  Discovery,
  PlannedChange,
  PlannedInput,
  RoleChangeRequest,
} from './run/request.js'

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

function itemErrorOf(mapped: ChatRoleError, cause: unknown): ItemError {
  const status = (cause as { response?: { status?: unknown } } | undefined)?.response?.status
  return {
    code: mapped.code,
    message: mapped.message,
    ...(mapped.hint !== undefined && { hint: mapped.hint }),
    ...(typeof status === 'number' && { httpStatus: status }),
  }
}
