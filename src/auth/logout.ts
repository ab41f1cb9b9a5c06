// `chat-role auth logout`: revoke the refresh token at Google, then delete the stored file. A failed
// revocation (offline, already revoked) is a warning: the local file is deleted all the same.
import { readFile } from 'node:fs/promises'
import { createUserClient, revokeToken } from './clients.js'
import { credentialsPath } from './config-paths.js'
import { parseCredentialFile } from './credential-files.js'
import { deleteStoredSignIn } from './credential-store.js'
import { resolveEndpoints } from './endpoints.js'
import { oauthFailureOf } from './errors.js'

export interface LogoutResult {
  readonly profile: string
  readonly file: string
  /** False when there was nothing stored for the profile. */
  readonly removed: boolean
  readonly revoked: boolean
}

type Env = Readonly<Record<string, string | undefined>>

export async function logout(profile: string, env: Env, warn: (text: string) => void): Promise<LogoutResult> {
  const file = credentialsPath(profile, env)
  let content: string
  try {
    content = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { profile, file, removed: false, revoked: false }
    throw error
  }
  let revoked = false
  try {
    const credentials = parseCredentialFile(content, file)
    if (credentials.type !== 'authorized_user') throw new Error(`it holds ${credentials.type} credentials`)
    const client = createUserClient(credentials, { endpoints: resolveEndpoints(env) })
    await revokeToken(client, credentials.refreshToken)
    revoked = true
  } catch (error) {
    warn(
      `could not revoke the sign-in at Google (${reasonOf(error)}); the local credentials are deleted anyway. ` +
        'To be sure, remove the app at https://myaccount.google.com/permissions',
    )
  }
  const removed = await deleteStoredSignIn(profile, env)
  return { profile, file, removed, revoked }
}

function reasonOf(error: unknown): string {
  const failure = oauthFailureOf(error)
  if (failure !== undefined) return failure.error
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') return code
  return error instanceof Error ? error.message : String(error)
}
