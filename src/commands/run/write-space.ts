// Writes the planned changes of one space, phase by phase (core/space-order.ts): owner grants, other changes,
// owner demotions, then whatever lowers the caller's own role. Before the demotions, the last-owner guard is
// asked again with the grants that really landed, so a failed grant never leads to an ownerless space.
// A write that got no answer may have happened: the membership is read back, and what is true is reported.
import { guardLastOwners } from '../../core/plan.js'
import type { ScheduledOutcome } from '../../core/scheduler.js'
import { orderChanges } from '../../core/space-order.js'
import { describeRole } from '../../core/role.js'
import type { Connection } from '../connect.js'
import { nameOf, type RunItem } from './items.js'

export interface SpaceWriteContext {
  readonly connection: Connection
  readonly fail: (item: RunItem, error: unknown, attempts: number) => void
  /** The caller as `users/ID`, when known: their own role is lowered last. */
  readonly caller: string | undefined
  /** Told as each membership settles. */
  readonly settle: (item: RunItem) => void
  /**
   * Told just before a write goes out: the journal's `sending` line. The write waits for what it returns
   * (the line on disk); a throw or a rejection keeps it from being sent.
   */
  readonly sending: (item: RunItem) => Promise<void> | undefined
}

export async function writeSpace(items: readonly RunItem[], owners: number, context: SpaceWriteContext): Promise<void> {
  const changes = items.flatMap(item =>
    item.step?.action === 'update' && item.error === undefined
      ? [{ item, from: item.step.from, to: item.step.to, isCaller: isCaller(item, context.caller) }]
      : [],
  )
  let ownersNow = owners
  for (const group of orderChanges(changes)) {
    if (context.connection.scheduler.stopped) return
    if (group.phase === 'demote-owner' || group.phase === 'lower-caller') refuseEmptying(group.changes, ownersNow)
    const settled = await Promise.all(
      group.changes
        .filter(change => change.item.step?.action === 'update')
        .map(change => writeOne(change.item, context)),
    )
    for (const item of settled) {
      if (item.written !== true || item.step?.action !== 'update') continue
      if (item.step.to === 'ROLE_MANAGER' && item.step.from !== 'ROLE_MANAGER') ownersNow += 1
      if (item.step.from === 'ROLE_MANAGER' && item.step.to !== 'ROLE_MANAGER') ownersNow -= 1
    }
  }
}

/** The guard again, with the owners the space has now: a grant that failed does not count. */
function refuseEmptying(changes: readonly { item: RunItem }[], owners: number): void {
  const space = changes[0]?.item.space
  if (space === undefined) return
  const planned = changes.flatMap(({ item }) => (item.step === undefined ? [] : [{ space, step: item.step, item }]))
  for (const guarded of guardLastOwners(planned, new Map([[space, owners]]))) {
    if (guarded.step.action === 'refuse' && guarded.item.step?.action === 'update') {
      guarded.item.step = {
        ...guarded.step,
        message: `${guarded.step.message} (an owner grant of this run did not land)`,
      }
      guarded.item.settledAt = new Date()
    }
  }
}

function isCaller(item: RunItem, caller: string | undefined): boolean {
  return caller !== undefined && item.snapshot?.member === caller
}

async function writeOne(item: RunItem, context: SpaceWriteContext): Promise<RunItem> {
  const { connection } = context
  const name = nameOf(item)
  let announced = false
  let onRecord: Promise<void> | undefined
  const result = await connection.send({ space: item.space, kind: 'write', label: name }, api => {
    if (!announced) onRecord = context.sending(item)
    announced = true
    // Every attempt waits for the announcement on disk: one the disk could not keep sends nothing.
    return onRecord === undefined
      ? api.patchRole(name, item.target, connection.admin)
      : onRecord.then(() => api.patchRole(name, item.target, connection.admin))
  })
  item.attempts += result.attempts
  if (result.outcome.ok) {
    if (result.outcome.value.role === item.target) item.written = true
    else {
      item.error = {
        code: 'UNEXPECTED_ROLE',
        message: `Google Chat answered with ${describeRole(result.outcome.value.role)} instead of ${describeRole(item.target)}`,
        hint: `check it with chat-role show ${name}`,
      }
    }
  } else if (result.outcome.reason === 'stopped') {
    item.notDone =
      result.attempts === 0
        ? { code: 'NOT_SENT', message: 'not changed: the run stopped before it was sent' }
        : mayHaveHappened(result.outcome)
          ? UNKNOWN_AT_STOP
          : { code: 'NOT_SENT', message: 'not changed: the run stopped before it was tried again' }
  } else if (mayHaveHappened(result.outcome)) {
    await readBack(item, result.outcome.error, result.attempts, context)
  } else context.fail(item, result.outcome.error, result.attempts)
  item.settledAt = new Date()
  context.settle(item)
  return item
}

/** No answer, a timeout or a 5xx: the server may have applied the write before the answer was lost. */
function mayHaveHappened(outcome: ScheduledOutcome<unknown> & { ok: false }): boolean {
  const status = outcome.failure?.status
  return status === undefined || status >= 500
}

const READ_BACK_ATTEMPTS = 4

/** Not a failure: the run stopped while a write's outcome was unknown; a resume reads it and finishes it. */
const UNKNOWN_AT_STOP = {
  code: 'UNKNOWN_OUTCOME',
  message: 'sent, but the run stopped before its answer could be checked; --resume reads it and finishes it',
}

async function readBack(
  item: RunItem,
  writeError: unknown,
  writeAttempts: number,
  context: SpaceWriteContext,
): Promise<void> {
  const { connection } = context
  const name = nameOf(item)
  // The truth matters more than --max-attempts here: a few tries, whatever it says.
  const read = await connection.send(
    { space: item.space, kind: 'read', label: name },
    api => api.getMembership(name, connection.admin),
    { minAttempts: READ_BACK_ATTEMPTS },
  )
  item.attempts += read.attempts
  if (read.outcome.ok) {
    if (read.outcome.value.role === item.target) {
      item.written = true
      item.confirmedByReading = true
    } else context.fail(item, writeError, writeAttempts)
    return
  }
  if (read.outcome.reason === 'stopped') {
    item.notDone = UNKNOWN_AT_STOP
    return
  }
  item.error = {
    code: 'UNKNOWN_OUTCOME',
    message: 'the change was sent but no answer came, and reading it back failed too: it may have been applied',
    hint: `check it with chat-role show ${name}`,
  }
}
