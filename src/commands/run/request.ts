// What a role run is asked to do: the memberships (as given, planned, or found by a discovery) and how.
import type { SessionRequest } from '../../auth/session.js'
import type { Expectation } from '../../core/plan.js'
import type { ItemResult } from '../../core/result.js'
import type { Role } from '../../core/role.js'
import type { Reporter } from '../../output/reporter.js'
import type { Connection } from '../connect.js'

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
