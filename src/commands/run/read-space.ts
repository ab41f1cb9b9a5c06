// Reads the named memberships of one space as cheaply as the quota allows: several ids of one space from
// `spaces.members.list` pages (up to 1,000 memberships a read), stopping as soon as every name is found and
// never reading more pages than gets would have cost; email aliases, apps and whatever the pages did not
// hold with one get each. A full listing also counts the space's owners, for the last-owner guard.
import type { MembershipSnapshot } from '../../core/plan.js'
import { planSpaceReads } from '../../core/space-order.js'
import type { Connection } from '../connect.js'
import { nameOf, type RunItem } from './items.js'

export interface SpaceReadContext {
  readonly connection: Connection
  /** Records a failed request against an item (and ends the run on an auth failure). */
  readonly fail: (item: RunItem, error: unknown, attempts: number) => void
}

export interface SpaceRead {
  /** Joined human owners, when a full listing showed them all. */
  readonly owners: number | undefined
}

export async function readSpace(
  space: string,
  items: readonly RunItem[],
  context: SpaceReadContext,
): Promise<SpaceRead> {
  const byName = new Map<string, RunItem[]>()
  for (const item of items) {
    if (item.entry.ref.kind !== 'id') continue
    byName.set(item.entry.ref.name, [...(byName.get(item.entry.ref.name) ?? []), item])
  }
  let owners: number | undefined
  const plan = planSpaceReads(byName.size)
  if (plan.list) owners = await readByListing(space, byName, plan.maxPages, context)
  await Promise.all(
    items
      .filter(item => item.snapshot === undefined && item.error === undefined)
      .map(item => readOne(space, item, context)),
  )
  return { owners }
}

async function readByListing(
  space: string,
  wanted: Map<string, RunItem[]>,
  maxPages: number,
  context: SpaceReadContext,
): Promise<number | undefined> {
  const { connection } = context
  let owners = 0
  let pageToken: string | undefined
  for (let pages = 0; pages < maxPages; pages += 1) {
    const token = pageToken
    const page = await connection.send({ space, kind: 'read', label: `${space} members` }, api =>
      api.listPage({
        space,
        admin: connection.admin,
        // Admin access lists human members only, and says so only through this filter.
        ...(connection.admin && { filter: 'member.type = "HUMAN"' }),
        showGroups: false,
        showInvited: false,
        ...(token !== undefined && { pageToken: token }),
      }),
    )
    if (!page.outcome.ok) {
      // The space itself cannot be listed (not found, no access): every id of it fails the same way.
      if (page.attempts > 0 && page.outcome.reason !== 'stopped') {
        for (const waiting of wanted.values())
          for (const item of waiting) context.fail(item, page.outcome.error, page.attempts)
      }
      return undefined
    }
    for (const membership of page.outcome.value.memberships) {
      owners += isJoinedHumanOwner(membership) ? 1 : 0
      const found = wanted.get(membership.name)
      if (found === undefined) continue
      // A page is shared by every membership on it: it is not counted in any one membership's attempts.
      for (const item of found) item.snapshot = membership
      wanted.delete(membership.name)
    }
    pageToken = page.outcome.value.nextPageToken
    if (pageToken === undefined || pageToken === '') return owners
    if (wanted.size === 0) return undefined
  }
  return undefined
}

async function readOne(space: string, item: RunItem, context: SpaceReadContext): Promise<void> {
  const { connection } = context
  const read = await connection.send({ space, kind: 'read', label: nameOf(item) }, api =>
    api.getMembership(item.entry.ref.name, connection.admin),
  )
  item.attempts += read.attempts
  if (read.outcome.ok) item.snapshot = read.outcome.value
  else if (read.attempts > 0 && read.outcome.reason !== 'stopped') context.fail(item, read.outcome.error, read.attempts)
}

export function isJoinedHumanOwner(membership: MembershipSnapshot): boolean {
  return membership.role === 'ROLE_MANAGER' && membership.state === 'JOINED' && membership.memberKind === 'HUMAN'
}
