// Decides, from what was read, what to do with each membership: change it, leave it, or refuse, and in which
// order, so that no run leaves a space without an owner.
import { describeRole, isRole, roleRank, type Role } from './role.js'

export type MemberKind = 'HUMAN' | 'BOT' | 'GROUP' | 'UNKNOWN'

/** What a read of one membership told us. */
export interface MembershipSnapshot {
  readonly name: string
  readonly role: string | undefined
  readonly state: string | undefined
  readonly memberKind: MemberKind
  /** `users/ID` or `groups/ID`. */
  readonly member?: string
  readonly email?: string
  readonly displayName?: string
  /** When the member joined (or was invited), RFC 3339: the longest-standing manager is the first. */
  readonly createTime?: string
}

export type RefusalCode = 'NOT_A_HUMAN' | 'GROUP_MEMBERSHIP' | 'NOT_JOINED' | 'LAST_OWNER' | MovedCode

/** STALE: a saved plan saw another role; CONFLICT: someone changed it after the run being undone. */
export type MovedCode = 'STALE' | 'CONFLICT'

/** What a saved plan or an undo expects a membership to hold before it is changed. */
export interface Expectation {
  readonly role: string
  readonly code: MovedCode
}

/**
 * A membership that holds neither what was expected nor the target has been changed by someone else since
 * the plan or the run: it is reported, not written.
 */
export function judgeExpectation(
  snapshot: MembershipSnapshot,
  target: Role,
  expected: Expectation,
): PlanStep | undefined {
  if (snapshot.role === expected.role || snapshot.role === target) return undefined
  const now = describeRole(snapshot.role)
  return {
    action: 'refuse',
    code: expected.code,
    message:
      expected.code === 'STALE'
        ? `is now ${now}, not ${describeRole(expected.role)} as the plan saw it: left as it is`
        : `is now ${now}, not ${describeRole(expected.role)} as the run left it: someone changed it since, so it is left as it is`,
    hint:
      expected.code === 'STALE'
        ? 'make a new plan with --dry-run --plan FILE, or change it on its own'
        : 'to put it back anyway, run the undo again with --force',
  }
}

export type PlanStep =
  | { readonly action: 'update'; readonly from: string; readonly to: Role }
  | { readonly action: 'unchanged'; readonly role: Role }
  /** Left as it is on purpose: `promote` never lowers a role. Not a failure. */
  | { readonly action: 'keep'; readonly role: Role; readonly message: string; readonly hint: string }
  | { readonly action: 'refuse'; readonly code: RefusalCode; readonly message: string; readonly hint?: string }

export interface PlanOptions {
  /** Only ever raise a role (promote): an owner asked to become a manager is kept an owner. */
  readonly onlyRaise?: boolean
}

export function planMembership(snapshot: MembershipSnapshot, target: Role, options: PlanOptions = {}): PlanStep {
  if (snapshot.memberKind === 'GROUP') {
    return {
      action: 'refuse',
      code: 'GROUP_MEMBERSHIP',
      message: 'is a Google Group: groups have no roles',
      hint: 'change the roles of the group’s people one by one',
    }
  }
  if (snapshot.memberKind === 'BOT') {
    return { action: 'refuse', code: 'NOT_A_HUMAN', message: 'is a Chat app: apps have no roles' }
  }
  if (snapshot.state !== undefined && snapshot.state !== 'JOINED') {
    return {
      action: 'refuse',
      code: 'NOT_JOINED',
      message: `is ${snapshot.state.toLowerCase().replaceAll('_', ' ')}, not joined: only joined members have roles`,
      hint: 'try again once they have joined the space',
    }
  }
  if (snapshot.role === target) return { action: 'unchanged', role: target }
  if (options.onlyRaise === true && isRole(snapshot.role) && roleRank(snapshot.role) > roleRank(target)) {
    return {
      action: 'keep',
      role: snapshot.role,
      message: `is already ${describeRole(snapshot.role)}, above ${describeRole(target)}: promote never lowers a role`,
      hint: `to lower it on purpose: chat-role set ${target === 'ROLE_MEMBER' ? 'member' : 'manager'} ${snapshot.name}`,
    }
  }
  // An unexpected role (MEMBERSHIP_ROLE_UNSPECIFIED, a future value) is shown as it is; the API judges the change.
  return { action: 'update', from: snapshot.role ?? 'MEMBERSHIP_ROLE_UNSPECIFIED', to: target }
}

export interface PlannedMembership {
  /** `spaces/S` */
  readonly space: string
  readonly step: PlanStep
}

const OWNER: Role = 'ROLE_MANAGER'

/**
 * Refuses the owner demotions that would leave a space with no owner, counting the owners the same run grants.
 * `ownersBySpace` holds the current number of owners of each space where the plan demotes one.
 * Demotions are kept in input order; the last ones that would empty a space are refused.
 */
export function guardLastOwners<T extends PlannedMembership>(
  planned: readonly T[],
  ownersBySpace: ReadonlyMap<string, number>,
): (Omit<T, 'step'> & { readonly step: PlanStep })[] {
  const remaining = new Map(ownersBySpace)
  for (const item of planned) {
    if (item.step.action === 'update' && item.step.to === OWNER && item.step.from !== OWNER) {
      remaining.set(item.space, (remaining.get(item.space) ?? 0) + 1)
    }
  }
  return planned.map(item => {
    const { step } = item
    if (step.action !== 'update' || step.from !== OWNER || step.to === OWNER) return item
    const owners = remaining.get(item.space) ?? 0
    if (owners > 1) {
      remaining.set(item.space, owners - 1)
      return item
    }
    const refusal: PlanStep = {
      action: 'refuse',
      code: 'LAST_OWNER',
      message: `is the last owner of ${item.space}: demoting them would leave the space without an owner`,
      hint: `make someone else owner first, e.g. chat-role promote --to owner ${item.space}/members/USER`,
    }
    return { ...item, step: refusal }
  })
}

/** True for a change that takes ownership away; these run only after every other change has landed. */
export function demotesOwner(step: PlanStep): boolean {
  return step.action === 'update' && step.from === OWNER && step.to !== OWNER
}

export function grantsOwner(step: PlanStep): boolean {
  return step.action === 'update' && step.to === OWNER && step.from !== OWNER
}

export function describeStep(step: PlanStep): string {
  switch (step.action) {
    case 'update':
      return `${describeRole(step.from)} -> ${describeRole(step.to)}`
    case 'unchanged':
      return `already ${describeRole(step.role)}`
    case 'keep':
    case 'refuse':
      return step.message
  }
}
