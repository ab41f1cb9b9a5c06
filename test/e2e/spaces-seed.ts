// The organisation the spaces tests discover: generateSeed's mixed organisation (48 named spaces, the last 6
// without an owner, 6 group chats, 6 DMs, 15 users who hold different roles in different spaces), a
// service account with domain-wide delegation, and one import-mode space. Expectations are read from the seed.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateSeed, generatedUserId } from '../../src/emulator/index.js'

export const DELEGATE = 'delegate@chat-role-spaces.iam.gserviceaccount.com'
/** User 0: the admin and the emulator's default caller. */
export const ADMIN = generatedUserId(0)
export const PERSON = generatedUserId(5)
export const PERSON_EMAIL = 'user5@bench.example'
/** A named space in import mode, where a chat.import-only token may read members (and nowhere else). */
export const IMPORT_SPACE = 'spaces/AAAAbench000004'

export function spacesSeed() {
  const seed = generateSeed({
    spaces: 60,
    groupChats: 6,
    directMessages: 6,
    membersPerSpace: 12,
    users: 15,
    stride: 1,
    maxOwnersPerSpace: 2,
    ownerless: 6,
  })
  return {
    ...seed,
    spaces: (seed.spaces ?? []).map(space =>
      `spaces/${space.id}` === IMPORT_SPACE ? { ...space, importMode: true } : space,
    ),
    serviceAccounts: [{ clientEmail: DELEGATE, domainWideDelegation: true }],
  }
}

export type SpacesSeed = ReturnType<typeof spacesSeed>
type SeedSpace = SpacesSeed['spaces'][number]

const typeOf = (space: SeedSpace): string => space.spaceType ?? 'SPACE'

/** A user's memberships, by the seed: space name, type and role. */
export function membershipsOf(seed: SpacesSeed, user: string): { space: string; type: string; role: string }[] {
  return seed.spaces.flatMap(space => {
    const membership = (space.memberships ?? []).find(m => 'user' in m && m.user === user)
    if (membership === undefined) return []
    const role = 'role' in membership && membership.role !== undefined ? membership.role : 'ROLE_MEMBER'
    return [{ space: `spaces/${space.id}`, type: typeOf(space), role }]
  })
}

/** Named spaces without a joined owner, among those `user` is in (every named space when undefined). */
export function ownerlessSpaces(seed: SpacesSeed, user?: string): string[] {
  return seed.spaces
    .filter(space => typeOf(space) === 'SPACE')
    .filter(space => user === undefined || (space.memberships ?? []).some(m => 'user' in m && m.user === user))
    .filter(space => !(space.memberships ?? []).some(m => 'role' in m && m.role === 'ROLE_MANAGER'))
    .map(space => `spaces/${space.id}`)
}

export const namedSpaces = (seed: SpacesSeed): string[] =>
  seed.spaces.filter(space => typeOf(space) === 'SPACE').map(space => `spaces/${space.id}`)

/** An authorized_user file (0600) for a seeded user with these scopes, minted by the emulator. */
export async function userCredentials(url: string, user: string, scopes: readonly string[]): Promise<string> {
  const response = await fetch(`${url}/emulator/v1/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, scopes }),
  })
  if (!response.ok) throw new Error(`mint: ${response.status} ${await response.text()}`)
  const { refresh_token: refreshToken } = (await response.json()) as { refresh_token: string }
  const file = join(mkdtempSync(join(tmpdir(), 'chat-role-spaces-adc-')), 'adc.json')
  writeFileSync(
    file,
    JSON.stringify({ type: 'authorized_user', client_id: 'x', client_secret: 'x', refresh_token: refreshToken }),
  )
  chmodSync(file, 0o600)
  return file
}

/** A service-account key file (0600) for the seed's delegated service account. */
export async function delegateKey(url: string): Promise<string> {
  const response = await fetch(`${url}/emulator/v1/service-accounts/${encodeURIComponent(DELEGATE)}/keys`, {
    method: 'POST',
  })
  if (!response.ok) throw new Error(`key: ${response.status} ${await response.text()}`)
  const file = join(mkdtempSync(join(tmpdir(), 'chat-role-spaces-key-')), 'key.json')
  writeFileSync(file, await response.text())
  chmodSync(file, 0o600)
  return file
}
