// Quotas (§3.3 row 25, §5): token buckets per project and per space on an injected clock. No test
// sleeps: time moves only when the test advances it.
import { afterEach, describe, expect, it } from 'vitest'
import {
  DemoSpaces,
  DemoUsers,
  type Emulator,
  type EmulatorOptions,
  type QuotaLimits,
} from '../../src/emulator/index.js'
import { call, chatClient, expectApiError, membershipName, roleOf, startTestEmulator } from './chat-harness.js'

const { engineering, design } = DemoSpaces
const { max, mia } = DemoUsers

let emulator: Emulator
let time = 0

afterEach(async () => {
  await emulator.close()
})

async function start(quotas: Partial<QuotaLimits> = {}, options: EmulatorOptions = {}): Promise<void> {
  time = 1_700_000_000_000
  emulator = await startTestEmulator({ quotas, now: () => time, ...options })
}

function patch(space: string, member: string, role: string) {
  return call(emulator, `/v1/spaces/${space}/members/${member}?updateMask=role`, {
    method: 'PATCH',
    body: JSON.stringify({ role }),
  })
}

function get(space: string, member = max) {
  return call(emulator, `/v1/spaces/${space}/members/${member}`)
}

async function statuses(requests: readonly (() => Promise<Response>)[]): Promise<number[]> {
  const result: number[] = []
  for (const request of requests) result.push((await request()).status)
  return result
}

describe('project writes per minute (members.patch)', () => {
  it("refuse the call beyond the limit with Google's 429 body, and change nothing", async () => {
    await start({ projectWritesPerMinute: 3, spaceWritesPerSecond: 100 })
    expect(await statuses([1, 2, 3].map(() => () => patch(engineering, max, 'ROLE_ASSISTANT_MANAGER')))).toEqual([
      200, 200, 200,
    ])
    const refused = await patch(engineering, max, 'ROLE_MANAGER')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBeNull()
    expect(await refused.json()).toEqual({
      error: {
        code: 429,
        message:
          "Quota exceeded for quota metric 'Membership write requests' and limit 'Membership write requests per minute per project' of service 'chat.googleapis.com' for consumer 'project_number:123456789'.",
        status: 'RESOURCE_EXHAUSTED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'RATE_LIMIT_EXCEEDED',
            domain: 'googleapis.com',
            metadata: {
              service: 'chat.googleapis.com',
              consumer: 'projects/123456789',
              quota_metric: 'chat.googleapis.com/membership_write_requests',
              quota_limit: 'MembershipWriteRequestsPerMinutePerProject',
              quota_limit_value: '3',
              quota_location: 'global',
            },
          },
          {
            '@type': 'type.googleapis.com/google.rpc.Help',
            links: [
              {
                description: 'Request a higher quota limit.',
                url: 'https://cloud.google.com/docs/quota#requesting_higher_quota',
              },
            ],
          },
        ],
      },
    })
    expect(roleOf(emulator, engineering, max)).toBe('ROLE_ASSISTANT_MANAGER')
  })

  it('refill continuously: one token every 60/limit seconds', async () => {
    await start({ projectWritesPerMinute: 3, spaceWritesPerSecond: 100 })
    await statuses([1, 2, 3].map(() => () => patch(engineering, max, 'ROLE_MEMBER')))
    time += 19_999
    expect((await patch(engineering, max, 'ROLE_MEMBER')).status).toBe(429)
    time += 1
    expect((await patch(engineering, max, 'ROLE_MEMBER')).status).toBe(200)
    expect((await patch(engineering, max, 'ROLE_MEMBER')).status).toBe(429)
  })

  it('count a no-op patch (row 17) and reach the client as 429 RESOURCE_EXHAUSTED', async () => {
    await start({ projectWritesPerMinute: 1, spaceWritesPerSecond: 100 })
    expect((await patch(engineering, max, 'ROLE_MEMBER')).status).toBe(200)
    await expectApiError(
      chatClient(emulator).spaces.members.patch({
        name: membershipName(engineering, max),
        updateMask: 'role',
        requestBody: { role: 'ROLE_MANAGER' },
      }),
      429,
      'RESOURCE_EXHAUSTED',
    )
  })

  it('default to 300 per minute', async () => {
    await start({ spaceWritesPerSecond: 1000 })
    const results = await statuses(
      Array.from(
        { length: 301 },
        (_, index) => () => patch(engineering, max, index % 2 === 0 ? 'ROLE_MEMBER' : 'ROLE_ASSISTANT_MANAGER'),
      ),
    )
    expect(results.slice(0, 300).every(status => status === 200)).toBe(true)
    expect(results[300]).toBe(429)
  })
})

describe('space writes per second', () => {
  it('allow one patch per space per second by default', async () => {
    await start()
    expect((await patch(engineering, max, 'ROLE_ASSISTANT_MANAGER')).status).toBe(200)
    const refused = await patch(engineering, mia, 'ROLE_MEMBER')
    expect(refused.status).toBe(429)
    const body = (await refused.json()) as { error: { details: { metadata?: Record<string, string> }[] } }
    expect(body.error.details[0]?.metadata).toMatchObject({
      quota_metric: 'chat.googleapis.com/per_space_write_requests',
      quota_limit: 'WriteRequestsPerSecondPerSpace',
      quota_limit_value: '1',
    })
    expect(roleOf(emulator, engineering, mia)).toBe('ROLE_ASSISTANT_MANAGER')
    expect((await patch(design, max, 'ROLE_ASSISTANT_MANAGER')).status).toBe(200)
    time += 1000
    expect((await patch(engineering, mia, 'ROLE_MEMBER')).status).toBe(200)
  })
})

describe('reads', () => {
  it('allow 15 per space per second for members.get/list and spaces.get', async () => {
    await start()
    const reads = [
      ...Array.from({ length: 13 }, () => () => get(engineering)),
      () => call(emulator, `/v1/spaces/${engineering}/members`),
      () => call(emulator, `/v1/spaces/${engineering}`),
    ]
    expect((await statuses(reads)).every(status => status === 200)).toBe(true)
    expect((await get(engineering)).status).toBe(429)
    expect((await call(emulator, `/v1/spaces/${engineering}`)).status).toBe(429)
    expect((await call(emulator, '/v1/spaces')).status).toBe(200)
    expect((await get(design)).status).toBe(200)
    time += 1000 / 15
    expect((await get(engineering)).status).toBe(200)
  })

  it('keep membership reads and space reads in separate project buckets', async () => {
    await start({ projectReadsPerMinute: 2 })
    expect(await statuses([() => get(engineering), () => get(design), () => get(engineering)])).toEqual([200, 200, 429])
    const spaceReads = await statuses([
      () => call(emulator, '/v1/spaces'),
      () => call(emulator, `/v1/spaces/${design}`),
      () => call(emulator, '/v1/spaces'),
    ])
    expect(spaceReads).toEqual([200, 200, 429])
    const body = (await (await call(emulator, '/v1/spaces')).json()) as {
      error: { details: { metadata?: Record<string, string> }[] }
    }
    expect(body.error.details[0]?.metadata?.['quota_metric']).toBe('chat.googleapis.com/space_read_requests')
  })
})

describe('spaces.search', () => {
  const search = () =>
    call(
      emulator,
      `/v1/spaces:search?useAdminAccess=true&query=${encodeURIComponent('customer = "customers/my_customer" AND space_type = "SPACE"')}`,
    )

  it('draws on the project space-read bucket, shared with spaces.get and spaces.list', async () => {
    await start({ projectReadsPerMinute: 3 })
    expect(await statuses([search, () => call(emulator, `/v1/spaces/${design}`), search, search])).toEqual([
      200, 200, 200, 429,
    ])
    const body = (await (await search()).json()) as { error: { details: { metadata?: Record<string, string> }[] } }
    expect(body.error.details[0]?.metadata?.['quota_metric']).toBe('chat.googleapis.com/space_read_requests')
    expect((await get(engineering)).status).toBe(200)
  })

  it('draws on no per-space bucket', async () => {
    await start({ spaceReadsPerSecond: 1 })
    expect(await statuses([search, search, search, () => call(emulator, `/v1/spaces/${engineering}`)])).toEqual([
      200, 200, 200, 200,
    ])
  })
})

describe('--retry-after', () => {
  it('adds Retry-After (whole seconds) and RetryInfo (exact delay)', async () => {
    await start({ projectWritesPerMinute: 3, spaceWritesPerSecond: 100 }, { retryAfter: true })
    await statuses([1, 2, 3].map(() => () => patch(engineering, max, 'ROLE_MEMBER')))
    time += 5_000
    const refused = await patch(engineering, max, 'ROLE_MEMBER')
    expect(refused.headers.get('retry-after')).toBe('15')
    const body = (await refused.json()) as { error: { details: Record<string, unknown>[] } }
    expect(body.error.details[2]).toEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '15s' })
    time += 14_500
    const again = await patch(engineering, max, 'ROLE_MEMBER')
    expect(again.headers.get('retry-after')).toBe('1')
    expect(
      ((await again.json()) as { error: { details: Record<string, unknown>[] } }).error.details[2]?.['retryDelay'],
    ).toBe('0.5s')
  })
})

describe('what does not count', () => {
  it('unauthenticated and unrouted calls take no token', async () => {
    await start({ projectWritesPerMinute: 1 })
    for (let index = 0; index < 3; index += 1) {
      expect(
        (
          await call(emulator, `/v1/spaces/${engineering}/members/${max}?updateMask=role`, {
            method: 'PATCH',
            token: null,
          })
        ).status,
      ).toBe(401)
    }
    expect((await patch(engineering, max, 'ROLE_MANAGER')).status).toBe(200)
  })

  it('reset refills every bucket', async () => {
    await start({ projectWritesPerMinute: 1 })
    await patch(engineering, max, 'ROLE_MANAGER')
    expect((await patch(design, max, 'ROLE_MANAGER')).status).toBe(429)
    expect((await call(emulator, '/emulator/v1/reset', { method: 'POST' })).status).toBe(200)
    expect((await patch(design, max, 'ROLE_MANAGER')).status).toBe(200)
  })

  it('quotas: false turns every bucket off', async () => {
    time = 0
    emulator = await startTestEmulator({ quotas: false, now: () => time })
    const results = await statuses(
      Array.from(
        { length: 50 },
        (_, index) => () => patch(engineering, max, index % 2 === 0 ? 'ROLE_MANAGER' : 'ROLE_MEMBER'),
      ),
    )
    expect(new Set(results)).toEqual(new Set([200]))
  })
})
