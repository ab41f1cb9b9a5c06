// Undoing a run from its journal: every membership the run changed, or may have changed, is put back to the
// role it had before the run first wrote it. The undo run reads each one first and judges: still as the
// run left it → restore; already back → nothing to do; changed by someone since → a conflict, left alone
// unless forced. An undo journal is a journal like any other, so an undo can be undone. Pure.
import { latestByMembership, type MembershipFields, type ParsedJournal } from './journal.js'
import { describeRole, isRole, type Role } from './role.js'

export interface UndoEntry extends MembershipFields {
  /** The role the run left it with (for an uncertain entry: the role of the write in doubt). */
  readonly expected: string
  /** The role it had before the run. */
  readonly restore: Role
  /** A write was sent but its outcome is not known: it may still hold `restore`. */
  readonly uncertain: boolean
}

/** A membership the run changed that cannot be put back, and why. */
export interface UndoRefusal extends MembershipFields {
  readonly from: string | undefined
  readonly reason: string
}

export interface UndoPlan {
  /** In the order the journal first names them. */
  readonly entries: UndoEntry[]
  readonly refused: UndoRefusal[]
}

export function planUndo(journal: Pick<ParsedJournal, 'records'>): UndoPlan {
  const entries: UndoEntry[] = []
  const refused: UndoRefusal[] = []
  for (const state of latestByMembership(journal).values()) {
    // Never written, or written and known to be back where it started: nothing to undo.
    if (!state.written) continue
    const expected = state.uncertain ? state.sent : state.holds
    if (expected === undefined || (!state.uncertain && expected === state.before)) continue
    const who: MembershipFields = {
      name: state.name,
      space: state.space,
      ...(state.email !== undefined && { email: state.email }),
      ...(state.displayName !== undefined && { displayName: state.displayName }),
    }
    if (!isRole(state.before)) {
      refused.push({
        ...who,
        from: state.before,
        reason:
          state.before === undefined
            ? 'the journal does not say what role it had before the run'
            : `its role before the run was ${describeRole(state.before)}, which cannot be set`,
      })
      continue
    }
    entries.push({ ...who, expected, restore: state.before, uncertain: state.uncertain })
  }
  return { entries, refused }
}

/**
 * restore: it holds what the run left, so it is put back; already-restored: it holds its earlier role
 * (for an uncertain entry: the write never landed); changed-since: someone changed it after the run, so it
 * is reported as a conflict and left alone; forced: changed since, but put back because of --force.
 */
export type UndoVerdict = 'restore' | 'already-restored' | 'changed-since' | 'forced'

export function judgeUndo(entry: UndoEntry, currentRole: string | undefined, force: boolean): UndoVerdict {
  if (currentRole === entry.restore) return 'already-restored'
  if (currentRole === entry.expected) return 'restore'
  return force ? 'forced' : 'changed-since'
}
