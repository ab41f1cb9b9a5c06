// The OAuth client that `auth login` signs in with: a "Desktop app" client_secret.json from the
// Google Cloud console. Wrong files get a sentence that says what they are and what is needed.
import { readFile } from 'node:fs/promises'
import { ChatRoleError } from '../errors.js'
import { defaultClientSecretsPath, nonEmpty } from './config-paths.js'
import { parseJsonObject } from './credential-files.js'

export interface OAuthClient {
  readonly clientId: string
  readonly clientSecret: string
  /** Where it came from, for messages. */
  readonly file: string
}

export const CREATE_DESKTOP_CLIENT =
  'create one: Google Cloud console → APIs & Services → Credentials → Create credentials → OAuth client ID → ' +
  'Application type "Desktop app" → Download JSON; enable the Google Chat API and configure the Chat app in the same project'

type Env = Readonly<Record<string, string | undefined>>

/** --client-secrets, then CHAT_ROLE_CLIENT_SECRETS, then client_secret.json in the config folder. */
export function clientSecretsPath(
  flag: string | undefined,
  env: Env,
): { readonly path: string; readonly explicit: boolean } {
  const given = nonEmpty(flag) ?? nonEmpty(env.CHAT_ROLE_CLIENT_SECRETS)
  return given !== undefined
    ? { path: given, explicit: true }
    : { path: defaultClientSecretsPath(env), explicit: false }
}

export async function loadClientSecrets(path: string, explicit: boolean): Promise<OAuthClient> {
  let content: string
  try {
    content = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      throw new ChatRoleError('INPUT', `no OAuth client secrets file at ${path}`, {
        hint: `${CREATE_DESKTOP_CLIENT}; then pass it with --client-secrets FILE${explicit ? '' : `, or save it as ${path}`}`,
      })
    }
    throw new ChatRoleError('INPUT', `cannot read the OAuth client secrets file ${path} (${code ?? 'error'})`, {
      cause: error,
    })
  }
  return parseClientSecrets(content, path)
}

export function parseClientSecrets(content: string, file: string): OAuthClient {
  const json = parseJsonObject(content, file, 'an OAuth client secrets file')
  if (typeof json.installed === 'object' && json.installed !== null) {
    const installed = json.installed as Readonly<Record<string, unknown>>
    const clientId = installed.client_id
    const clientSecret = installed.client_secret
    if (typeof clientId !== 'string' || clientId === '' || typeof clientSecret !== 'string' || clientSecret === '') {
      throw new ChatRoleError('INPUT', `${file} is a Desktop OAuth client without client_id or client_secret`, {
        hint: 'download the JSON again from Google Cloud console → APIs & Services → Credentials',
      })
    }
    return { clientId, clientSecret, file }
  }
  if (json.web !== undefined) {
    throw new ChatRoleError(
      'INPUT',
      `${file} is a "Web application" OAuth client; chat-role signs in with a "Desktop app" client`,
      {
        hint: CREATE_DESKTOP_CLIENT,
      },
    )
  }
  if (json.type === 'service_account') {
    throw new ChatRoleError('INPUT', `${file} is a service-account key, not an OAuth client`, {
      hint:
        'a service-account key needs no sign-in: pass it with --key-file (or GOOGLE_APPLICATION_CREDENTIALS) ' +
        'and --impersonate USER or --as-app; to sign in as yourself you need a Desktop OAuth client, ' +
        CREATE_DESKTOP_CLIENT.replace(/^create one/, 'so create one'),
    })
  }
  if (json.type === 'authorized_user') {
    throw new ChatRoleError('INPUT', `${file} holds signed-in credentials, not an OAuth client`, {
      hint: `use it as it is: GOOGLE_APPLICATION_CREDENTIALS=${file}; to sign in again you need a Desktop OAuth client, ${CREATE_DESKTOP_CLIENT.replace(/^create one/, 'so create one')}`,
    })
  }
  throw new ChatRoleError('INPUT', `${file} is not an OAuth client secrets file (no "installed" section)`, {
    hint: CREATE_DESKTOP_CLIENT,
  })
}
