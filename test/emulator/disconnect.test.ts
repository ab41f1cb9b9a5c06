// Clients that go away, over real HTTP: a request whose body has arrived is applied and logged even
// if its client leaves during the latency or before the answer (as at Google); one that leaves while
// sending its body changes nothing and is logged as such. Neither prints anything on stderr. The
// latency wait is the test seam, so no test sleeps: the wait ends when the client has left.
import { request } from 'node:http'
import { connect } from 'node:net'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DemoSpaces, DemoUsers, type Emulator, type RequestLogEntry } from '../../src/emulator/index.js'
import { waitLatency } from '../../src/emulator/limits/faults.js'
import { roleOf, startTestEmulator } from './chat-harness.js'

const { engineering } = DemoSpaces
const { max } = DemoUsers
const PATCH_PATH = `/v1/spaces/${engineering}/members/${max}?updateMask=role`

let emulator: Emulator
let stderr: string[]
let latencyEntered: Promise<void>
/** While true, the latency wait lasts until the client leaves; false lets later calls through. */
let holdUntilGone = true

beforeEach(async () => {
  stderr = []
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk))
    return true
  })
  holdUntilGone = true
  let entered: () => void = () => undefined
  latencyEntered = new Promise(resolve => {
    entered = resolve
  })
  emulator = await startTestEmulator({
    latencyMs: 5000,
    latencyWait: (_ms, clientGone) => {
      entered()
      if (!holdUntilGone) return Promise.resolve()
      // Wait until the client has left, however long that takes.
      return new Promise(resolve => {
        if (clientGone.aborted) resolve()
        else
          clientGone.addEventListener(
            'abort',
            () => {
              resolve()
            },
            { once: true },
          )
      })
    },
  })
})

afterEach(async () => {
  await emulator.close()
  vi.restoreAllMocks()
})

async function inspect<T>(path: string): Promise<T> {
  const response = await fetch(`${emulator.url}${path}`)
  expect(response.status).toBe(200)
  return (await response.json()) as T
}

async function loggedPatch(): Promise<RequestLogEntry> {
  await vi.waitFor(() => {
    expect(emulator.requests().some(entry => entry.method === 'PATCH')).toBe(true)
  })
  const { requests } = await inspect<{ requests: RequestLogEntry[] }>('/emulator/v1/requests')
  const entry = requests.find(candidate => candidate.method === 'PATCH')
  expect(entry).toBeDefined()
  return entry as RequestLogEntry
}

describe('a client that leaves after sending its request', () => {
  it('during the latency: the change is applied and logged with the status it would have got', async () => {
    const body = JSON.stringify({ role: 'ROLE_ASSISTANT_MANAGER' })
    const client = request(`${emulator.url}${PATCH_PATH}`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer owner', 'content-type': 'application/json' },
    })
    const clientError = new Promise<Error>(resolve => client.once('error', resolve))
    client.end(body)
    await latencyEntered
    client.destroy()
    expect((await clientError).message).toMatch(/socket hang up|aborted/)

    expect(await loggedPatch()).toMatchObject({
      method: 'PATCH',
      status: 200,
      caller: DemoUsers.olivia,
      clientGone: 'before-answer',
      body: { role: 'ROLE_ASSISTANT_MANAGER' },
    })
    const state = await inspect<{ spaces: { name: string; memberships: { name: string; role?: string }[] }[] }>(
      '/emulator/v1/state',
    )
    const space = state.spaces.find(candidate => candidate.name === `spaces/${engineering}`)
    const membership = space?.memberships.find(candidate => candidate.name === `spaces/${engineering}/members/${max}`)
    expect(membership?.role).toBe('ROLE_ASSISTANT_MANAGER')
    expect(stderr.join('')).toBe('')
  })

  it('a refused request is logged with its refusal, and nothing changes', async () => {
    const client = request(`${emulator.url}/v1/spaces/${engineering}/members/${max}`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer owner' },
    })
    client.once('error', () => undefined)
    client.end(JSON.stringify({ role: 'ROLE_MANAGER' }))
    await latencyEntered
    client.destroy()
    expect(await loggedPatch()).toMatchObject({ status: 400, clientGone: 'before-answer' })
    expect(roleOf(emulator, engineering, max)).toBe('ROLE_MEMBER')
    expect(stderr.join('')).toBe('')
  })
})

describe('a client that leaves while its body is arriving', () => {
  it('changes nothing, is logged as gone during the body, and prints nothing', async () => {
    const { port } = new URL(emulator.url)
    const socket = connect(Number(port), '127.0.0.1')
    const continued = new Promise<string>(resolve => {
      socket.once('data', data => {
        resolve(data.toString('latin1'))
      })
    })
    socket.write(
      `PATCH ${PATCH_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer owner\r\n` +
        'Content-Type: application/json\r\nContent-Length: 200\r\nExpect: 100-continue\r\n\r\n',
    )
    // The server has the headers and waits for the body: send part of it, then leave.
    expect(await continued).toMatch(/^HTTP\/1\.1 100 Continue/)
    socket.write('{"role": "ROLE_MAN')
    socket.destroy()

    expect(await loggedPatch()).toMatchObject({
      method: 'PATCH',
      status: null,
      caller: null,
      clientGone: 'during-body',
    })
    expect(roleOf(emulator, engineering, max)).toBe('ROLE_MEMBER')
    expect(stderr.join('')).toBe('')
    // The emulator keeps serving.
    holdUntilGone = false
    const after = await fetch(`${emulator.url}/v1/spaces/${engineering}`, {
      headers: { authorization: 'Bearer owner' },
    })
    expect(after.status).toBe(200)
  })
})

describe('waitLatency', () => {
  it('ends as soon as the client has gone', async () => {
    const gone = new AbortController()
    const wait = waitLatency(3_600_000, gone.signal)
    gone.abort()
    await expect(wait).resolves.toBeUndefined()
    await expect(waitLatency(3_600_000, AbortSignal.abort())).resolves.toBeUndefined()
  })

  it('waits the time out otherwise', async () => {
    await expect(waitLatency(1, new AbortController().signal)).resolves.toBeUndefined()
  })
})
