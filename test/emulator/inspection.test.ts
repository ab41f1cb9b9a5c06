// Inspection routes: /emulator/v1/state, /requests (a bounded ring, newest last), /reset.
import { afterEach, describe, expect, it } from 'vitest'
import {
  DemoSpaces,
  DemoUsers,
  type Emulator,
  type EmulatorOptions,
  type RequestLogEntry,
} from '../../src/emulator/index.js'
import { startEmulator } from '../../src/emulator/index.js'
import { call, roleOf, startTestEmulator, tokens } from './chat-harness.js'

const { engineering, botCreated } = DemoSpaces
const { olivia, max, bot } = DemoUsers

let emulator: Emulator

afterEach(async () => {
  await emulator.close()
})

async function start(options: EmulatorOptions = {}): Promise<void> {
  emulator = await startTestEmulator(options)
}

function promote(member = max, token = 'owner') {
  return call(emulator, `/v1/spaces/${engineering}/members/${member}?updateMask=role`, {
    method: 'PATCH',
    token,
    body: '{"role":"ROLE_ASSISTANT_MANAGER"}',
  })
}

async function requestsOverHttp(): Promise<RequestLogEntry[]> {
  const body = (await (await fetch(`${emulator.url}/emulator/v1/requests`)).json()) as { requests: RequestLogEntry[] }
  return body.requests
}

describe('GET /emulator/v1/state', () => {
  it('returns every space and membership without authentication, like state()', async () => {
    await start()
    const response = await fetch(`${emulator.url}/emulator/v1/state`)
    expect(response.status).toBe(200)
    const state = (await response.json()) as ReturnType<Emulator['state']>
    expect(state).toEqual(emulator.state())
    expect(state.defaultCaller).toBe(olivia)
    expect(state.app).toBe(bot)
    expect(state.spaces.map(space => space.name)).toHaveLength(6)
    const engineeringSpace = state.spaces.find(space => space.name === `spaces/${engineering}`)
    expect(engineeringSpace?.memberships.map(membership => membership.name.split('/').at(-1))).toContain('eng-all')
    expect(engineeringSpace?.memberships.find(membership => membership.state === 'INVITED')).toBeDefined()
    expect(state.spaces.find(space => space.name === `spaces/${botCreated}`)?.createdBy).toBe(bot)
    expect(state.users.find(user => user.id === olivia)).toMatchObject({ email: 'olivia@example.com', admin: true })
  })

  it('reflects patches at once', async () => {
    await start()
    await promote()
    expect(roleOf(emulator, engineering, max)).toBe('ROLE_ASSISTANT_MANAGER')
  })
})

describe('GET /emulator/v1/requests', () => {
  it('records method, path, query, caller, status, time and PATCH bodies, newest last', async () => {
    let time = Date.parse('2026-01-02T03:04:05Z')
    await start({ now: () => time })
    await call(
      emulator,
      `/v1/spaces/${engineering}/members?pageSize=2&filter=${encodeURIComponent('role = "ROLE_MANAGER"')}`,
    )
    time += 1000
    await promote()
    await call(emulator, '/v1/spaces', { token: null })
    await call(emulator, `/v1/spaces/${botCreated}/members`, { token: tokens.bot })
    const requests = await requestsOverHttp()
    expect(requests).toEqual([
      {
        time: '2026-01-02T03:04:05.000Z',
        method: 'GET',
        path: `/v1/spaces/${engineering}/members`,
        query: { pageSize: '2', filter: 'role = "ROLE_MANAGER"' },
        caller: olivia,
        status: 200,
      },
      {
        time: '2026-01-02T03:04:06.000Z',
        method: 'PATCH',
        path: `/v1/spaces/${engineering}/members/${max}`,
        query: { updateMask: 'role' },
        caller: olivia,
        status: 200,
        body: { role: 'ROLE_ASSISTANT_MANAGER' },
      },
      { time: '2026-01-02T03:04:06.000Z', method: 'GET', path: '/v1/spaces', query: {}, caller: null, status: 401 },
      {
        time: '2026-01-02T03:04:06.000Z',
        method: 'GET',
        path: `/v1/spaces/${botCreated}/members`,
        query: {},
        caller: 'app',
        status: 200,
      },
    ])
    expect(emulator.requests()).toEqual(requests)
  })

  it('keeps a bounded ring of the most recent requests', async () => {
    await start({ requestLogLimit: 3 })
    for (const space of ['A', 'B', 'C', 'D', 'E']) await call(emulator, `/v1/spaces/${space}`)
    expect((await requestsOverHttp()).map(entry => entry.path)).toEqual([
      '/v1/spaces/C',
      '/v1/spaces/D',
      '/v1/spaces/E',
    ])
  })

  it('DELETE clears it', async () => {
    await start()
    await call(emulator, '/v1/spaces')
    expect((await fetch(`${emulator.url}/emulator/v1/requests`, { method: 'DELETE' })).status).toBe(200)
    expect(await requestsOverHttp()).toEqual([])
  })
})

describe('POST /emulator/v1/reset', () => {
  it('goes back to the seed and clears the request log', async () => {
    await start()
    await promote()
    const response = await fetch(`${emulator.url}/emulator/v1/reset`, { method: 'POST' })
    expect(response.status).toBe(200)
    expect(roleOf(emulator, engineering, max)).toBe('ROLE_MEMBER')
    expect(emulator.requests()).toEqual([])
    await promote()
    expect(roleOf(emulator, engineering, max)).toBe('ROLE_ASSISTANT_MANAGER')
  })

  it('loads a new seed given as the body, with its settings', async () => {
    await start()
    const seed = {
      users: [
        { id: '1', email: 'one@example.com' },
        { id: '2', email: 'two@example.com' },
      ],
      spaces: [{ id: 'S', memberships: [{ user: '1', role: 'ROLE_MANAGER' }, { user: '2' }] }],
      settings: { allowPatchEmailAlias: true },
    }
    expect(
      (await fetch(`${emulator.url}/emulator/v1/reset`, { method: 'POST', body: JSON.stringify(seed) })).status,
    ).toBe(200)
    expect(emulator.state().spaces.map(space => space.name)).toEqual(['spaces/S'])
    const patched = await call(emulator, '/v1/spaces/S/members/two%40example.com?updateMask=role', {
      method: 'PATCH',
      body: '{"role":"ROLE_MANAGER"}',
    })
    expect(patched.status).toBe(200)
    await fetch(`${emulator.url}/emulator/v1/reset`, { method: 'POST' })
    expect(roleOf(emulator, 'S', '2')).toBe('ROLE_MEMBER')
  })

  it('refuses an invalid seed with 400 naming the problem, and keeps the state', async () => {
    await start()
    await promote()
    const response = await fetch(`${emulator.url}/emulator/v1/reset`, {
      method: 'POST',
      body: '{"spaces":[{"id":"S","memberships":[{"user":"1","role":"OWNER"}]}]}',
    })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      'Invalid seed: $.spaces[0].memberships[0].role: expected one of ROLE_MEMBER, ROLE_ASSISTANT_MANAGER, ROLE_MANAGER',
    )
    expect(roleOf(emulator, engineering, max)).toBe('ROLE_ASSISTANT_MANAGER')
  })

  it('works programmatically too', async () => {
    await start()
    await promote()
    emulator.reset()
    expect(roleOf(emulator, engineering, max)).toBe('ROLE_MEMBER')
  })
})

describe('other /emulator/ paths', () => {
  it.each([
    ['GET', '/emulator/v1/reset'],
    ['GET', '/emulator/v1/nothing'],
    ['POST', '/emulator/v1/state'],
  ])('%s %s is 404', async (method, path) => {
    await start()
    const response = await fetch(`${emulator.url}${path}`, { method })
    expect(response.status).toBe(404)
    expect(((await response.json()) as { error: { status: string } }).error.status).toBe('NOT_FOUND')
  })
})

describe('the request log never shows a secret', () => {
  it('redacts tokens, codes and keys in logged queries', async () => {
    // The real OAuth side, not the harness's test tokens.
    emulator = await startEmulator({ quotas: false })
    const minted = (await (
      await fetch(`${emulator.url}/emulator/v1/tokens`, {
        method: 'POST',
        body: JSON.stringify({ user: 'max@example.com', scopes: ['chat.memberships'] }),
      })
    ).json()) as { access_token: string; refresh_token: string }
    await fetch(`${emulator.url}/tokeninfo?access_token=${minted.access_token}`)
    await fetch(
      `${emulator.url}/v1/spaces/${engineering}/members/${max}?access_token=${minted.access_token}&key=api-key-1`,
    )
    await fetch(`${emulator.url}/revoke?token=${minted.refresh_token}`, { method: 'POST' })
    const logged = JSON.stringify(await requestsOverHttp())
    expect(logged).toContain('/revoke')
    expect(logged).toContain('[redacted]')
    for (const secret of [minted.access_token, minted.refresh_token, 'api-key-1']) expect(logged).not.toContain(secret)
  })
})
