// Where chat-role keeps its configuration: one folder per platform, one credentials file per profile.
import { homedir } from 'node:os'
import { join } from 'node:path'
import { ChatRoleError } from '../errors.js'

type Env = Readonly<Record<string, string | undefined>>

export const DEFAULT_PROFILE = 'default'

/**
 * `$XDG_CONFIG_HOME/chat-role` when XDG_CONFIG_HOME is set (any Unix, so scripts and tests can move it);
 * otherwise `~/.config/chat-role` on Linux, `~/Library/Application Support/chat-role` on macOS and
 * `%APPDATA%\chat-role` on Windows.
 */
export function configDir(env: Env, platform: NodeJS.Platform = process.platform): string {
  const home = nonEmpty(env.HOME) ?? nonEmpty(env.USERPROFILE) ?? homedir()
  if (platform === 'win32') return join(nonEmpty(env.APPDATA) ?? join(home, 'AppData', 'Roaming'), 'chat-role')
  const xdg = nonEmpty(env.XDG_CONFIG_HOME)
  if (xdg !== undefined) return join(xdg, 'chat-role')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'chat-role')
  return join(home, '.config', 'chat-role')
}

export function credentialsDir(env: Env, platform?: NodeJS.Platform): string {
  return join(configDir(env, platform), 'credentials')
}

export function credentialsPath(profile: string, env: Env, platform?: NodeJS.Platform): string {
  return join(credentialsDir(env, platform), `${checkProfileName(profile)}.json`)
}

export function defaultClientSecretsPath(env: Env, platform?: NodeJS.Platform): string {
  return join(configDir(env, platform), 'client_secret.json')
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/** A profile name is a file name: letters, digits, `.`, `_`, `-`; no path tricks. */
export function checkProfileName(name: string): string {
  if (!PROFILE_NAME.test(name) || name.endsWith('.')) {
    throw new ChatRoleError('USAGE', `"${name}" is not a profile name`, {
      hint: 'use letters, digits, ".", "_" and "-" (at most 64), starting with a letter or digit',
    })
  }
  return name
}

/** The profile a command names: --profile, then CHAT_ROLE_PROFILE; undefined when neither is set. */
export function namedProfile(flag: string | undefined, env: Env): string | undefined {
  const name = nonEmpty(flag) ?? nonEmpty(env.CHAT_ROLE_PROFILE)
  return name === undefined ? undefined : checkProfileName(name)
}

export function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === '' ? undefined : trimmed
}
