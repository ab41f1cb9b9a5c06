// `chat-role spaces` end to end: the built CLI against a spawned emulator holding a 60-space organisation.
// Who is where comes from the seed itself; what each run cost comes from the emulator's request log.
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator, type RecordedRequest } from './harness.js'
import {
  ADMIN,
  delegateKey,
  IMPORT_SPACE,
  membershipsOf,
  namedSpaces,
  ownerlessSpaces,
  PERSON,
  PERSON_EMAIL,
  spacesSeed,
  userCredentials,
} from './spaces-seed.js'

const seed = spacesSeed()
const USER_SCOPES = ['chat.memberships', 'chat.spaces.readonly']
let emulator: Emulator
/** GOOGLE_APPLICATION_CREDENTIALS acting as PERSON, with the membership and space scopes. */
let asPerson: Record<string, string>

beforeAll(async () => {
  emulator = await startEmulator(seed)
  asPerson = { GOOGLE_APPLICATION_CREDENTIALS: await userCredentials(emulator.url, PERSON_EMAIL, USER_SCOPES) }
})
afterAll(async () => {
  await emulator.stop()
})
beforeEach(async () => {
  await fetch(`${emulator.url}/emulator/v1/requests`, { method: 'DELETE' })
})

/** The Chat API requests of the last run (the token requests aside). */
async function chatRequests(): Promise<(RecordedRequest & { caller?: string })[]> {
  return (await emulator.requests()).filter(request => request.path.startsWith('/v1/'))
}

const lines = (text: string): string[] => text.split('\n').filter(line => line !== '')

interface SpacesDocument {
  ok: boolean
  way?: string
  requests: number
  spaces: { name: string; spaceType: string; membership?: { name: string; role: string } }[]
  skipped?: { groupChats: number; directMessages: number; other: number }
  failures: { space: string; code: string }[]
}

async function json(args: string[], env: Record<string, string> = {}): Promise<SpacesDocument> {
  const result = await emulator.cli(['spaces', '--json', ...args], { env })
  expect(result.stderr).not.toContain('chat-role:')
  expect(result.code).toBe(0)
  return JSON.parse(result.stdout) as SpacesDocument
}

describe("the caller's spaces (spaces.list)", () => {
  it('lists every space the caller has joined, of every type, in one request', async () => {
    const document = await json([], asPerson)
    const expected = membershipsOf(seed, PERSON)
    expect(document.spaces.map(space => [space.name, space.spaceType])).toEqual(expected.map(m => [m.space, m.type]))
    expect(expected.filter(m => m.type === 'DIRECT_MESSAGE').length).toBeGreaterThan(0)
    expect(expected.filter(m => m.type === 'GROUP_CHAT').length).toBeGreaterThan(0)
    const requests = await chatRequests()
    expect(requests.map(r => [r.method, r.path, r.query?.pageSize, r.query?.filter, r.caller])).toEqual([
      ['GET', '/v1/spaces', '1000', undefined, PERSON],
    ])
    expect(document.requests).toBe(1)
  })

  it('filters by type on the server', async () => {
    const dms = await json(['--type', 'dm'], asPerson)
    expect(dms.spaces.map(space => space.name)).toEqual(
      membershipsOf(seed, PERSON)
        .filter(m => m.type === 'DIRECT_MESSAGE')
        .map(m => m.space),
    )
    const groupChats = await json(['--type', 'group-chat'], asPerson)
    expect(groupChats.spaces.every(space => space.spaceType === 'GROUP_CHAT')).toBe(true)
    expect((await chatRequests()).map(r => r.query?.filter)).toEqual([
      'spaceType = "DIRECT_MESSAGE"',
      'spaceType = "GROUP_CHAT"',
    ])
  })

  it('prints a table: name, type, joined humans and display name; the count on stderr', async () => {
    const result = await emulator.cli(['spaces', '--type', 'space'], { env: asPerson })
    expect(result.code).toBe(0)
    const [header, first] = lines(result.stdout)
    expect(header).toMatch(/^NAME\s+TYPE\s+HUMANS\s+DISPLAY NAME$/)
    const firstSpace = membershipsOf(seed, PERSON).find(m => m.type === 'SPACE')?.space ?? ''
    expect(first).toMatch(new RegExp(`^${firstSpace}\\s+space\\s+12\\s+Bench Space \\d+$`))
    const named = membershipsOf(seed, PERSON).filter(m => m.type === 'SPACE').length
    expect(result.stderr).toBe(`${named} spaces; 1 request\n`)
  })

  it('--names prints one space per line, for pipes', async () => {
    const result = await emulator.cli(['spaces', '--names'], { env: asPerson })
    expect(result.code).toBe(0)
    expect(lines(result.stdout)).toEqual(membershipsOf(seed, PERSON).map(m => m.space))
  })

  it("--csv prints gam's columns, one row per space", async () => {
    const result = await emulator.cli(['spaces', '--csv'], { env: asPerson })
    expect(result.code).toBe(0)
    expect(result.stdout.endsWith('\r\n')).toBe(true)
    const rows: Record<string, string>[] = parse(result.stdout, { columns: true })
    expect(rows.map(row => row.name)).toEqual(membershipsOf(seed, PERSON).map(m => m.space))
    const dm = rows.find(row => row.spaceType === 'DIRECT_MESSAGE')
    expect(dm).toMatchObject({ displayName: '', 'membershipCount.joinedDirectHumanUserCount': '2' })
    expect(rows.find(row => row.spaceType === 'SPACE')).toMatchObject({
      'membershipCount.joinedDirectHumanUserCount': '12',
      createTime: '2025-01-06T09:00:00Z',
    })
  })

  it('refuses options that contradict each other, before any request (exit 2)', async () => {
    for (const args of [
      ['--names', '--csv'],
      ['--owner', PERSON_EMAIL, '--member', PERSON_EMAIL],
      ['--ownerless', '--member', PERSON_EMAIL],
      ['--ownerless', '--type', 'dm'],
      ['--admin', '--type', 'group-chat'],
      ['--member', 'spaces/AAAAbench000001/members/1'],
      ['--type', 'room'],
    ]) {
      const result = await emulator.cli(['spaces', ...args], { env: asPerson })
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toMatch(/^chat-role: [^\n]+\nhint: [^\n]+\n$/)
    }
    expect(await chatRequests()).toEqual([])
  })
})

describe("the organisation's spaces (spaces.search, --admin)", () => {
  it('lists every named space, member or not, in one search', async () => {
    const document = await json(['--admin'])
    expect(document.spaces.map(space => space.name)).toEqual(namedSpaces(seed))
    const requests = await chatRequests()
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({
      path: '/v1/spaces:search',
      query: {
        useAdminAccess: 'true',
        pageSize: '1000',
        query: 'customer = "customers/my_customer" AND space_type = "SPACE"',
      },
    })
  })
})

describe('--ownerless', () => {
  it("finds the caller's named spaces without a joined owner: 1 list + 1 read per space", async () => {
    const result = await emulator.cli(['spaces', '--ownerless', '--names'])
    expect(result.code).toBe(0)
    const expected = ownerlessSpaces(seed, ADMIN)
    expect(expected.length).toBeGreaterThan(0)
    expect(expected.length).toBeLessThan(ownerlessSpaces(seed).length)
    expect(lines(result.stdout)).toEqual(expected)
    const requests = await chatRequests()
    const named = membershipsOf(seed, ADMIN).filter(m => m.type === 'SPACE').length
    expect(requests).toHaveLength(1 + named)
    expect(requests[0]?.query?.filter).toBe('spaceType = "SPACE"')
    expect(requests.slice(1).every(r => r.query?.filter === 'member.type = "HUMAN" AND role = "ROLE_MANAGER"')).toBe(
      true,
    )
    expect(result.stderr).toBe(
      `${expected.length} named spaces without an owner, of ${named} spaces listed; ${1 + named} requests (1 request to list them, the rest 1 read per space)\n`,
    )
  })

  it('with --admin, looks at every named space of the organisation', async () => {
    const document = await json(['--admin', '--ownerless'])
    expect(document.spaces.map(space => space.name)).toEqual(ownerlessSpaces(seed))
    expect(document.spaces).toHaveLength(6)
    const requests = await chatRequests()
    expect(requests).toHaveLength(1 + namedSpaces(seed).length)
    expect(requests.slice(1).every(r => r.query?.useAdminAccess === 'true')).toBe(true)
    expect(document.requests).toBe(requests.length)
  })

  it('collects the spaces it may not read, lists the others, and exits 1', async () => {
    // A chat.import-only token may read members in import-mode spaces only: every other space answers 403.
    const env = {
      GOOGLE_APPLICATION_CREDENTIALS: await userCredentials(emulator.url, ADMIN, [
        'chat.import',
        'chat.spaces.readonly',
      ]),
    }
    const result = await emulator.cli(['spaces', '--ownerless', '--json'], { env })
    expect(result.code).toBe(1)
    const document = JSON.parse(result.stdout) as SpacesDocument
    const named = membershipsOf(seed, ADMIN).filter(m => m.type === 'SPACE')
    expect(named.map(m => m.space)).toContain(IMPORT_SPACE)
    expect(document.ok).toBe(false)
    expect(document.failures).toHaveLength(named.length - 1)
    expect(document.failures.every(f => f.code === 'PERMISSION_DENIED')).toBe(true)
    expect(document.failures.map(f => f.space)).not.toContain(IMPORT_SPACE)
    // The import-mode space was read: it has an owner, so it is not listed.
    expect(document.spaces).toEqual([])
    expect(result.stderr).toContain(`chat-role: not allowed to see the members of ${named[0]?.space ?? ''}`)
  })
})

describe('--owner and --member', () => {
  it('as the caller: the shared spaces, one members.get each; group chats and DMs counted, not read', async () => {
    const document = await json(['--member', PERSON_EMAIL])
    const mine = membershipsOf(seed, ADMIN)
    const shared = new Set(mine.map(m => m.space))
    const theirs = membershipsOf(seed, PERSON).filter(m => m.type === 'SPACE' && shared.has(m.space))
    expect(document.way).toBe('caller')
    expect(document.spaces.map(space => [space.name, space.membership?.role])).toEqual(
      theirs.map(m => [m.space, m.role]),
    )
    expect(document.skipped).toEqual({
      groupChats: mine.filter(m => m.type === 'GROUP_CHAT').length,
      directMessages: mine.filter(m => m.type === 'DIRECT_MESSAGE').length,
      other: 0,
    })
    const requests = await chatRequests()
    const named = mine.filter(m => m.type === 'SPACE')
    expect(requests).toHaveLength(1 + named.length)
    // Queued at once and paced per space, so they arrive in any order.
    expect(
      requests
        .slice(1)
        .map(r => decodeURIComponent(r.path))
        .sort(),
    ).toEqual(named.map(m => `/v1/${m.space}/members/${PERSON_EMAIL}`).sort())
    // Spaces the person is not in answer 404: not a failure.
    expect(requests.some(r => r.status === 404)).toBe(true)
    expect(document.failures).toEqual([])
  })

  it('--owner keeps the joined owner memberships only, and says the caller saw only shared spaces', async () => {
    const result = await emulator.cli(['spaces', '--owner', PERSON_EMAIL])
    expect(result.code).toBe(0)
    const shared = new Set(membershipsOf(seed, ADMIN).map(m => m.space))
    const owned = membershipsOf(seed, PERSON).filter(m => m.role === 'ROLE_MANAGER' && shared.has(m.space))
    expect(owned.length).toBeGreaterThan(0)
    const rows = lines(result.stdout)
    expect(rows[0]).toMatch(/^NAME\s+TYPE\s+HUMANS\s+ROLE\s+DISPLAY NAME$/)
    expect(rows.slice(1).map(row => row.split(/\s+/)[0])).toEqual(owned.map(m => m.space))
    expect(rows.slice(1).every(row => row.includes('Owner (ROLE_MANAGER)'))).toBe(true)
    expect(result.stderr).toContain(`${PERSON_EMAIL} is an owner of ${owned.length} spaces`)
    expect(result.stderr).toContain(`--impersonate ${PERSON_EMAIL} looks at all of theirs`)
  })

  it('with --admin: every named space of the organisation, by users/ID too', async () => {
    const document = await json(['--admin', '--member', `users/${PERSON}`])
    const theirs = membershipsOf(seed, PERSON).filter(m => m.type === 'SPACE')
    expect(document.way).toBe('admin')
    expect(document.spaces.map(space => [space.name, space.membership?.role])).toEqual(
      theirs.map(m => [m.space, m.role]),
    )
    const requests = await chatRequests()
    expect(requests).toHaveLength(1 + namedSpaces(seed).length)
    expect(requests.slice(1).every(r => r.query?.useAdminAccess === 'true')).toBe(true)
    expect(requests.slice(1).every(r => r.path.endsWith(`/members/${PERSON}`))).toBe(true)
  })

  it('--csv adds the membership and its role', async () => {
    const result = await emulator.cli(['spaces', '--admin', '--owner', PERSON_EMAIL, '--csv'])
    expect(result.code).toBe(0)
    const rows: Record<string, string>[] = parse(result.stdout, { columns: true })
    const owned = membershipsOf(seed, PERSON).filter(m => m.role === 'ROLE_MANAGER')
    expect(rows.map(row => [row.name, row['membership.name'], row['membership.role']])).toEqual(
      owned.map(m => [m.space, `${m.space}/members/${PERSON}`, 'ROLE_MANAGER']),
    )
  })
})

describe('domain-wide delegation (--impersonate)', () => {
  it('acting as the person: their own spaces.list, so every space they joined, and their role in each', async () => {
    const key = await delegateKey(emulator.url)
    const result = await emulator.cli([
      'spaces',
      '--member',
      PERSON_EMAIL,
      '--impersonate',
      PERSON_EMAIL,
      '--key-file',
      key,
    ])
    expect(result.code).toBe(0)
    const named = membershipsOf(seed, PERSON).filter(m => m.type === 'SPACE')
    expect(named.length).toBeGreaterThan(0)
    const rows = lines(result.stdout).slice(1)
    expect(rows.map(row => row.split(/\s+/)[0]).sort()).toEqual(named.map(m => m.space).sort())
    // The person's own listing: every request is theirs, none is the admin's.
    const requests = await chatRequests()
    expect(requests.length).toBeGreaterThan(named.length)
    expect(requests.every(request => request.caller !== `users/${ADMIN}`)).toBe(true)
  })
})

describe('a user sign-in without the space scope', () => {
  it('is refused before any Chat request, naming the scope, exit 4', async () => {
    const env = {
      GOOGLE_APPLICATION_CREDENTIALS: await userCredentials(emulator.url, PERSON_EMAIL, ['chat.memberships']),
    }
    const result = await emulator.cli(['spaces'], { env })
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('does not allow listing spaces (it lacks chat.spaces.readonly)')
    const admin = await emulator.cli(['spaces', '--admin', '--ownerless'], {
      env: { GOOGLE_APPLICATION_CREDENTIALS: await userCredentials(emulator.url, ADMIN, ['chat.admin.memberships']) },
    })
    expect(admin.code).toBe(4)
    expect(admin.stderr).toContain(
      "does not allow searching the organisation's spaces (it lacks chat.admin.spaces.readonly)",
    )
    expect(await chatRequests()).toEqual([])
  })
})
