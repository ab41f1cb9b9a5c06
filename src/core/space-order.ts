// The order of the changes inside one space, so that the caller keeps the rights to finish the run and no
// space is ever without an owner along the way: owner grants first, then every other change, then owner
// demotions, and last of all any change that lowers the caller's own role. Each phase of a space starts only
// once the one before it has settled; spaces do not wait for each other.
import { roleRank, isRole } from './role.js'

export const CHANGE_PHASES = ['grant-owner', 'change', 'demote-owner', 'lower-caller'] as const
export type ChangePhase = (typeof CHANGE_PHASES)[number]

const OWNER = 'ROLE_MANAGER'

export interface OrderedChange {
  readonly from: string
  readonly to: string
  /** The membership is the caller's own. */
  readonly isCaller: boolean
}

export function phaseOf(change: OrderedChange): ChangePhase {
  const lowers = !isRole(change.from) || !isRole(change.to) || roleRank(change.to) < roleRank(change.from)
  if (change.isCaller && lowers) return 'lower-caller'
  if (change.to === OWNER && change.from !== OWNER) return 'grant-owner'
  if (change.from === OWNER && change.to !== OWNER) return 'demote-owner'
  return 'change'
}

/** The changes grouped by phase, in phase order, input order kept inside a phase; empty phases left out. */
export function orderChanges<T extends OrderedChange>(changes: readonly T[]): { phase: ChangePhase; changes: T[] }[] {
  return CHANGE_PHASES.map(phase => ({ phase, changes: changes.filter(change => phaseOf(change) === phase) })).filter(
    group => group.changes.length > 0,
  )
}

/** Reading many memberships of one space: list pages (up to 1,000 a read) beat one get each. */
export interface SpaceReadPlan {
  /** Read the space's members page by page instead of one get per id. */
  readonly list: boolean
  /** Pages at most before the rest is read one get each: never dearer than gets would have been. */
  readonly maxPages: number
}

/** Ids can be found in a listing; an email alias is resolved only by a get. */
export function planSpaceReads(idCount: number): SpaceReadPlan {
  return idCount >= 2 ? { list: true, maxPages: idCount - 1 } : { list: false, maxPages: 0 }
}
