// The seed (`--state FILE`): its JSON shape, validation that names the first problem by JSON path,
// and the normalized form (defaults filled in, references resolved) the state is built from.
import type { DirectoryServiceAccount, DirectoryUser } from '../oauth/contract.js'
import type { Affiliation, HistoryState, MembershipRole, SpaceType } from './enums.js'

export type SpaceHistoryState = Exclude<HistoryState, 'HISTORY_STATE_UNSPECIFIED'>

export interface SeedUser {
  readonly id: string
  readonly email?: string
  readonly displayName?: string
  readonly admin?: boolean
  readonly type?: 'HUMAN' | 'BOT'
  readonly affiliation?: Exclude<Affiliation, 'AFFILIATION_UNSPECIFIED'>
}

export interface SeedMembership {
  /** A user id, or the email of a seeded user. */
  readonly user?: string
  /** `groups/{group}`. */
  readonly group?: string
  readonly role?: MembershipRole
  readonly state?: 'JOINED' | 'INVITED'
  readonly createTime?: string
}

export interface SeedSpace {
  readonly id: string
  readonly displayName?: string
  readonly spaceType?: Exclude<SpaceType, 'SPACE_TYPE_UNSPECIFIED'>
  readonly importMode?: boolean
  /** User id of the Chat app (a BOT) that created the space: app authentication may patch only here. */
  readonly createdBy?: string
  readonly createTime?: string
  /** Time of the last message; default createTime. Searched by spaces.search's last_active_time. */
  readonly lastActiveTime?: string
  readonly externalUserAllowed?: boolean
  /** Whether history is on; default HISTORY_ON. */
  readonly spaceHistoryState?: SpaceHistoryState
  readonly memberships?: readonly SeedMembership[]
}

export interface SeedServiceAccount {
  readonly clientEmail: string
  readonly appUser?: string
  readonly domainWideDelegation?: boolean
}

/** Behaviour switches that can live in the seed as well as on the command line. */
export interface SeedSettings {
  readonly allowPatchEmailAlias?: boolean
  readonly allowInvitedRoleChange?: boolean
  readonly nonMemberStatus?: 403 | 404
}

export interface Seed {
  readonly users?: readonly SeedUser[]
  readonly spaces?: readonly SeedSpace[]
  /** Who the `owner` token acts as: a user id or email. */
  readonly defaultCaller?: string
  /** The BOT user that is this project's Chat app (`spaces/S/members/app` under user auth). */
  readonly app?: string
  readonly serviceAccounts?: readonly SeedServiceAccount[]
  readonly settings?: SeedSettings
}

export interface UserRecord extends DirectoryUser {
  readonly affiliation?: Exclude<Affiliation, 'AFFILIATION_UNSPECIFIED'>
}

export interface MembershipSeedRecord {
  /** `{member}` in `spaces/{space}/members/{member}`: a user id or a group id. */
  readonly memberId: string
  readonly kind: 'HUMAN' | 'BOT' | 'GROUP'
  readonly role: MembershipRole
  readonly state: 'JOINED' | 'INVITED'
  readonly createTime: string
}

export interface SpaceSeedRecord {
  readonly id: string
  readonly displayName?: string
  readonly spaceType: Exclude<SpaceType, 'SPACE_TYPE_UNSPECIFIED'>
  readonly importMode: boolean
  readonly createdBy?: string
  readonly createTime: string
  readonly lastActiveTime: string
  readonly externalUserAllowed: boolean
  readonly spaceHistoryState: SpaceHistoryState
  readonly memberships: readonly MembershipSeedRecord[]
}

export interface ValidSeed {
  readonly users: readonly UserRecord[]
  readonly spaces: readonly SpaceSeedRecord[]
  readonly defaultCaller: string
  readonly app?: string
  readonly serviceAccounts: readonly DirectoryServiceAccount[]
  readonly settings: SeedSettings
}

export class SeedError extends Error {
  readonly path: string
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`)
    this.name = 'SeedError'
    this.path = path
  }
}

const DEFAULT_CREATE_TIME = '2025-01-06T09:00:00Z'
/** URL-safe identifiers: unreserved characters only, so names never need escaping. */
const ID = /^[A-Za-z0-9._~-]+$/
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

type Json = Readonly<Record<string, unknown>>

function object(value: unknown, path: string, keys: readonly string[]): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new SeedError(path, 'expected an object')
  for (const key of Object.keys(value)) {
    if (!keys.includes(key))
      throw new SeedError(`${path}.${key}`, `unknown field (expected one of: ${keys.join(', ')})`)
  }
  return value as Json
}

function array(value: unknown, path: string): readonly unknown[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new SeedError(path, 'expected an array')
  return value
}

function string(value: unknown, path: string, pattern?: RegExp, hint?: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '') throw new SeedError(path, 'expected a non-empty string')
  if (pattern !== undefined && !pattern.test(value))
    throw new SeedError(path, `${JSON.stringify(value)} is not ${hint ?? 'valid'}`)
  return value
}

function boolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'boolean') throw new SeedError(path, 'expected true or false')
  return value
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new SeedError(path, `expected one of ${allowed.join(', ')}`)
  }
  return value as T
}

function validateUsers(raw: unknown): { users: UserRecord[]; byKey: Map<string, UserRecord> } {
  const users: UserRecord[] = []
  const byKey = new Map<string, UserRecord>()
  array(raw, '$.users').forEach((entry, index) => {
    const path = `$.users[${index}]`
    const user = object(entry, path, ['id', 'email', 'displayName', 'admin', 'type', 'affiliation'])
    const id = string(user['id'], `${path}.id`, ID, 'a user id (letters, digits, . _ ~ -)')
    if (id === undefined) throw new SeedError(`${path}.id`, 'required')
    if (byKey.has(id)) throw new SeedError(`${path}.id`, `duplicate user id ${JSON.stringify(id)}`)
    const email = string(user['email'], `${path}.email`, /^[^@\s/]+@[^@\s/]+$/, 'an email address')
    if (email !== undefined && byKey.has(email.toLowerCase())) {
      throw new SeedError(`${path}.email`, `duplicate email ${JSON.stringify(email)}`)
    }
    const displayName = string(user['displayName'], `${path}.displayName`)
    const type = oneOf(user['type'], `${path}.type`, ['HUMAN', 'BOT'] as const) ?? 'HUMAN'
    const admin = boolean(user['admin'], `${path}.admin`) ?? false
    if (admin && type === 'BOT') throw new SeedError(`${path}.admin`, 'a Chat app (BOT) cannot be an administrator')
    const affiliation = oneOf(user['affiliation'], `${path}.affiliation`, [
      'INTERNAL',
      'EXTERNAL',
      'MANAGED_EXTERNAL',
    ] as const)
    const record: UserRecord = {
      id,
      type,
      admin,
      ...(email === undefined ? {} : { email }),
      ...(displayName === undefined ? {} : { displayName }),
      ...(affiliation === undefined ? {} : { affiliation }),
    }
    users.push(record)
    byKey.set(id, record)
    if (email !== undefined) byKey.set(email.toLowerCase(), record)
  })
  return { users, byKey }
}

const ROLES = ['ROLE_MEMBER', 'ROLE_ASSISTANT_MANAGER', 'ROLE_MANAGER'] as const

export function validateSeed(input: unknown): ValidSeed {
  const root = object(input, '$', ['users', 'spaces', 'defaultCaller', 'app', 'serviceAccounts', 'settings'])
  const { users, byKey } = validateUsers(root['users'])
  const implicitUser = (id: string): UserRecord => {
    const record: UserRecord = { id, type: 'HUMAN', admin: false }
    users.push(record)
    byKey.set(id, record)
    return record
  }
  const findBot = (value: unknown, path: string): string | undefined => {
    const key = string(value, path)
    if (key === undefined) return undefined
    const user = byKey.get(key.includes('@') ? key.toLowerCase() : key)
    if (user?.type !== 'BOT') throw new SeedError(path, `${JSON.stringify(key)} is not a user of type BOT in $.users`)
    return user.id
  }

  const spaceIds = new Set<string>()
  const spaces = array(root['spaces'], '$.spaces').map((entry, index): SpaceSeedRecord => {
    const path = `$.spaces[${index}]`
    const space = object(entry, path, [
      'id',
      'displayName',
      'spaceType',
      'importMode',
      'createdBy',
      'createTime',
      'lastActiveTime',
      'externalUserAllowed',
      'spaceHistoryState',
      'memberships',
    ])
    const id = string(space['id'], `${path}.id`, ID, 'a space id (letters, digits, . _ ~ -)')
    if (id === undefined) throw new SeedError(`${path}.id`, 'required')
    if (spaceIds.has(id)) throw new SeedError(`${path}.id`, `duplicate space id ${JSON.stringify(id)}`)
    spaceIds.add(id)
    const spaceType =
      oneOf(space['spaceType'], `${path}.spaceType`, ['SPACE', 'GROUP_CHAT', 'DIRECT_MESSAGE'] as const) ?? 'SPACE'
    const importMode = boolean(space['importMode'], `${path}.importMode`) ?? false
    if (importMode && spaceType === 'DIRECT_MESSAGE') {
      throw new SeedError(`${path}.importMode`, 'import mode supports spaceType SPACE and GROUP_CHAT only')
    }
    const createTime =
      string(space['createTime'], `${path}.createTime`, RFC3339, 'an RFC 3339 timestamp') ?? DEFAULT_CREATE_TIME
    const displayName = string(space['displayName'], `${path}.displayName`)
    const createdBy = findBot(space['createdBy'], `${path}.createdBy`)
    const lastActiveTime =
      string(space['lastActiveTime'], `${path}.lastActiveTime`, RFC3339, 'an RFC 3339 timestamp') ?? createTime
    const externalUserAllowed = boolean(space['externalUserAllowed'], `${path}.externalUserAllowed`) ?? false
    const spaceHistoryState =
      oneOf(space['spaceHistoryState'], `${path}.spaceHistoryState`, ['HISTORY_ON', 'HISTORY_OFF'] as const) ??
      'HISTORY_ON'
    const memberIds = new Set<string>()
    const memberships = array(space['memberships'], `${path}.memberships`).map((item, position) => {
      const at = `${path}.memberships[${position}]`
      const membership = object(item, at, ['user', 'group', 'role', 'state', 'createTime'])
      const userKey = string(membership['user'], `${at}.user`)
      const group = string(
        membership['group'],
        `${at}.group`,
        /^groups\/[A-Za-z0-9._~-]+$/,
        'a group name (groups/{group})',
      )
      if ((userKey === undefined) === (group === undefined))
        throw new SeedError(at, 'needs exactly one of "user" or "group"')
      const state = oneOf(membership['state'], `${at}.state`, ['JOINED', 'INVITED'] as const) ?? 'JOINED'
      const memberCreateTime =
        string(membership['createTime'], `${at}.createTime`, RFC3339, 'an RFC 3339 timestamp') ?? createTime
      let record: MembershipSeedRecord
      if (group !== undefined) {
        const role = oneOf(membership['role'], `${at}.role`, ['MEMBERSHIP_ROLE_UNSPECIFIED'] as const)
        record = {
          memberId: group.slice('groups/'.length),
          kind: 'GROUP',
          role: role ?? 'MEMBERSHIP_ROLE_UNSPECIFIED',
          state,
          createTime: memberCreateTime,
        }
      } else {
        const key = userKey ?? ''
        let user = byKey.get(key.includes('@') ? key.toLowerCase() : key)
        if (user === undefined) {
          if (!ID.test(key))
            throw new SeedError(
              `${at}.user`,
              `${JSON.stringify(key)} is neither a user id nor the email of a user in $.users`,
            )
          user = implicitUser(key)
        }
        const role = oneOf(membership['role'], `${at}.role`, ROLES) ?? 'ROLE_MEMBER'
        if (role !== 'ROLE_MEMBER' && spaceType !== 'SPACE') {
          throw new SeedError(`${at}.role`, `only ROLE_MEMBER exists in a ${spaceType}`)
        }
        if (user.type === 'BOT' && (role !== 'ROLE_MEMBER' || state !== 'JOINED')) {
          throw new SeedError(at, 'a Chat app (BOT) membership is always JOINED with ROLE_MEMBER')
        }
        record = { memberId: user.id, kind: user.type, role, state, createTime: memberCreateTime }
      }
      if (memberIds.has(record.memberId))
        throw new SeedError(at, `duplicate member ${JSON.stringify(record.memberId)} in this space`)
      memberIds.add(record.memberId)
      return record
    })
    return {
      id,
      spaceType,
      importMode,
      createTime,
      lastActiveTime,
      externalUserAllowed,
      spaceHistoryState,
      memberships,
      ...(displayName === undefined ? {} : { displayName }),
      ...(createdBy === undefined ? {} : { createdBy }),
    }
  })

  const callerKey = string(root['defaultCaller'], '$.defaultCaller')
  let defaultCaller: string | undefined
  if (callerKey === undefined) {
    defaultCaller = (
      users.find(user => user.type === 'HUMAN' && user.admin) ?? users.find(user => user.type === 'HUMAN')
    )?.id
    if (defaultCaller === undefined)
      throw new SeedError('$.defaultCaller', 'no human user to act as; add one to $.users')
  } else {
    const user = byKey.get(callerKey.includes('@') ? callerKey.toLowerCase() : callerKey)
    if (user?.type !== 'HUMAN')
      throw new SeedError('$.defaultCaller', `${JSON.stringify(callerKey)} is not a human user of this seed`)
    defaultCaller = user.id
  }

  const app = findBot(root['app'], '$.app') ?? users.find(user => user.type === 'BOT')?.id
  const clientEmails = new Set<string>()
  const serviceAccounts = array(root['serviceAccounts'], '$.serviceAccounts').map(
    (entry, index): DirectoryServiceAccount => {
      const path = `$.serviceAccounts[${index}]`
      const account = object(entry, path, ['clientEmail', 'appUser', 'domainWideDelegation'])
      const clientEmail = string(account['clientEmail'], `${path}.clientEmail`, /^[^@\s]+@[^@\s]+$/, 'an email address')
      if (clientEmail === undefined) throw new SeedError(`${path}.clientEmail`, 'required')
      if (clientEmails.has(clientEmail.toLowerCase()))
        throw new SeedError(`${path}.clientEmail`, `duplicate ${JSON.stringify(clientEmail)}`)
      clientEmails.add(clientEmail.toLowerCase())
      const appUser = findBot(account['appUser'], `${path}.appUser`)
      const domainWideDelegation = boolean(account['domainWideDelegation'], `${path}.domainWideDelegation`) ?? false
      return { clientEmail, domainWideDelegation, ...(appUser === undefined ? {} : { appUser }) }
    },
  )

  const settingsInput =
    root['settings'] === undefined
      ? {}
      : object(root['settings'], '$.settings', ['allowPatchEmailAlias', 'allowInvitedRoleChange', 'nonMemberStatus'])
  const nonMemberStatus = settingsInput['nonMemberStatus']
  if (nonMemberStatus !== undefined && nonMemberStatus !== 403 && nonMemberStatus !== 404) {
    throw new SeedError('$.settings.nonMemberStatus', 'expected 403 or 404')
  }
  const allowPatchEmailAlias = boolean(settingsInput['allowPatchEmailAlias'], '$.settings.allowPatchEmailAlias')
  const allowInvitedRoleChange = boolean(settingsInput['allowInvitedRoleChange'], '$.settings.allowInvitedRoleChange')
  const settings: SeedSettings = {
    ...(allowPatchEmailAlias === undefined ? {} : { allowPatchEmailAlias }),
    ...(allowInvitedRoleChange === undefined ? {} : { allowInvitedRoleChange }),
    ...(nonMemberStatus === undefined ? {} : { nonMemberStatus }),
  }

  return { users, spaces, defaultCaller, serviceAccounts, settings, ...(app === undefined ? {} : { app }) }
}

/** Parses seed file text; JSON syntax errors are reported at `$`. */
export function parseSeedText(text: string): ValidSeed {
  let input: unknown
  try {
    input = JSON.parse(text)
  } catch (error) {
    throw new SeedError('$', `not valid JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  return validateSeed(input)
}
