import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseClientSecrets, loadClientSecrets } from '../../src/auth/client-secrets.js'
import { parseCredentialFile, serializeAuthorizedUser, type AuthorizedUser } from '../../src/auth/credential-files.js'
import {
  deleteStoredSignIn,
  listStoredSignIns,
  readStoredSignIn,
  saveStoredSignIn,
} from '../../src/auth/credential-store.js'
import { rejectionOf, thrownBy } from './expect-error.js'

const user: AuthorizedUser = {
  type: 'authorized_user',
  clientId: 'id.apps.googleusercontent.com',
  clientSecret: 'secret',
  refreshToken: '1//refresh',
  account: 'olivia@example.com',
  scopes: ['https://www.googleapis.com/auth/chat.memberships'],
  profile: 'default',
  created: '2026-01-01T00:00:00.000Z',
}

describe('client secrets', () => {
  it('reads a Desktop client', () => {
    const file = JSON.stringify({
      installed: { client_id: 'cid', client_secret: 'cs', redirect_uris: ['http://localhost'] },
    })
    expect(parseClientSecrets(file, 'c.json')).toEqual({ clientId: 'cid', clientSecret: 'cs', file: 'c.json' })
  })

  it('says what a web client, a service-account key or stored credentials are, and what is needed', () => {
    const web = thrownBy(() => parseClientSecrets(JSON.stringify({ web: { client_id: 'x' } }), 'w.json'))
    expect(web.message).toContain('"Web application" OAuth client')
    expect(web.hint).toContain('Desktop app')
    const key = thrownBy(() =>
      parseClientSecrets(JSON.stringify({ type: 'service_account', client_email: 'a@b' }), 'k.json'),
    )
    expect(key.message).toBe('k.json is a service-account key, not an OAuth client')
    expect(key.hint).toContain('--impersonate')
    const stored = thrownBy(() => parseClientSecrets(serializeAuthorizedUser(user), 's.json'))
    expect(stored.message).toContain('signed-in credentials')
    expect(thrownBy(() => parseClientSecrets('{', 'x.json')).message).toBe(
      'x.json is not JSON, so it cannot be an OAuth client secrets file',
    )
    expect(web.exitCode).toBe(2)
  })

  it("reads a client file other users can read: an installed app's OAuth client is not a secret", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'chat-role-client-')), 'client_secret.json')
    writeFileSync(file, JSON.stringify({ installed: { client_id: 'cid', client_secret: 'cs' } }))
    chmodSync(file, 0o644)
    expect(await loadClientSecrets(file, true)).toEqual({ clientId: 'cid', clientSecret: 'cs', file })
  })

  it('explains how to create a Desktop client when the file is missing', async () => {
    const error = await rejectionOf(loadClientSecrets('/nonexistent/client_secret.json', false))
    expect(error.message).toBe('no OAuth client secrets file at /nonexistent/client_secret.json')
    expect(error.hint).toContain('APIs & Services → Credentials → Create credentials → OAuth client ID')
    expect(error.hint).toContain('enable the Google Chat API')
  })
})

describe('credential files', () => {
  it('round-trips the authorized_user format gcloud writes, with our extra fields', () => {
    const text = serializeAuthorizedUser(user)
    const json = JSON.parse(text) as Record<string, unknown>
    expect(Object.keys(json).slice(0, 4)).toEqual(['type', 'client_id', 'client_secret', 'refresh_token'])
    expect(json).not.toHaveProperty('access_token')
    expect(parseCredentialFile(text, 'f')).toEqual(user)
  })

  it('reads gcloud ADC files and service-account keys, and names other types', () => {
    const adc = parseCredentialFile(
      JSON.stringify({
        type: 'authorized_user',
        client_id: 'a',
        client_secret: 'b',
        refresh_token: 'c',
        quota_project_id: 'p',
      }),
      'adc.json',
    )
    expect(adc).toEqual({
      type: 'authorized_user',
      clientId: 'a',
      clientSecret: 'b',
      refreshToken: 'c',
      quotaProjectId: 'p',
    })
    const key = parseCredentialFile(
      JSON.stringify({
        type: 'service_account',
        client_email: 'sa@p.iam.gserviceaccount.com',
        private_key: 'K',
        client_id: '1',
      }),
      'k.json',
    )
    expect(key).toMatchObject({ type: 'service_account', clientEmail: 'sa@p.iam.gserviceaccount.com', clientId: '1' })
    expect(
      thrownBy(() => parseCredentialFile(JSON.stringify({ type: 'external_account' }), 'e.json')).message,
    ).toContain('type "external_account"')
    expect(
      thrownBy(() => parseCredentialFile(JSON.stringify({ type: 'authorized_user', client_id: 'a' }), 'u.json'))
        .message,
    ).toBe('u.json lacks client_secret, refresh_token, so it cannot sign in')
  })
})

describe('credential store', () => {
  const env = (): { HOME: string; XDG_CONFIG_HOME: string } => {
    const home = mkdtempSync(join(tmpdir(), 'chat-role-store-'))
    return { HOME: home, XDG_CONFIG_HOME: join(home, 'config') }
  }

  it('writes 0600 files in a 0700 folder, atomically, and reads them back', async () => {
    const e = env()
    const file = await saveStoredSignIn('default', user, e)
    expect(file).toBe(join(e.XDG_CONFIG_HOME, 'chat-role', 'credentials', 'default.json'))
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(join(e.XDG_CONFIG_HOME, 'chat-role', 'credentials')).mode & 0o777).toBe(0o700)
    expect(readdirSync(join(e.XDG_CONFIG_HOME, 'chat-role', 'credentials'))).toEqual(['default.json'])
    expect(await readStoredSignIn('default', e)).toEqual({ profile: 'default', file, credentials: user })
    // Overwriting replaces the file and keeps it private, even if it had been loosened in between.
    chmodSync(file, 0o644)
    await saveStoredSignIn('default', { ...user, account: 'max@example.com' }, e)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect((await readStoredSignIn('default', e))?.credentials.account).toBe('max@example.com')
  })

  it('refuses a file other users can read, as ssh does', async () => {
    const e = env()
    const file = await saveStoredSignIn('default', user, e)
    chmodSync(file, 0o644)
    const error = await rejectionOf(readStoredSignIn('default', e))
    expect(error.message).toBe(`${file} can be read or changed by other users (mode 644), so chat-role will not use it`)
    expect(error.hint).toBe(`chmod 600 ${file}`)
    expect(error.exitCode).toBe(4)
  })

  it('names the profile to sign in again when its file is broken', async () => {
    const e = env()
    const work = await saveStoredSignIn('work', user, e)
    writeFileSync(work, '{"type":"authorized_user","client_id":"a"}', { mode: 0o600 })
    const error = await rejectionOf(readStoredSignIn('work', e))
    expect(error.message).toBe(`${work} lacks client_secret, refresh_token, so it cannot sign in`)
    expect(error.hint).toBe('sign in again: chat-role auth login --profile work')
    const standard = await saveStoredSignIn('default', user, e)
    writeFileSync(standard, 'not json', { mode: 0o600 })
    expect((await rejectionOf(readStoredSignIn('default', e))).hint).toBe('sign in again: chat-role auth login')
  })

  it('lists profiles with their problems, and deletes', async () => {
    const e = env()
    await saveStoredSignIn('work', user, e)
    const broken = await saveStoredSignIn('broken', user, e)
    writeFileSync(broken, '{"type":"authorized_user"}', { mode: 0o600 })
    const list = await listStoredSignIns(e)
    expect(list.map(entry => [entry.profile, entry.credentials?.account, entry.problem])).toEqual([
      ['broken', undefined, `${broken} lacks client_id, client_secret, refresh_token, so it cannot sign in`],
      ['work', 'olivia@example.com', undefined],
    ])
    expect(await deleteStoredSignIn('work', e)).toBe(true)
    expect(await deleteStoredSignIn('work', e)).toBe(false)
    expect(await readStoredSignIn('work', e)).toBeUndefined()
    expect(readFileSync(broken, 'utf8')).toContain('authorized_user')
  })
})
