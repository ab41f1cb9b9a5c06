// The two list filters: spaces.members.list (role, member.type) and spaces.list (spaceType).
import { Messages, invalidArgument } from '../http/errors.js'
import { type Comparison, type FilterExpression, filterError, parseFilter } from './filter-syntax.js'
import type { MembershipRecord, SpaceRecord } from '../domain/state.js'

export type MembershipPredicate = (membership: MembershipRecord) => boolean

/** `ROLE_ASSISTANT_MANAGER` is undocumented as a filter value; the emulator accepts it. */
const FILTER_ROLES = new Set(['ROLE_MEMBER', 'ROLE_MANAGER', 'ROLE_ASSISTANT_MANAGER'])
const FILTER_TYPES = new Set(['HUMAN', 'BOT'])

function checkMembershipComparison(comparison: Comparison): void {
  if (comparison.field === 'role') {
    if (comparison.operator !== '=') throw filterError('the != operator is supported for member.type only')
    if (!FILTER_ROLES.has(comparison.value)) {
      throw filterError(
        `role must be ROLE_MEMBER, ROLE_ASSISTANT_MANAGER or ROLE_MANAGER, not ${JSON.stringify(comparison.value)}`,
      )
    }
  } else if (comparison.field === 'member.type') {
    if (!FILTER_TYPES.has(comparison.value)) {
      throw filterError(`member.type must be HUMAN or BOT, not ${JSON.stringify(comparison.value)}`)
    }
  } else {
    throw filterError(`unsupported field ${JSON.stringify(comparison.field)}; filter by role or member.type`)
  }
}

function matchesComparison(membership: MembershipRecord, comparison: Comparison): boolean {
  if (comparison.field === 'role') return membership.role === comparison.value
  // Groups have no member.type: they never equal a type, and always differ from one.
  const type = membership.kind === 'GROUP' ? undefined : membership.kind
  return comparison.operator === '=' ? type === comparison.value : type !== comparison.value
}

/** With useAdminAccess, exactly one type condition, `= "HUMAN"` or `!= "BOT"`, ANDed with the rest. */
function checkAdminFilter(expression: FilterExpression): void {
  const typeComparisons = expression.flat().filter(comparison => comparison.field === 'member.type')
  const [only] = typeComparisons
  const standalone = expression.some(group => group.length === 1 && group[0] === only)
  const allowed =
    only !== undefined &&
    ((only.operator === '=' && only.value === 'HUMAN') || (only.operator === '!=' && only.value === 'BOT'))
  if (typeComparisons.length !== 1 || !standalone || !allowed) {
    throw invalidArgument(Messages.adminListNeedsTypeFilter, 'filter')
  }
}

export function parseMembershipFilter(filter: string | undefined, useAdminAccess: boolean): MembershipPredicate {
  const expression = filter === undefined ? [] : parseFilter(filter)
  expression.flat().forEach(checkMembershipComparison)
  // ANDing two conditions on one field can never be satisfied (or is redundant): Google rejects it.
  const seen = new Set<string>()
  for (const group of expression) {
    const fields = new Set(group.map(comparison => comparison.field))
    for (const field of fields) {
      if (seen.has(field))
        throw filterError(`${field} appears on both sides of AND; use OR to combine values of one field`)
      seen.add(field)
    }
  }
  if (useAdminAccess) checkAdminFilter(expression)
  if (expression.length === 0) return () => true
  return membership => expression.every(group => group.some(comparison => matchesComparison(membership, comparison)))
}

const SPACE_TYPES = new Set(['SPACE', 'GROUP_CHAT', 'DIRECT_MESSAGE'])

/** Returns the space types to keep, or undefined for all. */
export function parseSpaceFilter(filter: string | undefined): ((space: SpaceRecord) => boolean) | undefined {
  const expression = filter === undefined ? [] : parseFilter(filter)
  if (expression.length === 0) return undefined
  if (expression.length > 1) throw filterError('combine space types with OR; AND is not supported')
  const types = new Set<string>()
  for (const comparison of expression.flat()) {
    if (comparison.field !== 'spaceType' && comparison.field !== 'space_type') {
      throw filterError(`unsupported field ${JSON.stringify(comparison.field)}; filter by spaceType`)
    }
    if (comparison.operator !== '=') throw filterError('only = is supported for spaceType')
    if (!SPACE_TYPES.has(comparison.value)) {
      throw filterError(
        `spaceType must be SPACE, GROUP_CHAT or DIRECT_MESSAGE, not ${JSON.stringify(comparison.value)}`,
      )
    }
    types.add(comparison.value)
  }
  return space => types.has(space.spaceType)
}
