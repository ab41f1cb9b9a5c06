// Stored sign-ins: one authorized_user file per profile under the config folder. The folder is 0700,
// each file 0600 and written atomically (temp file, fsync, rename), so a crash or a parallel run never
// sees half a file. Files are written at sign-in only, never when an access token is refreshed.
//
// One rule for every file that grants access (a refresh token or a private key), wherever it comes from
// (a stored profile, GOOGLE_APPLICATION_CREDENTIALS, --key-file): refused when other users may read or
// change it, as ssh refuses a loose private key. The OAuth client file of an installed app is not a
// secret (Google says so), so client-secrets.ts reads it without this check.
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { ChatRoleError } from '../errors.js'
import { credentialsDir, credentialsPath, DEFAULT_PROFILE } from './config-paths.js'
import { parseCredentialFile, serializeAuthorizedUser, type AuthorizedUser } from './credential-files.js'

type Env = Readonly<Record<string, string | undefined>>

export interface StoredSignIn {
  readonly profile: string
  readonly file: string
  readonly credentials: AuthorizedUser
}

const checksModes = process.platform !== 'win32'

/** Refuses a file that is not a regular file or that group or others may read or write (not on Windows). */
export async function assertPrivateFile(file: string): Promise<void> {
  const info = await stat(file)
  if (!info.isFile()) throw new ChatRoleError('AUTH_REQUIRED', `${file} is not a regular file`)
  if (checksModes && (info.mode & 0o077) !== 0) {
    throw new ChatRoleError(
      'AUTH_REQUIRED',
      `${file} can be read or changed by other users (mode ${(info.mode & 0o777).toString(8)}), so chat-role will not use it`,
      { hint: `chmod 600 ${file}` },
    )
  }
}

/** The stored sign-in of a profile; undefined when there is none. `checkMode: false` is for logout only. */
export async function readStoredSignIn(
  profile: string,
  env: Env,
  options: { readonly checkMode?: boolean } = {},
): Promise<StoredSignIn | undefined> {
  const file = credentialsPath(profile, env)
  let content: string
  try {
    if (options.checkMode !== false) await assertPrivateFile(file)
    content = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const again = `chat-role auth login${profile === DEFAULT_PROFILE ? '' : ` --profile ${profile}`}`
  let credentials
  try {
    credentials = parseCredentialFile(content, file)
  } catch (error) {
    // The parser knows the file, not the profile: the hint names the profile to sign in again.
    if (!(error instanceof ChatRoleError)) throw error
    throw new ChatRoleError(error.code, error.message, { hint: `sign in again: ${again}`, cause: error })
  }
  if (credentials.type !== 'authorized_user') {
    throw new ChatRoleError('AUTH_REQUIRED', `${file} is not a stored sign-in (type ${credentials.type})`, {
      hint: `remove it and sign in again: ${again}`,
    })
  }
  return { profile, file, credentials }
}

/** Writes a sign-in atomically with mode 0600 in a 0700 folder. Returns the file. */
export async function saveStoredSignIn(profile: string, credentials: AuthorizedUser, env: Env): Promise<string> {
  const file = credentialsPath(profile, env)
  const folder = dirname(file)
  await mkdir(folder, { recursive: true, mode: 0o700 })
  if (checksModes) await chmod(folder, 0o700)
  const temp = join(folder, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(temp, 'wx', 0o600)
  try {
    try {
      await handle.writeFile(serializeAuthorizedUser(credentials), 'utf8')
      if (checksModes) await handle.chmod(0o600)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, file)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  await syncFolder(folder)
  return file
}

/** Makes the rename durable; folders cannot be opened for fsync on every platform, so failures are ignored. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // Best effort (Windows, some network file systems).
  }
}

export async function deleteStoredSignIn(profile: string, env: Env): Promise<boolean> {
  const file = credentialsPath(profile, env)
  try {
    await rm(file)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}

export interface ProfileEntry {
  readonly profile: string
  readonly file: string
  /** Undefined when the file could not be used; `problem` says why. */
  readonly credentials?: AuthorizedUser
  readonly problem?: string
}

/** Every stored profile, sorted; a broken or loose file is listed with its problem, not skipped. */
export async function listStoredSignIns(env: Env): Promise<ProfileEntry[]> {
  const folder = credentialsDir(env)
  let names: string[]
  try {
    names = await readdir(folder)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  const profiles = names
    .filter(name => name.endsWith('.json') && !name.startsWith('.'))
    .map(name => name.slice(0, -'.json'.length))
    .sort()
  return Promise.all(
    profiles.map(async (profile): Promise<ProfileEntry> => {
      const file = join(folder, `${profile}.json`)
      try {
        const stored = await readStoredSignIn(profile, env)
        return stored === undefined
          ? { profile, file, problem: 'missing' }
          : { profile, file, credentials: stored.credentials }
      } catch (error) {
        return { profile, file, problem: error instanceof Error ? error.message : String(error) }
      }
    }),
  )
}
