// A membership as a role run carries it from read to result, and the result it settles into.
import type { ResolvedEntry } from '../../core/batch-input.js'
import type { Expectation, MembershipSnapshot, PlanStep } from '../../core/plan.js'
import type { ItemError, ItemResult } from '../../core/result.js'
import type { Role } from '../../core/role.js'

export interface RunItem {
  readonly entry: ResolvedEntry
  /** The role this membership is to have. */
  readonly target: Role
  /** What it must hold now to be changed (a saved plan's observed role, an undo's left role). */
  readonly expect?: Expectation
  /** `spaces/S` */
  readonly space: string
  /** Requests made for it so far, reads and writes, retries included. */
  attempts: number
  snapshot?: MembershipSnapshot
  step?: PlanStep
  error?: ItemError
  written?: boolean
  /** The write got no answer, and a read afterwards showed it had been applied. */
  confirmedByReading?: boolean
  /** Why it was not done, when the run stopped first. */
  notDone?: ItemError
  /** When its outcome was known. */
  settledAt?: Date
}

export function newRunItem(entry: ResolvedEntry, target: Role, expect?: Expectation): RunItem {
  return { entry, target, ...(expect !== undefined && { expect }), space: `spaces/${entry.ref.space}`, attempts: 0 }
}

/** The canonical name once read, else the name as given. */
export function nameOf(item: RunItem): string {
  return item.snapshot?.name ?? item.entry.ref.name
}

export function resultOf(item: RunItem, dryRun: boolean): ItemResult {
  const { snapshot, step } = item
  const base = {
    input: { text: item.entry.entry.text, source: item.entry.entry.source, line: item.entry.entry.line },
    name: nameOf(item),
    space: item.space,
    ...(snapshot?.email !== undefined
      ? { email: snapshot.email }
      : item.entry.ref.kind === 'email' && { email: item.entry.ref.member }),
    ...(snapshot?.displayName !== undefined && { displayName: snapshot.displayName }),
    ...(snapshot?.role !== undefined && { from: snapshot.role }),
    to: item.target,
    attempts: item.attempts,
    at: (item.settledAt ?? new Date()).toISOString(),
  }
  if (item.error !== undefined) return { ...base, status: 'failed', error: item.error }
  if (step === undefined) {
    return {
      ...base,
      status: 'skipped',
      error: item.notDone ?? { code: 'NOT_STARTED', message: 'not read: the run stopped first' },
    }
  }
  switch (step.action) {
    case 'refuse':
      return {
        ...base,
        status: step.code === 'STALE' ? 'stale' : step.code === 'CONFLICT' ? 'conflict' : 'failed',
        error: { code: step.code, message: step.message, ...(step.hint !== undefined && { hint: step.hint }) },
      }
    case 'unchanged':
      return { ...base, status: 'unchanged' }
    case 'keep':
      return { ...base, status: 'kept', error: { code: 'ALREADY_HIGHER', message: step.message, hint: step.hint } }
    case 'update':
      if (dryRun) return { ...base, status: 'planned' }
      if (item.written === true) {
        return { ...base, status: 'updated', ...(item.confirmedByReading === true && { confirmedByReading: true }) }
      }
      return {
        ...base,
        status: 'skipped',
        error: item.notDone ?? { code: 'NOT_STARTED', message: 'not changed: the run stopped first' },
      }
  }
}
