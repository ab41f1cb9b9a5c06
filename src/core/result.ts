// The per-membership record of a run: what was asked, what was found, what was done. Plain data, so a
// journal can persist it line by line and a resumed or undone run can read it back.
import type { Role } from './role.js'

/**
 * updated: changed; unchanged: already so; kept: promote left a higher role as it was; planned: --dry-run
 * would change it; failed: refused or not possible (the error says why); skipped: not done, the run stopped;
 * stale: a saved plan saw another role than it holds now; conflict: undo found it changed since the run.
 */
export const ITEM_STATUSES = [
  'updated',
  'unchanged',
  'kept',
  'planned',
  'failed',
  'skipped',
  'stale',
  'conflict',
] as const
export type ItemStatus = (typeof ITEM_STATUSES)[number]

export interface ItemInput {
  /** The text as the user gave it. */
  readonly text: string
  /** 'argument', 'stdin' or a file path. */
  readonly source: string
  /** 1-based line (or argument position). */
  readonly line: number
}

export interface ItemError {
  /** A stable code (ChatRoleError codes, or LAST_OWNER, NOT_A_HUMAN, …). */
  readonly code: string
  readonly message: string
  readonly hint?: string
  /** The HTTP status of the API answer, when there was one. */
  readonly httpStatus?: number
}

export interface ItemResult {
  readonly input: ItemInput
  /** Canonical membership name (an email alias is resolved to it when the read succeeds). */
  readonly name: string
  /** `spaces/S` */
  readonly space: string
  readonly email?: string
  readonly displayName?: string
  readonly status: ItemStatus
  /** The API role before the change, when it was read. */
  readonly from?: string
  /** The API role asked for. */
  readonly to: Role
  readonly error?: ItemError
  /** HTTP requests made for this membership, reads and writes, retries included. */
  readonly attempts: number
  /** The write got no answer; reading the membership afterwards showed the change had been applied. */
  readonly confirmedByReading?: boolean
  /** ISO 8601 time the outcome was known. */
  readonly at: string
}

export interface RunSummary {
  readonly total: number
  readonly updated: number
  readonly unchanged: number
  readonly kept: number
  readonly planned: number
  readonly failed: number
  readonly skipped: number
  readonly stale: number
  readonly conflict: number
  readonly spaces: number
}

export function summarize(results: readonly ItemResult[]): RunSummary {
  const count = (status: ItemStatus): number => results.filter(result => result.status === status).length
  return {
    total: results.length,
    updated: count('updated'),
    unchanged: count('unchanged'),
    kept: count('kept'),
    planned: count('planned'),
    failed: count('failed'),
    skipped: count('skipped'),
    stale: count('stale'),
    conflict: count('conflict'),
    spaces: new Set(results.map(result => result.space)).size,
  }
}
