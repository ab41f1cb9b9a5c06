// What every OAuth endpoint of the emulator shares.
import type { Directory, DirectoryUser } from './contract.js'
import type { ServiceAccountKeys } from './keys.js'
import type { TokenStore } from './token-store.js'

export interface ConsentSettings {
  /** --consent-as; undefined means the directory's defaultCaller. */
  user: string | undefined
  /** When true every authorization request is denied (`error=access_denied`). */
  deny: boolean
}

export interface OAuthContext {
  readonly directory: Directory
  readonly store: TokenStore
  readonly keys: ServiceAccountKeys
  /** --token-ttl */
  readonly tokenTtlSeconds: number
  /** How the authorization endpoint consents; changed by POST /emulator/v1/consent, restored by reset. */
  readonly consent: ConsentSettings
  readonly now: () => number
}

/** A seeded HUMAN user, by id or email; BOT users cannot sign in. */
export function findHuman(context: OAuthContext, idOrEmail: string): DirectoryUser | undefined {
  const user = context.directory.findUser(idOrEmail)
  return user?.type === 'HUMAN' ? user : undefined
}
