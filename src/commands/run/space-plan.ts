// Planning one space once it is read: aliases of one membership collapsed, the last-owner guard, and the plan
// shown before the question.
import { describeLocation } from '../../core/batch-input.js'
import { demotesOwner, guardLastOwners } from '../../core/plan.js'
import { formatDuration } from '../../core/progress-figures.js'
import { describeRole } from '../../core/role.js'
import { DOCUMENTED_RATES, expectedWriteSeconds } from '../../core/scheduler.js'
import type { Reporter } from '../../output/reporter.js'
import type { Connection } from '../connect.js'
import { nameOf, type RunItem } from './items.js'

export function groupBySpace(items: readonly RunItem[]): Map<string, RunItem[]> {
  const groups = new Map<string, RunItem[]>()
  for (const item of items) {
    const group = groups.get(item.space)
    if (group === undefined) groups.set(item.space, [item])
    else group.push(item)
  }
  return groups
}

/** An email alias and a user id can name the same membership; only the read tells. Keep the first. */
export function collapseAliases(items: readonly RunItem[], reporter: Reporter): RunItem[] {
  const seen = new Map<string, RunItem>()
  const kept: RunItem[] = []
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
export async function guardOwners(
  space: string,
  items: RunItem[],
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

export async function countOwners(space: string, connection: Connection): Promise<number | undefined> {
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

export function showPlan(updates: readonly RunItem[], reporter: Reporter): void {
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
