// OAuth scopes the emulator knows: every scope in the Chat v1 discovery document, plus the OpenID ones.

export const SCOPE_PREFIX = 'https://www.googleapis.com/auth/'

/** Every user scope that reads or changes memberships and spaces; what the `owner` token holds. */
export const USER_SCOPES = [
  'https://www.googleapis.com/auth/chat.memberships',
  'https://www.googleapis.com/auth/chat.memberships.readonly',
  'https://www.googleapis.com/auth/chat.admin.memberships',
  'https://www.googleapis.com/auth/chat.admin.memberships.readonly',
  'https://www.googleapis.com/auth/chat.spaces',
  'https://www.googleapis.com/auth/chat.spaces.readonly',
  'https://www.googleapis.com/auth/chat.admin.spaces',
  'https://www.googleapis.com/auth/chat.admin.spaces.readonly',
  'https://www.googleapis.com/auth/chat.import',
] as const

// auth.oauth2.scopes of chat-v1-discovery.json, revision 20260920.
const CHAT_SCOPE_NAMES = [
  'chat.admin.delete',
  'chat.admin.memberships',
  'chat.admin.memberships.readonly',
  'chat.admin.spaces',
  'chat.admin.spaces.readonly',
  'chat.app.all.memberships.readonly',
  'chat.app.all.messages.readonly',
  'chat.app.all.spaces.readonly',
  'chat.app.delete',
  'chat.app.memberships',
  'chat.app.memberships.readonly',
  'chat.app.messages.readonly',
  'chat.app.spaces',
  'chat.app.spaces.create',
  'chat.app.spaces.readonly',
  'chat.bot',
  'chat.customemojis',
  'chat.customemojis.readonly',
  'chat.delete',
  'chat.import',
  'chat.memberships',
  'chat.memberships.app',
  'chat.memberships.readonly',
  'chat.messages',
  'chat.messages.create',
  'chat.messages.reactions',
  'chat.messages.reactions.create',
  'chat.messages.reactions.readonly',
  'chat.messages.readonly',
  'chat.spaces',
  'chat.spaces.create',
  'chat.spaces.pins',
  'chat.spaces.pins.readonly',
  'chat.spaces.readonly',
  'chat.users.availability',
  'chat.users.availability.readonly',
  'chat.users.readstate',
  'chat.users.readstate.readonly',
  'chat.users.sections',
  'chat.users.sections.readonly',
  'chat.users.spacesettings',
] as const

/** Google answers the OpenID short names with their userinfo URLs in the granted `scope`. */
const OPENID_ALIASES: ReadonlyMap<string, string> = new Map([
  ['email', `${SCOPE_PREFIX}userinfo.email`],
  ['profile', `${SCOPE_PREFIX}userinfo.profile`],
])

const KNOWN_SCOPES: ReadonlySet<string> = new Set([
  ...CHAT_SCOPE_NAMES.map(name => SCOPE_PREFIX + name),
  'openid',
  `${SCOPE_PREFIX}userinfo.email`,
  `${SCOPE_PREFIX}userinfo.profile`,
])

export const EMAIL_SCOPE = `${SCOPE_PREFIX}userinfo.email`

export interface ParsedScopes {
  /** Canonical scope URLs, deduplicated, in request order. */
  readonly scopes: readonly string[]
  /** What was asked for and is not a scope the emulator knows, as written. */
  readonly unknown: readonly string[]
}

/**
 * Parses scopes as Google's endpoints take them: full URLs (and `openid`, `email`, `profile`),
 * space-separated. With `allowShortNames`, `chat.memberships` stands for its full URL
 * (the emulator's own minting endpoint only; Google rejects short names).
 */
export function parseScopes(input: string | readonly string[], allowShortNames = false): ParsedScopes {
  const words = typeof input === 'string' ? input.split(/\s+/) : input.flatMap(item => item.split(/\s+/))
  const scopes: string[] = []
  const unknown: string[] = []
  for (const word of words) {
    if (word === '') continue
    const scope = canonicalScope(word, allowShortNames)
    if (scope === undefined) unknown.push(word)
    else if (!scopes.includes(scope)) scopes.push(scope)
  }
  return { scopes, unknown }
}

function canonicalScope(word: string, allowShortNames: boolean): string | undefined {
  const alias = OPENID_ALIASES.get(word)
  if (alias !== undefined) return alias
  if (KNOWN_SCOPES.has(word)) return word
  if (allowShortNames && !word.includes('/') && KNOWN_SCOPES.has(SCOPE_PREFIX + word)) return SCOPE_PREFIX + word
  return undefined
}

/** True when every scope of `wanted` is in `held`. */
export function coversScopes(held: Iterable<string>, wanted: readonly string[]): boolean {
  const set = new Set(held)
  return wanted.every(scope => set.has(scope))
}
