// Finding spaces and who holds which role in them: the caller's spaces, the organisation's, a person's
// memberships, a space's owners and members. The I/O edge of `spaces`, and what offboarding, handover and
// repair build on. Every request goes through connection.send, so it is paced, retried and counted.
//
// Failures: reading one space can fail (403, 5xx after retries) without stopping the rest; those come back as
// `failures`. A failure of the credentials (exit 4: sign-in, scope, no Chat app) or Google unreachable is fatal
// and thrown as the mapped ChatRoleError. A run stopped by a signal comes back with `stopped: true` and what was
// read so far. `requests` counts HTTP requests sent, retries included.
import type { Session } from '../auth/session.js'
import type { MembershipSnapshot } from '../core/plan.js'
import type { SpaceSnapshot, SpaceType } from '../core/space.js'
import {
  JOINED_HUMAN_OWNERS_FILTER,
  JOINED_HUMANS_FILTER,
  knownOwnerless,
  NOTHING_SKIPPED,
  ORGANISATION_SPACES_QUERY,
  parsePerson,
  partitionNamedSpaces,
  personMembershipName,
  spacesListFilter,
  isJoinedOwner,
  type Person,
  type SkippedSpaces,
} from '../core/space-filters.js'
import type { Scheduled } from '../core/scheduler.js'
import { ChatRoleError, EXIT } from '../errors.js'
import type { ChatApi, SpacesPage } from '../chat/memberships.js'
import type { Connection } from './connect.js'

/** The scheduler's space for requests about no one space (spaces.list, spaces.search): project quotas apply. */
export const SPACES_LANE = 'spaces'

export interface DiscoveredSpaces {
  readonly spaces: SpaceSnapshot[]
  /** HTTP requests sent, retries included. */
  readonly requests: number
  /** Stopped by a signal before the last page: `spaces` holds the pages read. */
  readonly stopped: boolean
}

export interface SpaceFailure {
  /** `spaces/S` */
  readonly space: string
  readonly error: ChatRoleError
}

/** One read about one space. */
export type SpaceRead<T> =
  | { readonly ok: true; readonly value: T; readonly requests: number }
  | { readonly ok: false; readonly error: ChatRoleError; readonly requests: number; readonly stopped: boolean }

/** How findPersonSpaces found the person's spaces; what it could see follows from it. */
export type DiscoveryWay =
  /** Acting as the person (--impersonate PERSON): their own spaces.list, so every space they have joined. */
  | 'impersonated'
  /** As the caller: the caller's own spaces, so only the spaces the caller shares with the person. */
  | 'caller'
  /** As a Workspace admin: every named space of the organisation (spaces.search). */
  | 'admin'

export interface PersonMembership {
  readonly space: SpaceSnapshot
  /** The person's membership there; `state` may be INVITED (an invitation not yet accepted). */
  readonly membership: MembershipSnapshot
}

export interface PersonSpaces {
  readonly person: Person
  /** In the order the spaces were listed. */
  readonly memberships: PersonMembership[]
  /** Spaces the listing held that have no roles, so were not read. spaces.search (admin) lists none of them. */
  readonly skipped: SkippedSpaces
  readonly way: DiscoveryWay
  /** Named spaces looked at: one members.get each. */
  readonly looked: number
  readonly requests: number
  readonly failures: SpaceFailure[]
  readonly stopped: boolean
}

export interface OwnerlessSpaces {
  /** Named spaces with no joined human owner, in the order given. */
  readonly ownerless: SpaceSnapshot[]
  /** Spaces whose membershipCount already said no human had joined: no read was needed. */
  readonly knownWithoutReading: number
  readonly requests: number
  readonly failures: SpaceFailure[]
  readonly stopped: boolean
}

const PREFIX = 'https://www.googleapis.com/auth/'
/** spaces.list (user authentication) accepts either (Chat v1 discovery). */
const USER_SPACES_SCOPES = [`${PREFIX}chat.spaces.readonly`, `${PREFIX}chat.spaces`]
/** spaces.search with useAdminAccess accepts either. */
const ADMIN_SPACES_SCOPES = [`${PREFIX}chat.admin.spaces.readonly`, `${PREFIX}chat.admin.spaces`]

/**
 * Fails (exit 4) before the first request when the credentials cannot list spaces (`search`: the organisation's
 * spaces, with admin access). The membership scopes chat-role signs in with do not cover spaces.list or
 * spaces.search; credentials whose scopes cannot be known are let through, and the API decides.
 */
export async function assertSpacesScope(connection: Connection, what: 'list' | 'search'): Promise<void> {
  if (connection.session.mode === 'emulator-default') return
  const granted = await connection.session.grantedScopes()
  if (granted.length === 0) return
  const needed = what === 'search' ? ADMIN_SPACES_SCOPES : USER_SPACES_SCOPES
  if (needed.some(scope => granted.includes(scope))) return
  throw spacesScopeError(connection.session, what)
}

/** Every page of the caller's spaces.list: the spaces they have joined, of `type` (default: every type). */
export async function listCallerSpaces(
  connection: Connection,
  options: { readonly type?: SpaceType; readonly onPage?: (spaces: readonly SpaceSnapshot[]) => void } = {},
): Promise<DiscoveredSpaces> {
  await assertSpacesScope(connection, 'list')
  const filter = spacesListFilter(options.type)
  return readSpacePages(connection, 'list', options.onPage, (api, pageToken) =>
    api.listSpacesPage({
      ...(filter !== undefined && { filter }),
      ...(pageToken !== undefined && { pageToken }),
    }),
  )
}

/** Every page of spaces.search as a Workspace admin: every named space of the organisation, member or not. */
export async function searchOrganisationSpaces(
  connection: Connection,
  options: { readonly onPage?: (spaces: readonly SpaceSnapshot[]) => void } = {},
): Promise<DiscoveredSpaces> {
  await assertSpacesScope(connection, 'search')
  return readSpacePages(connection, 'search', options.onPage, (api, pageToken) =>
    api.searchSpacesPage({
      query: ORGANISATION_SPACES_QUERY,
      ...(pageToken !== undefined && { pageToken }),
    }),
  )
}

/**
 * The person's memberships in named spaces, the cheapest way the credentials allow, with one members.get of
 * `spaces/S/members/PERSON` per named space listed (404: not a member, not a failure):
 * - `admin` (the connection was opened with --admin): every named space of the organisation (spaces.search);
 * - `impersonated` (the connection acts as the person, --impersonate PERSON): the person's own spaces.list;
 * - otherwise the caller's own spaces.list: only the spaces the caller shares with the person.
 * `person` is an email or `users/ID` (a usage error otherwise, before any request). Group chats and DMs have no
 * roles: they are counted in `skipped` and not read.
 */
export async function findPersonSpaces(
  person: string,
  connection: Connection,
  options: { readonly admin: boolean; readonly impersonated: boolean },
): Promise<PersonSpaces> {
  const who = parsePerson(person)
  const way: DiscoveryWay = options.admin ? 'admin' : options.impersonated ? 'impersonated' : 'caller'
  await connection.session.assertScopes('read')
  const listed = options.admin ? await searchOrganisationSpaces(connection) : await listCallerSpaces(connection)
  const { named, skipped } = partitionNamedSpaces(listed.spaces)
  const reads = await eachSpace(connection, named, space => readPersonMembership(connection, space, who, options.admin))
  const memberships: PersonMembership[] = []
  named.forEach((space, index) => {
    const read = reads.results[index]
    if (read?.ok === true && read.value !== undefined) memberships.push({ space, membership: read.value })
  })
  return {
    person: who,
    memberships,
    skipped: options.admin ? NOTHING_SKIPPED : skipped,
    way,
    looked: named.length,
    requests: listed.requests + reads.requests,
    failures: reads.failures,
    stopped: listed.stopped || reads.stopped,
  }
}

/** A space's joined human owners (ROLE_MANAGER), every page of one filtered members.list. */
export async function joinedHumanOwners(
  space: string,
  connection: Connection,
): Promise<SpaceRead<MembershipSnapshot[]>> {
  await connection.session.assertScopes('read')
  return fatalThrown(connection, await readMembers(connection, space, JOINED_HUMAN_OWNERS_FILTER, 'owners'))
}

/** Every joined human membership of a space (no apps, groups or invitations), all pages. */
export async function spaceMemberships(
  space: string,
  connection: Connection,
): Promise<SpaceRead<MembershipSnapshot[]>> {
  await connection.session.assertScopes('read')
  return fatalThrown(connection, await readMembers(connection, space, JOINED_HUMANS_FILTER, 'members'))
}

/**
 * The named spaces among `spaces` with no joined human owner: one filtered members.list read each (it stops at
 * the first page that shows an owner), none for a space whose membershipCount says no human has joined.
 */
export async function findOwnerlessSpaces(
  spaces: readonly SpaceSnapshot[],
  connection: Connection,
): Promise<OwnerlessSpaces> {
  await connection.session.assertScopes('read')
  const { named } = partitionNamedSpaces(spaces)
  const toRead = named.filter(space => !knownOwnerless(space))
  const reads = await eachSpace(connection, toRead, space =>
    readMembers(connection, space.name, JOINED_HUMAN_OWNERS_FILTER, 'owners', { untilFound: true }),
  )
  const ownerlessNames = new Set(named.filter(knownOwnerless).map(space => space.name))
  toRead.forEach((space, index) => {
    const read = reads.results[index]
    if (read?.ok === true && read.value.length === 0) ownerlessNames.add(space.name)
  })
  return {
    ownerless: named.filter(space => ownerlessNames.has(space.name)),
    knownWithoutReading: named.length - toRead.length,
    requests: reads.requests,
    failures: reads.failures,
    stopped: reads.stopped,
  }
}

// ---- the reads ----

/** Reads every page of a space listing, handing each page over as it comes. */
async function readSpacePages(
  connection: Connection,
  what: 'list' | 'search',
  onPage: ((spaces: readonly SpaceSnapshot[]) => void) | undefined,
  call: (api: ChatApi, pageToken: string | undefined) => Promise<SpacesPage>,
): Promise<DiscoveredSpaces> {
  const spaces: SpaceSnapshot[] = []
  let requests = 0
  let pageToken: string | undefined
  let page = 0
  do {
    page += 1
    const token = pageToken
    const label = `spaces.${what} page ${page}`
    const result = await connection.send({ space: SPACES_LANE, kind: 'read', label }, api => call(api, token))
    requests += result.attempts
    if (!result.outcome.ok) {
      if (result.outcome.reason === 'stopped') return { spaces, requests, stopped: true }
      throw explainSpacesFailure(connection, result, what)
    }
    spaces.push(...result.outcome.value.spaces)
    onPage?.(result.outcome.value.spaces)
    pageToken = result.outcome.value.nextPageToken
  } while (pageToken !== undefined && pageToken !== '')
  return { spaces, requests, stopped: false }
}

/** The person's membership of one space, or undefined when they are not in it (404). */
async function readPersonMembership(
  connection: Connection,
  space: SpaceSnapshot,
  person: Person,
  admin: boolean,
): Promise<SpaceRead<MembershipSnapshot | undefined>> {
  const name = personMembershipName(space.name, person)
  const result = await connection.send({ space: space.name, kind: 'read', label: name }, api =>
    api.getMembership(name, admin),
  )
  if (result.outcome.ok) return { ok: true, value: result.outcome.value, requests: result.attempts }
  if (result.outcome.reason === 'stopped') return stoppedRead(result)
  const error = explainRead(connection, result, name, space.name)
  if (error.code === 'NOT_FOUND') return { ok: true, value: undefined, requests: result.attempts }
  return { ok: false, error, requests: result.attempts, stopped: false }
}

/** Every page of a filtered members.list (joined members only), or only up to the first page that holds one. */
async function readMembers(
  connection: Connection,
  space: string,
  filter: string,
  what: string,
  options: { readonly untilFound?: boolean } = {},
): Promise<SpaceRead<MembershipSnapshot[]>> {
  const found: MembershipSnapshot[] = []
  let requests = 0
  let pageToken: string | undefined
  do {
    const token = pageToken
    const result = await connection.send({ space, kind: 'read', label: `${space} ${what}` }, api =>
      api.listPage({
        space,
        admin: connection.admin,
        filter,
        showGroups: false,
        showInvited: false,
        ...(token !== undefined && { pageToken: token }),
      }),
    )
    requests += result.attempts
    if (!result.outcome.ok) {
      if (result.outcome.reason === 'stopped') return { ...stoppedRead(result), requests }
      return { ok: false, error: explainRead(connection, result, space, space), requests, stopped: false }
    }
    // The filter says ROLE_MANAGER for owners; the state check keeps out an invitation a server might list.
    found.push(
      ...result.outcome.value.memberships.filter(m =>
        filter === JOINED_HUMAN_OWNERS_FILTER ? isJoinedOwner(m) : m.state === undefined || m.state === 'JOINED',
      ),
    )
    if (options.untilFound === true && found.length > 0) break
    pageToken = result.outcome.value.nextPageToken
  } while (pageToken !== undefined && pageToken !== '')
  return { ok: true, value: found, requests }
}

interface EachSpace<T> {
  /** By index of the spaces given. */
  readonly results: readonly SpaceRead<T>[]
  readonly requests: number
  readonly failures: SpaceFailure[]
  readonly stopped: boolean
}

/**
 * One read per space, all queued at once so the scheduler paces them per space and per project. A fatal failure
 * (exit 4, or Google unreachable) stops the scheduler, so nothing more goes out, and is thrown.
 */
async function eachSpace<T>(
  connection: Connection,
  spaces: readonly SpaceSnapshot[],
  read: (space: SpaceSnapshot) => Promise<SpaceRead<T>>,
): Promise<EachSpace<T>> {
  let fatal: ChatRoleError | undefined
  const results = await Promise.all(
    spaces.map(async space => {
      const result = await read(space)
      if (!result.ok && isFatal(connection, result) && fatal === undefined) {
        fatal = result.error
        connection.scheduler.stop(result.error)
      }
      return result
    }),
  )
  if (fatal !== undefined) throw fatal
  const failures: SpaceFailure[] = []
  let requests = 0
  let stopped = false
  results.forEach((result, index) => {
    requests += result.requests
    if (result.ok) return
    if (result.stopped) stopped = true
    else failures.push({ space: spaces[index]?.name ?? '', error: result.error })
  })
  return { results, requests, failures, stopped }
}

/** The credentials failed (exit 4), or Google cannot be reached at all: no other space would fare better. */
function isFatal(connection: Connection, read: SpaceRead<unknown>): boolean {
  if (read.ok || read.stopped) return false
  return read.error.exitCode === EXIT.AUTH || connection.scheduler.unreachable !== undefined
}

function fatalThrown<T>(connection: Connection, read: SpaceRead<T>): SpaceRead<T> {
  if (!read.ok && isFatal(connection, read)) throw read.error
  return read
}

function stoppedRead(result: Scheduled<unknown>): SpaceRead<never> {
  return {
    ok: false,
    error: new ChatRoleError('INTERRUPTED', 'not read: the run was stopped first'),
    requests: result.attempts,
    stopped: true,
  }
}

// ---- what failures say ----

/** A failed read of one space or membership; a 403 on a membership read says "read", not "change". */
function explainRead(
  connection: Connection,
  result: Scheduled<unknown>,
  subject: string,
  space: string,
): ChatRoleError {
  const error = failureOf(result)
  const mapped = connection.explain(error, subject, space, result.attempts)
  if (mapped.code !== 'PERMISSION_DENIED' || subject === space) return mapped
  return new ChatRoleError('PERMISSION_DENIED', `not allowed to read ${subject}`, {
    hint: connection.admin
      ? 'your account needs the Workspace admin privilege "Manage Chat and spaces conversations"'
      : `only members of ${space} can read its members; a Workspace admin can use --admin`,
    cause: error,
  })
}

/** A failed page of spaces.list or spaces.search: always fatal, since nothing can be discovered without it. */
function explainSpacesFailure(
  connection: Connection,
  result: Scheduled<unknown>,
  what: 'list' | 'search',
): ChatRoleError {
  const error = failureOf(result)
  const subject = what === 'search' ? "the search of the organisation's spaces" : 'the list of your spaces'
  const mapped = connection.explain(error, subject, SPACES_LANE, result.attempts)
  if (mapped.code === 'SCOPE_MISSING') return spacesScopeError(connection.session, what)
  if (mapped.code === 'PERMISSION_DENIED') {
    return new ChatRoleError(
      'PERMISSION_DENIED',
      what === 'search' ? "not allowed to search the organisation's spaces" : 'not allowed to list your spaces',
      {
        hint:
          what === 'search'
            ? 'your account needs the Workspace admin privilege "Manage Chat and spaces conversations"'
            : 'act as a user (not as the Chat app), or as a Workspace admin with --admin',
        cause: error,
      },
    )
  }
  return mapped
}

function failureOf(result: Scheduled<unknown>): unknown {
  return result.outcome.ok ? undefined : result.outcome.error
}

/** Who the credentials are, as the subject of a sentence. */
function credentialSubject(session: Session): string {
  const { credential } = session
  if (credential.serviceAccount !== undefined) return `the service account ${credential.serviceAccount}`
  switch (credential.source) {
    case 'profile':
      return `the sign-in for profile "${credential.profile ?? 'default'}"`
    case 'adc':
      return `the sign-in in ${credential.file ?? 'GOOGLE_APPLICATION_CREDENTIALS'} (GOOGLE_APPLICATION_CREDENTIALS)`
    case 'metadata':
      return 'the Compute Engine service account'
    case 'key-file':
      return `the key in ${credential.file ?? '--key-file'}`
    case 'emulator-default':
      return "the emulator's default caller"
  }
}

/**
 * The scope spaces.list or spaces.search needs is missing. chat-role's own sign-in and its service-account
 * tokens ask for the membership scopes only, so the hint points at a sign-in that can carry it.
 */
function spacesScopeError(session: Session, what: 'list' | 'search'): ChatRoleError {
  const scope = what === 'search' ? 'chat.admin.spaces.readonly' : 'chat.spaces.readonly'
  const doing = what === 'search' ? "searching the organisation's spaces" : 'listing spaces'
  const hint =
    session.credential.serviceAccount !== undefined
      ? `allow ${scope} to the service account's client in the Admin console (Security, API controls, Domain-wide delegation)`
      : `sign in again, so that the sign-in carries it: ${session.loginCommand}${what === 'search' && !session.loginCommand.includes('--admin') ? ' --admin' : ''}`
  return new ChatRoleError(
    'SCOPE_MISSING',
    `${credentialSubject(session)} does not allow ${doing} (it lacks ${scope})`,
    {
      hint,
    },
  )
}
