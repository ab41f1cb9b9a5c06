// The JSON credential files chat-role reads: gcloud's `authorized_user` format (what `auth login` writes
// and `gcloud auth application-default login` writes too) and Google service-account keys. Parsing only:
// no I/O, no Google library. Messages name the file and never quote a secret.
import { ChatRoleError } from '../errors.js'
import { parseScopeList } from './scopes.js'

export interface AuthorizedUser {
  readonly type: 'authorized_user'
  readonly clientId: string
  readonly clientSecret: string
  readonly refreshToken: string
  /** The signed-in account when known (tokeninfo email or the login hint). */
  readonly account?: string
  /** Scopes granted at sign-in (absent in files gcloud writes). */
  readonly scopes?: readonly string[]
  readonly profile?: string
  /** ISO time of sign-in. */
  readonly created?: string
  /** gcloud ADC files may carry a quota project; it is sent as x-goog-user-project. */
  readonly quotaProjectId?: string
}

export interface ServiceAccountKey {
  readonly type: 'service_account'
  readonly clientEmail: string
  readonly clientId?: string
  readonly privateKey: string
  readonly privateKeyId?: string
  readonly projectId?: string
}

export type CredentialFile = AuthorizedUser | ServiceAccountKey

type Json = Readonly<Record<string, unknown>>

export function parseJsonObject(text: string, file: string, what: string): Json {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ChatRoleError('INPUT', `${file} is not JSON, so it cannot be ${what}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ChatRoleError('INPUT', `${file} is not a JSON object, so it cannot be ${what}`)
  }
  return value as Json
}

const text = (json: Json, key: string): string | undefined => {
  const value = json[key]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** Reads an authorized_user or service_account file; other types are refused with what they are. */
export function parseCredentialFile(content: string, file: string): CredentialFile {
  const json = parseJsonObject(content, file, 'a credentials file')
  const type = text(json, 'type')
  if (type === 'authorized_user') return parseAuthorizedUser(json, file)
  if (type === 'service_account') return parseServiceAccount(json, file)
  if (json.installed !== undefined || json.web !== undefined) {
    throw new ChatRoleError('AUTH_REQUIRED', `${file} is an OAuth client secrets file, not credentials`, {
      hint: `sign in with it: chat-role auth login --client-secrets ${file}`,
    })
  }
  throw new ChatRoleError(
    'AUTH_REQUIRED',
    `${file} holds credentials of type "${type ?? 'unknown'}", which chat-role cannot use`,
    {
      hint: 'use an "authorized_user" file (chat-role auth login, or gcloud auth application-default login) or a "service_account" key',
    },
  )
}

function parseAuthorizedUser(json: Json, file: string): AuthorizedUser {
  const clientId = text(json, 'client_id')
  const clientSecret = text(json, 'client_secret')
  const refreshToken = text(json, 'refresh_token')
  if (clientId === undefined || clientSecret === undefined || refreshToken === undefined) {
    const missing = [
      clientId === undefined && 'client_id',
      clientSecret === undefined && 'client_secret',
      refreshToken === undefined && 'refresh_token',
    ].filter(field => field !== false)
    throw new ChatRoleError('AUTH_REQUIRED', `${file} lacks ${missing.join(', ')}, so it cannot sign in`, {
      hint: 'sign in again: chat-role auth login',
    })
  }
  const scopes = Array.isArray(json.scopes)
    ? parseScopeList(json.scopes.filter((item): item is string => typeof item === 'string'))
    : typeof json.scopes === 'string'
      ? parseScopeList(json.scopes)
      : undefined
  const account = text(json, 'account')
  const profile = text(json, 'profile')
  const created = text(json, 'created')
  const quotaProjectId = text(json, 'quota_project_id')
  return {
    type: 'authorized_user',
    clientId,
    clientSecret,
    refreshToken,
    ...(account !== undefined && { account }),
    ...(scopes !== undefined && { scopes }),
    ...(profile !== undefined && { profile }),
    ...(created !== undefined && { created }),
    ...(quotaProjectId !== undefined && { quotaProjectId }),
  }
}

function parseServiceAccount(json: Json, file: string): ServiceAccountKey {
  const clientEmail = text(json, 'client_email')
  const privateKey = text(json, 'private_key')
  if (clientEmail === undefined || privateKey === undefined) {
    throw new ChatRoleError('AUTH_REQUIRED', `${file} is a service-account key without client_email or private_key`, {
      hint: 'create a new JSON key: Google Cloud console → IAM & Admin → Service accounts → Keys → Add key',
    })
  }
  const clientId = text(json, 'client_id')
  const privateKeyId = text(json, 'private_key_id')
  const projectId = text(json, 'project_id')
  return {
    type: 'service_account',
    clientEmail,
    privateKey,
    ...(clientId !== undefined && { clientId }),
    ...(privateKeyId !== undefined && { privateKeyId }),
    ...(projectId !== undefined && { projectId }),
  }
}

/** The file `auth login` writes: gcloud's authorized_user fields first, then ours. Never an access token. */
export function serializeAuthorizedUser(credentials: AuthorizedUser): string {
  const document = {
    type: 'authorized_user',
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
    refresh_token: credentials.refreshToken,
    ...(credentials.quotaProjectId !== undefined && { quota_project_id: credentials.quotaProjectId }),
    ...(credentials.account !== undefined && { account: credentials.account }),
    ...(credentials.scopes !== undefined && { scopes: credentials.scopes }),
    ...(credentials.profile !== undefined && { profile: credentials.profile }),
    ...(credentials.created !== undefined && { created: credentials.created }),
  }
  return `${JSON.stringify(document, null, 2)}\n`
}
