// Which credentials a command uses, in a fixed order that never touches the network:
//   1. a service-account key, when --impersonate or --as-app asks for one (--key-file, else
//      GOOGLE_APPLICATION_CREDENTIALS), or the Compute Engine identity with --use-metadata-server;
//   2. the profile named by --profile or CHAT_ROLE_PROFILE;
//   3. Application Default Credentials from GOOGLE_APPLICATION_CREDENTIALS (authorized_user file);
//   4. the "default" profile;
//   5. with CHAT_EMULATOR_HOST, the emulator's default caller.
// Otherwise: not signed in (exit 4). gcloud's own ADC file and the metadata server are never probed.
import { readFile } from 'node:fs/promises'
import { ChatRoleError } from '../errors.js'
import { DEFAULT_PROFILE, namedProfile, nonEmpty } from './config-paths.js'
import { parseCredentialFile, type AuthorizedUser, type ServiceAccountKey } from './credential-files.js'
import { assertPrivateFile, readStoredSignIn } from './credential-store.js'
import { resolveEndpoints } from './endpoints.js'

type Env = Readonly<Record<string, string | undefined>>

export interface SessionRequest {
  /** --profile (CHAT_ROLE_PROFILE is read from the environment here, not by commander). */
  readonly profile?: string
  /** Acting with Workspace administrator privileges (useAdminAccess, chat.admin.memberships). */
  readonly admin: boolean
  /** With a service-account key: act as this user (domain-wide delegation). */
  readonly impersonate?: string
  /** With a service-account key: act as the Chat app (chat.app.memberships). */
  readonly asApp: boolean
  /** The service-account key for --impersonate or --as-app; default GOOGLE_APPLICATION_CREDENTIALS. */
  readonly keyFile?: string
  /** Use the Compute Engine metadata server's service account (with --as-app); never used unasked. */
  readonly useMetadataServer?: boolean
  /**
   * The command finds spaces (spaces.list or search): a service-account token asks for the read-only spaces
   * scope too. Only then, so a delegation granted the membership scopes alone keeps working for the rest.
   */
  readonly spaces?: boolean
}

export type CredentialSource =
  | { readonly kind: 'profile'; readonly profile: string; readonly file: string; readonly credentials: AuthorizedUser }
  | { readonly kind: 'adc-user'; readonly file: string; readonly credentials: AuthorizedUser }
  | {
      readonly kind: 'service-account'
      readonly file: string
      readonly from: 'key-file' | 'adc'
      readonly key: ServiceAccountKey
    }
  | { readonly kind: 'metadata' }
  | { readonly kind: 'emulator-default'; readonly origin: string }

/**
 * Which credentials were chosen and why, for --verbose: names files and sources, never a secret (the
 * source holds a refresh token or a private key; only its file, profile and account are read here).
 */
export function describeCredentialSource(source: CredentialSource, request: SessionRequest, env: Env): string {
  switch (source.kind) {
    case 'service-account': {
      const acting = request.impersonate !== undefined ? `--impersonate ${request.impersonate}` : '--as-app'
      const origin = source.from === 'key-file' ? '--key-file' : 'GOOGLE_APPLICATION_CREDENTIALS'
      return `credentials: the service-account key of ${source.key.clientEmail} in ${source.file} (${origin}), for ${acting}`
    }
    case 'metadata':
      return 'credentials: the Compute Engine service account from the metadata server (--as-app --use-metadata-server)'
    case 'profile': {
      const why =
        request.profile !== undefined
          ? 'named by --profile'
          : nonEmpty(env.CHAT_ROLE_PROFILE) !== undefined
            ? 'named by CHAT_ROLE_PROFILE'
            : 'the default: no --profile, CHAT_ROLE_PROFILE or GOOGLE_APPLICATION_CREDENTIALS'
      const account = source.credentials.account === undefined ? '' : ` of ${source.credentials.account}`
      return `credentials: the stored sign-in${account} for profile "${source.profile}" in ${source.file} (${why})`
    }
    case 'adc-user': {
      const account = source.credentials.account === undefined ? '' : ` of ${source.credentials.account}`
      return `credentials: the sign-in${account} in ${source.file} (GOOGLE_APPLICATION_CREDENTIALS; no --profile or CHAT_ROLE_PROFILE)`
    }
    case 'emulator-default':
      return `credentials: the emulator's default caller at ${source.origin} (CHAT_EMULATOR_HOST is set and no sign-in is stored)`
  }
}

/** The `auth login` command that signs this profile in again, with the scopes it needs. */
export function loginCommandFor(
  profile: string | undefined,
  flags: { readonly admin: boolean; readonly import?: boolean },
): string {
  const words = ['chat-role auth login']
  if (profile !== undefined && profile !== DEFAULT_PROFILE) words.push(`--profile ${profile}`)
  if (flags.admin) words.push('--admin')
  if (flags.import === true) words.push('--import')
  return words.join(' ')
}

function usage(message: string, hint?: string): ChatRoleError {
  return new ChatRoleError('USAGE', message, hint === undefined ? {} : { hint })
}

export function checkRequest(request: SessionRequest): void {
  if (request.asApp && request.impersonate !== undefined) {
    throw usage(
      '--as-app and --impersonate exclude each other',
      'act as the Chat app (--as-app) or as a user (--impersonate), not both',
    )
  }
  if (request.asApp && request.admin) {
    throw usage(
      '--admin cannot be used with --as-app',
      'administrator access is user authentication: use --impersonate ADMIN_EMAIL --admin, or a signed-in admin',
    )
  }
  if (request.impersonate !== undefined && !/^[^@\s]+@[^@\s]+$/.test(request.impersonate)) {
    throw usage(`--impersonate takes a user's email, not "${request.impersonate}"`)
  }
  if (request.useMetadataServer === true && !request.asApp) {
    throw usage(
      '--use-metadata-server needs --as-app',
      'the Compute Engine identity is a service account, which can act only as the Chat app; to act as a user, use a key file with --impersonate',
    )
  }
  if (request.useMetadataServer === true && request.keyFile !== undefined) {
    throw usage('--use-metadata-server and --key-file exclude each other')
  }
  const keyMode = request.asApp || request.impersonate !== undefined
  if (keyMode && request.profile !== undefined) {
    throw usage(
      `--profile cannot be combined with ${request.asApp ? '--as-app' : '--impersonate'}`,
      'a stored sign-in acts as the user who signed in; a service-account key acts as the app or the impersonated user',
    )
  }
  if (!keyMode && request.keyFile !== undefined) {
    throw usage(
      '--key-file needs --impersonate USER or --as-app',
      'a service-account key acts as a user of the domain (--impersonate) or as the Chat app (--as-app)',
    )
  }
}

/** A key or sign-in file named by a flag or GOOGLE_APPLICATION_CREDENTIALS: private, like a stored profile. */
async function readCredentialFile(file: string, origin: string) {
  let content: string
  try {
    await assertPrivateFile(file)
    content = await readFile(file, 'utf8')
  } catch (error) {
    if (error instanceof ChatRoleError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new ChatRoleError('AUTH_REQUIRED', `cannot read ${file} named by ${origin} (${code ?? 'error'})`, {
      hint: code === 'ENOENT' ? `fix the path or unset ${origin}` : undefined,
      cause: error,
    })
  }
  return parseCredentialFile(content, file)
}

export async function resolveCredentialSource(request: SessionRequest, env: Env): Promise<CredentialSource> {
  checkRequest(request)
  const adcFile = nonEmpty(env.GOOGLE_APPLICATION_CREDENTIALS)

  if (request.asApp || request.impersonate !== undefined) {
    if (request.useMetadataServer === true) return { kind: 'metadata' }
    const keyFile = nonEmpty(request.keyFile) ?? adcFile
    if (keyFile === undefined) {
      throw new ChatRoleError(
        'AUTH_REQUIRED',
        `${request.asApp ? '--as-app' : '--impersonate'} needs a service-account key`,
        {
          hint: 'pass its JSON file with --key-file FILE, or set GOOGLE_APPLICATION_CREDENTIALS=FILE',
        },
      )
    }
    const origin = request.keyFile !== undefined ? '--key-file' : 'GOOGLE_APPLICATION_CREDENTIALS'
    const parsed = await readCredentialFile(keyFile, origin)
    if (parsed.type !== 'service_account') {
      throw new ChatRoleError(
        'AUTH_REQUIRED',
        `${keyFile} (${origin}) holds a user's sign-in, not a service-account key`,
        {
          hint: `${request.asApp ? '--as-app' : '--impersonate'} needs a service-account key; without it, run the command as the signed-in user`,
        },
      )
    }
    return {
      kind: 'service-account',
      file: keyFile,
      from: request.keyFile !== undefined ? 'key-file' : 'adc',
      key: parsed,
    }
  }

  const profile = namedProfile(request.profile, env)
  if (profile !== undefined) {
    const stored = await readStoredSignIn(profile, env)
    if (stored === undefined) {
      throw new ChatRoleError('AUTH_REQUIRED', `no sign-in is stored for profile "${profile}"`, {
        hint: `run ${loginCommandFor(profile, request)}, or see chat-role auth list`,
      })
    }
    return { kind: 'profile', profile, file: stored.file, credentials: stored.credentials }
  }

  if (adcFile !== undefined) {
    const parsed = await readCredentialFile(adcFile, 'GOOGLE_APPLICATION_CREDENTIALS')
    if (parsed.type === 'service_account') {
      throw new ChatRoleError(
        'AUTH_REQUIRED',
        `GOOGLE_APPLICATION_CREDENTIALS is a service-account key (${parsed.clientEmail}), which acts only through --impersonate or --as-app`,
        {
          hint: 'add --impersonate USER_EMAIL (domain-wide delegation) or --as-app (Chat app), or unset GOOGLE_APPLICATION_CREDENTIALS to use your own sign-in',
        },
      )
    }
    return { kind: 'adc-user', file: adcFile, credentials: parsed }
  }

  const stored = await readStoredSignIn(DEFAULT_PROFILE, env)
  if (stored !== undefined)
    return { kind: 'profile', profile: DEFAULT_PROFILE, file: stored.file, credentials: stored.credentials }

  const origin = resolveEndpoints(env).emulatorOrigin
  if (origin !== undefined) return { kind: 'emulator-default', origin }

  throw new ChatRoleError('AUTH_REQUIRED', 'not signed in', {
    hint: `run ${loginCommandFor(undefined, request)} (or set GOOGLE_APPLICATION_CREDENTIALS for unattended use)`,
  })
}
