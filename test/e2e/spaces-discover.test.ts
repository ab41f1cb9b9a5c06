// discover.ts, the API offboarding, handover and repair build on, called in-process on a real Connection (the
// real scheduler, @googleapis/chat and google-auth-library) against a spawned emulator. Acting as the person
// through their own credentials is, on the wire, what domain-wide delegation does for them.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { connect, type Connection } from '../../src/commands/connect.js'
import {
  findOwnerlessSpaces,
  findPersonSpaces,
  joinedHumanOwners,
  listCallerSpaces,
  searchOrganisationSpaces,
  spaceMemberships,
} from '../../src/commands/discover.js'
import type { SpaceSnapshot } from '../../src/core/space.js'
import { generatedUserId } from '../../src/emulator/index.js'
import { ChatRoleError } from '../../src/errors.js'
import type { Io } from '../../src/io.js'
import { createReporter } from '../../src/output/reporter.js'
import { startEmulator, type Emulator, type RecordedRequest } from './harness.js'
import {
  ADMIN,
  membershipsOf,
  namedSpaces,
  ownerlessSpaces,
  PERSON,
  PERSON_EMAIL,
  spacesSeed,
  userCredentials,
} from './spaces-seed.js'

const seed = spacesSeed()
let emulator: Emulator
let personCredentials: string

beforeAll(async () => {
  emulator = await startEmulator(seed)
  personCredentials = await userCredentials(emulator.url, PERSON_EMAIL, ['chat.memberships', 'chat.spaces.readonly'])
})
afterAll(async () => {
  await emulator.stop()
})
beforeEach(async () => {
  await fetch(`${emulator.url}/emulator/v1/requests`, { method: 'DELETE' })
})

const chatRequests = async (): Promise<RecordedRequest[]> =>
  (await emulator.requests()).filter(request => request.path.startsWith('/v1/'))

/** A Connection as a command opens one; without credentials it acts as the seed's default caller (ADMIN). */
async function open(
  options: { admin?: boolean; credentials?: string; signal?: AbortSignal } = {},
): Promise<{ connection: Connection; stderr: () => string }> {
  const home = mkdtempSync(join(tmpdir(), 'chat-role-discover-'))
  let stderr = ''
  const io: Io = {
    stdout: { write: () => true },
    stderr: {
      write: (text: string | Uint8Array) => {
        stderr += String(text)
        return true
      },
    },
    stdin: Readable.from([]),
    env: {
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      CHAT_EMULATOR_HOST: emulator.host,
      METADATA_SERVER_DETECTION: 'none',
      ...(options.credentials !== undefined && { GOOGLE_APPLICATION_CREDENTIALS: options.credentials }),
    },
    cwd: home,
    signal: options.signal ?? new AbortController().signal,
  }
  const reporter = createReporter(io, { json: false, verbose: false, color: false, input: false })
  const connection = await connect({ admin: options.admin === true, asApp: false }, io, reporter, { signal: io.signal })
  return { connection, stderr: () => stderr }
}

/** A Google error as gaxios throws it. */
function googleError(status: number, canonical: string, message: string): Error {
  return Object.assign(new Error(message), {
    status,
    response: { status, data: { error: { code: status, message, status: canonical } }, headers: {} },
  })
}

/** The connection, with every request about `space` answered by `error` instead of the server. */
function failing(connection: Connection, space: string, error: Error): Connection {
  return {
    ...connection,
    send: (request, call, options) =>
      request.space === space
        ? connection.send(request, () => Promise.reject(error), options)
        : connection.send(request, call, options),
  }
}

describe('findPersonSpaces', () => {
  it('impersonated: the person’s own spaces.list, so every named space of theirs, 1 get each', async () => {
    const { connection } = await open({ credentials: personCredentials })
    const found = await findPersonSpaces(PERSON_EMAIL, connection, { admin: false, impersonated: true })
    const theirs = membershipsOf(seed, PERSON)
    const named = theirs.filter(m => m.type === 'SPACE')
    expect(found.way).toBe('impersonated')
    expect(found.person).toEqual({ key: PERSON_EMAIL, kind: 'email', input: PERSON_EMAIL })
    expect(found.memberships.map(m => [m.space.name, m.membership.role, m.membership.state])).toEqual(
      named.map(m => [m.space, m.role, 'JOINED']),
    )
    expect(found.memberships.every(m => m.membership.name === `${m.space.name}/members/${PERSON}`)).toBe(true)
    expect(found.skipped).toEqual({
      groupChats: theirs.filter(m => m.type === 'GROUP_CHAT').length,
      directMessages: theirs.filter(m => m.type === 'DIRECT_MESSAGE').length,
      other: 0,
    })
    expect(found.skipped.groupChats + found.skipped.directMessages).toBeGreaterThan(0)
    expect(found).toMatchObject({ looked: named.length, requests: 1 + named.length, failures: [], stopped: false })
    expect(await chatRequests()).toHaveLength(1 + named.length)
  })

  it('caller: only the spaces the caller shares with the person; a 404 means not a member', async () => {
    const { connection } = await open()
    const found = await findPersonSpaces(`users/${PERSON}`, connection, { admin: false, impersonated: false })
    const shared = new Set(membershipsOf(seed, ADMIN).map(m => m.space))
    expect(found.way).toBe('caller')
    expect(found.memberships.map(m => m.space.name)).toEqual(
      membershipsOf(seed, PERSON)
        .filter(m => m.type === 'SPACE' && shared.has(m.space))
        .map(m => m.space),
    )
    expect(found.memberships.length).toBeLessThan(found.looked)
    expect(found.failures).toEqual([])
  })

  it('admin: every named space of the organisation; search lists no group chats or DMs to skip', async () => {
    const { connection } = await open({ admin: true })
    const found = await findPersonSpaces(PERSON_EMAIL, connection, { admin: true, impersonated: false })
    expect(found.way).toBe('admin')
    expect(found.memberships.map(m => m.space.name)).toEqual(
      membershipsOf(seed, PERSON)
        .filter(m => m.type === 'SPACE')
        .map(m => m.space),
    )
    expect(found.skipped).toEqual({ groupChats: 0, directMessages: 0, other: 0 })
    expect(found.looked).toBe(namedSpaces(seed).length)
    expect(found.requests).toBe(1 + namedSpaces(seed).length)
  })

  it('collects a space it may not read and goes on with the others', async () => {
    const { connection } = await open()
    const broken = namedSpaces(seed)[0] ?? ''
    const found = await findPersonSpaces(
      PERSON_EMAIL,
      failing(connection, broken, googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission')),
      { admin: false, impersonated: false },
    )
    expect(found.failures.map(f => [f.space, f.error.code, f.error.message])).toEqual([
      [broken, 'PERMISSION_DENIED', `not allowed to read ${broken}/members/${PERSON_EMAIL}`],
    ])
    expect(found.memberships.map(m => m.space.name)).not.toContain(broken)
    expect(found.memberships.length).toBeGreaterThan(0)
  })

  it('throws a failure of the credentials (exit 4) and sends nothing more', async () => {
    const { connection } = await open()
    const broken = namedSpaces(seed)[0] ?? ''
    const error = await findPersonSpaces(
      PERSON_EMAIL,
      failing(
        connection,
        broken,
        googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'),
      ),
      { admin: false, impersonated: false },
    ).catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(ChatRoleError)
    expect((error as ChatRoleError).exitCode).toBe(4)
    expect(connection.scheduler.stopped).toBe(true)
  })

  it('refuses a person that is not an email or users/ID before any request', async () => {
    const { connection } = await open()
    await expect(findPersonSpaces('groups/eng', connection, { admin: false, impersonated: false })).rejects.toThrow(
      /Google Group/,
    )
    expect(await chatRequests()).toEqual([])
  })
})

describe('owners, members and ownerless spaces', () => {
  // Two owners (users 5 and 6), and ADMIN, the default caller, is a member.
  const space = 'spaces/AAAAbench000005'
  const seeded = seed.spaces.find(s => `spaces/${s.id}` === space)

  it('joinedHumanOwners: one filtered read; as a member and as an admin alike', async () => {
    const owners = (seeded?.memberships ?? [])
      .filter(m => 'role' in m && m.role === 'ROLE_MANAGER')
      .map(m => ('user' in m ? m.user : ''))
    expect(owners).toEqual([generatedUserId(5), generatedUserId(6)])
    expect((seeded?.memberships ?? []).some(m => 'user' in m && m.user === ADMIN)).toBe(true)
    for (const admin of [false, true]) {
      const { connection } = await open({ admin })
      const read = await joinedHumanOwners(space, connection)
      expect(read.ok && read.value.map(m => m.member)).toEqual(owners.map(id => `users/${id}`))
      expect(read.requests).toBe(1)
    }
    const requests = await chatRequests()
    expect(requests.map(r => [r.query?.filter, r.query?.useAdminAccess])).toEqual([
      ['member.type = "HUMAN" AND role = "ROLE_MANAGER"', undefined],
      ['member.type = "HUMAN" AND role = "ROLE_MANAGER"', 'true'],
    ])
  })

  it('spaceMemberships: every joined human', async () => {
    const { connection } = await open({ admin: true })
    const read = await spaceMemberships(space, connection)
    expect(read.ok && read.value.map(m => m.member)).toEqual(
      (seeded?.memberships ?? []).map(m => ('user' in m ? `users/${m.user}` : '')).sort(),
    )
  })

  it('a failed space read comes back as a result, not thrown', async () => {
    const { connection } = await open()
    const refusal = googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission')
    const read = await joinedHumanOwners(space, failing(connection, space, refusal))
    expect(read.ok).toBe(false)
    expect(!read.ok && [read.error.code, read.error.message]).toEqual([
      'PERMISSION_DENIED',
      `not allowed to see the members of ${space}: The caller does not have permission`,
    ])
    expect(connection.scheduler.stopped).toBe(false)
  })

  it('findOwnerlessSpaces: the organisation’s 6; a space whose count says no human joined costs no read', async () => {
    const { connection } = await open({ admin: true })
    const listed = await searchOrganisationSpaces(connection)
    const empty: SpaceSnapshot = { name: 'spaces/AAAAnobody', spaceType: 'SPACE', membershipCount: {} }
    const groupChat: SpaceSnapshot = { name: 'spaces/AAAAgc', spaceType: 'GROUP_CHAT' }
    const found = await findOwnerlessSpaces([...listed.spaces, empty, groupChat], connection)
    expect(found.ownerless.map(s => s.name)).toEqual([...ownerlessSpaces(seed), empty.name])
    expect(found).toMatchObject({
      knownWithoutReading: 1,
      requests: listed.spaces.length,
      failures: [],
      stopped: false,
    })
    const paths = (await chatRequests()).map(r => r.path)
    expect(paths).not.toContain('/v1/spaces/AAAAnobody/members')
    expect(paths).not.toContain('/v1/spaces/AAAAgc/members')
  })
})

describe('listing spaces', () => {
  it('hands over each page as it comes, and counts the requests', async () => {
    const { connection } = await open({ credentials: personCredentials })
    const pages: number[] = []
    const listed = await listCallerSpaces(connection, { type: 'SPACE', onPage: page => pages.push(page.length) })
    const named = membershipsOf(seed, PERSON).filter(m => m.type === 'SPACE')
    expect(listed).toMatchObject({ requests: 1, stopped: false })
    expect(listed.spaces.map(s => s.name)).toEqual(named.map(m => m.space))
    expect(pages).toEqual([named.length])
  })

  it('getSpace reads one space, as a member or with admin access', async () => {
    for (const admin of [false, true]) {
      const { connection } = await open({ admin })
      const read = await connection.send({ space: 'spaces/AAAAbench000050', kind: 'read' }, api =>
        api.getSpace('spaces/AAAAbench000050', admin),
      )
      expect(read.outcome.ok && read.outcome.value).toEqual({
        name: 'spaces/AAAAbench000050',
        spaceType: 'GROUP_CHAT',
        membershipCount: { joinedDirectHumanUserCount: 12 },
        createTime: '2025-01-06T09:00:00Z',
      })
    }
    expect((await chatRequests()).map(r => r.query?.useAdminAccess)).toEqual([undefined, 'true'])
  })

  it('stops when the run is stopped, with what it read', async () => {
    const controller = new AbortController()
    controller.abort('SIGINT')
    const { connection } = await open({ signal: controller.signal })
    const listed = await listCallerSpaces(connection)
    expect(listed).toEqual({ spaces: [], requests: 0, stopped: true })
    expect(await chatRequests()).toEqual([])
  })
})
