// Discovery for the commands that act on people and spaces: it reads through the run's own connection (so
// its reads are paced like every other), and core/people.ts decides what to change.
import { handOver, demoteAllManagers, type Refusal, type SpaceDecision } from '../core/people.js'
import type { MembershipSnapshot } from '../core/plan.js'
import type { Role } from '../core/role.js'
import type { Connection } from './connect.js'
import type { Discovery, DiscoveredInput } from './role-change-run.js'

/** Every joined human membership of a space; a space that cannot be read is a refusal for that space. */
async function humansOf(space: string, connection: Connection): Promise<MembershipSnapshot[] | Refusal> {
  const { spaceMemberships } = await import('./discover.js')
  const read = await spaceMemberships(space, connection)
  if (read.ok) return read.value
  return {
    name: space,
    code: read.error.code,
    message: read.error.message,
    ...(read.error.hint !== undefined && { hint: read.error.hint }),
  }
}

/** One membership by person (email alias or id); undefined when the person is not in the space. */
export async function membershipOf(
  space: string,
  person: string,
  connection: Connection,
): Promise<MembershipSnapshot | undefined> {
  const member = person.replace(/^users\//, '')
  const name = `${space}/members/${member}`
  const read = await connection.send({ space, kind: 'read', label: name }, api =>
    api.getMembership(name, connection.admin),
  )
  if (read.outcome.ok) return read.outcome.value
  const mapped = connection.explain(read.outcome.error, name, space, read.attempts)
  if (mapped.code === 'NOT_FOUND') return undefined
  throw mapped
}

function merge(decisions: readonly SpaceDecision[]): Discovery {
  return {
    changes: decisions.flatMap(decision => decision.changes),
    refused: decisions.flatMap(decision => decision.refused),
  }
}

export function allManagersInput(spaces: readonly string[], keep: readonly string[]): DiscoveredInput {
  return {
    kind: 'discover',
    source: 'discovery',
    async discover(connection, reporter) {
      const decisions = await Promise.all(
        spaces.map(async space => {
          const humans = await humansOf(space, connection)
          return Array.isArray(humans) ? demoteAllManagers(space, humans, keep) : { changes: [], refused: [humans] }
        }),
      )
      const found = merge(decisions)
      reporter.info(
        `Found ${found.changes.length} manager${found.changes.length === 1 ? '' : 's'} and owner${found.changes.length === 1 ? '' : 's'} to demote in ${spaces.length} space${spaces.length === 1 ? '' : 's'} (${connection.scheduler.stats().sent} reads).`,
      )
      return found
    },
  }
}

export interface HandoverScope {
  /** The spaces to look in; undefined: every space where `from` is an owner (found with `findSpaces`). */
  readonly spaces?: readonly string[]
  readonly findSpaces?: (connection: Connection) => Promise<readonly string[]>
}

export function handoverInput(from: string, to: string, scope: HandoverScope, leaveAs: Role): DiscoveredInput {
  return {
    kind: 'discover',
    source: 'handover',
    async discover(connection, reporter) {
      const spaces = scope.spaces ?? (await scope.findSpaces?.(connection)) ?? []
      const decisions = await Promise.all(
        spaces.map(async space => {
          const fromMembership = await membershipOf(space, from, connection)
          if (fromMembership?.role !== 'ROLE_MANAGER') return { changes: [], refused: [] }
          return handOver(space, fromMembership, await membershipOf(space, to, connection), to, leaveAs)
        }),
      )
      const found = merge(decisions)
      const handed = decisions.filter(decision => decision.changes.length > 0).length
      const missing: readonly Refusal[] = found.refused ?? []
      reporter.info(
        `Handover from ${from} to ${to}: ${handed} space${handed === 1 ? '' : 's'} to hand over, ${missing.length} where ${to} is not a member, out of ${spaces.length} looked at (${connection.scheduler.stats().sent} reads).`,
      )
      return found
    },
  }
}

/** `--user PERSON --all-spaces`: the person's membership in every named space they are in. */
export function personEverywhereInput(person: string, target: Role | undefined): DiscoveredInput {
  return {
    kind: 'discover',
    source: 'discovery',
    async discover(connection, reporter) {
      const { findPersonSpaces } = await import('./discover.js')
      const found = await findPersonSpaces(person, connection, {
        admin: connection.admin,
        impersonated: isImpersonating(connection, person),
      })
      reporter.info(describeFound(person, found))
      const refused = found.failures.map(failure => ({
        name: failure.space,
        code: failure.error.code,
        message: failure.error.message,
        ...(failure.error.hint !== undefined && { hint: failure.error.hint }),
      }))
      if (target === undefined) return { changes: [], refused }
      return { changes: found.memberships.map(({ membership }) => ({ name: membership.name, target })), refused }
    },
  }
}

/** `promote --to owner --ownerless --pick manager|PERSON`: an owner for every space that has none. */
export function ownerlessInput(pick: string): DiscoveredInput {
  return {
    kind: 'discover',
    source: 'discovery',
    async discover(connection, reporter) {
      const { listCallerSpaces, searchOrganisationSpaces } = await import('./discover.js')
      const { ownerCandidate } = await import('../core/people.js')
      const listed = connection.admin ? await searchOrganisationSpaces(connection) : await listCallerSpaces(connection)
      const named = listed.spaces.filter(space => space.spaceType === 'SPACE')
      const decisions = await Promise.all(
        named.map(async space => {
          const humans = await humansOf(space.name, connection)
          return Array.isArray(humans) ? ownerCandidate(space.name, humans, pick) : humans
        }),
      )
      const changes = decisions.flatMap(decision => ('target' in decision ? [decision] : []))
      const refused = decisions.flatMap(decision =>
        'target' in decision || decision.code === 'HAS_OWNER' ? [] : [decision],
      )
      reporter.info(
        `Looked at ${named.length} space${named.length === 1 ? '' : 's'}: ${changes.length + refused.length} without an owner, ${changes.length} to repair, ${refused.length} with no candidate (${connection.scheduler.stats().sent} reads).`,
      )
      return { changes, refused }
    },
  }
}

/** Acting as the person through domain-wide delegation: their own listing is the cheapest way in. */
function isImpersonating(connection: Connection, person: string): boolean {
  return connection.session.credential.impersonating?.toLowerCase() === person.toLowerCase()
}

function describeFound(
  person: string,
  found: {
    memberships: readonly unknown[]
    skipped: { groupChats: number; directMessages: number }
    way: string
    requests: number
  },
): string {
  const how =
    found.way === 'impersonated'
      ? `as ${person}, from their own spaces`
      : found.way === 'admin'
        ? 'with admin access, from every space of the organisation'
        : 'from your own spaces'
  return `Found ${person} in ${found.memberships.length} space${found.memberships.length === 1 ? '' : 's'} (${how}; ${found.requests} reads; skipped ${found.skipped.groupChats} group chats and ${found.skipped.directMessages} direct messages).`
}
