// Wire details with raw fetch: percent-decoding, system parameters ($ forms, enum-encoding, fields,
// prettyPrint, callback), parameter names and types, proto3 JSON bodies, unknown routes and methods.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DemoSpaces, DemoUsers, type Emulator } from '../../src/emulator/index.js'
import { call, roleOf, startTestEmulator } from './chat-harness.js'

const { engineering } = DemoSpaces
const { max } = DemoUsers
const MAX_PATH = `/v1/spaces/${engineering}/members/${max}`

let emulator: Emulator

beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(async () => {
  await emulator.close()
})
afterEach(() => {
  emulator.reset()
})

/** The parts of answers these tests read; each test knows which kind it got. */
interface WireBody {
  readonly [key: string]: unknown
  readonly name?: string
  readonly role?: string
  readonly displayName?: string
  readonly memberships?: readonly { readonly name: string }[]
  readonly error: {
    readonly code: number
    readonly status: string
    readonly message: string
    readonly details?: readonly { readonly fieldViolations?: readonly { readonly description: string }[] }[]
  }
}

async function json(path: string, init: Parameters<typeof call>[2] = {}): Promise<{ status: number; body: WireBody }> {
  const response = await call(emulator, path, init)
  return { status: response.status, body: (await response.json()) as WireBody }
}

function patch(path: string, body: string) {
  return json(path, { method: 'PATCH', body, headers: { 'content-type': 'application/json' } })
}

describe('path decoding', () => {
  it('treats %40 and @ alike', async () => {
    const encoded = await json(`/v1/spaces/${engineering}/members/max%40example.com`)
    const raw = await json(`/v1/spaces/${engineering}/members/max@example.com`)
    expect(encoded.status).toBe(200)
    expect(raw).toEqual(encoded)
    expect(encoded.body.name).toBe(`spaces/${engineering}/members/${max}`)
  })

  it('routes a fully encoded resource name (%2F in the flat path)', async () => {
    for (const path of [
      `/v1/spaces%2F${engineering}%2Fmembers%2F${max}`,
      `/v1/spaces%2f${engineering}/members%2f${max}`,
    ]) {
      expect((await json(path)).body.name).toBe(`spaces/${engineering}/members/${max}`)
    }
    expect((await json(`/v1/spaces%2F${engineering}`)).body.name).toBe(`spaces/${engineering}`)
    const patched = await patch(
      `/v1/spaces%2F${engineering}%2Fmembers%2F${max}?updateMask=role`,
      '{"role":"ROLE_MANAGER"}',
    )
    expect(patched.body.role).toBe('ROLE_MANAGER')
  })

  it('decodes any escaped character', async () => {
    expect((await json(`/v1/spaces/AAAA%65ngineering/members/${max}`)).status).toBe(200)
  })

  it('rejects malformed escapes with 400', async () => {
    const { status, body } = await json('/v1/spaces/%E0%A4%A/members')
    expect(status).toBe(400)
    expect(body.error.status).toBe('INVALID_ARGUMENT')
  })
})

describe('system parameters', () => {
  it.each(['$alt=json;enum-encoding=int', 'alt=json%3Benum-encoding%3Dint', '%24alt=json%3Benum-encoding%3Dint'])(
    '%s answers enums as numbers',
    async query => {
      const { body } = await json(`${MAX_PATH}?${query}`)
      expect(body).toMatchObject({ state: 1, role: 1, member: { type: 1 }, affiliation: 1 })
      const space = await json(`/v1/spaces/${engineering}?${query}`)
      expect(space.body).toMatchObject({ type: 1, spaceType: 1, spaceThreadingState: 2, spaceHistoryState: 2 })
      expect(space.body.displayName).toBe('Engineering')
    },
  )

  it('plain alt=json answers names', async () => {
    expect((await json(`${MAX_PATH}?alt=json`)).body.role).toBe('ROLE_MEMBER')
  })

  it.each(['alt=media', 'alt=proto', 'alt=xml', '$.xgafv=3', 'prettyPrint=maybe'])('%s is 400', async query => {
    const { status, body } = await json(`${MAX_PATH}?${query}`)
    expect(status).toBe(400)
    expect(body.error.status).toBe('INVALID_ARGUMENT')
  })

  it('pretty-prints by default, not with prettyPrint=false', async () => {
    expect(await (await call(emulator, MAX_PATH)).text()).toContain('\n  "name"')
    const compact = await (await call(emulator, `${MAX_PATH}?prettyPrint=false`)).text()
    expect(compact).not.toContain('\n')
    expect(JSON.parse(compact)).toMatchObject({ role: 'ROLE_MEMBER' })
  })

  it.each([
    ['fields=name,role', { name: `spaces/${engineering}/members/${max}`, role: 'ROLE_MEMBER' }],
    ['$fields=member(name,type)', { member: { name: `users/${max}`, type: 'HUMAN' } }],
    ['fields=member/email,state', { member: { email: 'max@example.com' }, state: 'JOINED' }],
    ['fields=nosuchfield', {}],
  ])('%s selects a partial response', async (query, expected) => {
    expect((await json(`${MAX_PATH}?${query}`)).body).toEqual(expected)
  })

  it('applies fields to lists and leaves errors whole', async () => {
    const { body } = await json(`/v1/spaces/${engineering}/members?pageSize=2&fields=memberships(name),nextPageToken`)
    expect(Object.keys(body)).toEqual(['memberships', 'nextPageToken'])
    expect(body.memberships?.[0]).toEqual({ name: `spaces/${engineering}/members/100000000000000000001` })
    const error = await json(`/v1/spaces/${engineering}/members/nobody?fields=name`)
    expect(error.body.error.code).toBe(404)
  })

  it('rejects a malformed fields selector before applying a patch', async () => {
    const { status } = await patch(`${MAX_PATH}?updateMask=role&fields=name(`, '{"role":"ROLE_MANAGER"}')
    expect(status).toBe(400)
    expect(roleOf(emulator, engineering, max)).toBe('ROLE_MEMBER')
  })

  it('wraps JSONP for callback', async () => {
    const response = await call(emulator, `${MAX_PATH}?callback=handle&prettyPrint=false&fields=role`)
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=UTF-8')
    expect(await response.text()).toBe('// API callback\nhandle({"role":"ROLE_MEMBER"});')
    expect((await call(emulator, `${MAX_PATH}?callback=alert(1)`)).status).toBe(400)
  })

  it('accepts every standard parameter, plain and $-prefixed', async () => {
    const values: Record<string, string> = {
      '$.xgafv': '2',
      access_token: 'owner',
      alt: 'json',
      callback: 'cb',
      fields: 'name',
      key: 'AIzaSyEmulator',
      oauth_token: 'owner',
      prettyPrint: 'true',
      quotaUser: 'someone',
      uploadType: 'media',
      upload_protocol: 'raw',
    }
    for (const [name, value] of Object.entries(values)) {
      for (const form of name.startsWith('$') ? [name] : [name, `$${name}`]) {
        const response = await call(emulator, `${MAX_PATH}?${encodeURIComponent(form)}=${encodeURIComponent(value)}`)
        expect(response.status, form).toBe(200)
      }
    }
  })

  it('authenticates with access_token or oauth_token in the query', async () => {
    expect((await call(emulator, `${MAX_PATH}?access_token=owner`, { token: null })).status).toBe(200)
    expect((await call(emulator, `${MAX_PATH}?oauth_token=owner`, { token: null })).status).toBe(200)
    expect((await call(emulator, `${MAX_PATH}?access_token=bogus`, { token: null })).status).toBe(401)
  })
})

describe('API parameters', () => {
  it('accepts proto (snake_case) names', async () => {
    const { body } = await json(`/v1/spaces/${engineering}/members?page_size=1&show_groups=true&show_invited=1`)
    expect(body.memberships).toHaveLength(1)
    const patched = await patch(`${MAX_PATH}?update_mask=role&use_admin_access=false`, '{"role":"ROLE_MANAGER"}')
    expect(patched.body.role).toBe('ROLE_MANAGER')
  })

  it('rejects unknown parameters as Google does', async () => {
    const { status, body } = await json(`${MAX_PATH}?foo=bar`)
    expect(status).toBe(400)
    expect(body.error.message).toBe(
      `Invalid JSON payload received. Unknown name "foo": Cannot bind query parameter. Field 'foo' could not be found in request message.`,
    )
    expect((await json(`/v1/spaces/${engineering}/members?updateMask=role`)).status).toBe(400)
  })

  it.each([
    ['showGroups=yes', `Invalid value at 'show_groups' (TYPE_BOOL), "yes"`],
    ['pageSize=ten', `Invalid value at 'page_size' (TYPE_INT32), "ten"`],
    ['pageSize=1.5', `Invalid value at 'page_size' (TYPE_INT32), "1.5"`],
    ['pageSize=99999999999', `Invalid value at 'page_size' (TYPE_INT32), "99999999999"`],
  ])('%s is 400: %s', async (query, message) => {
    const { status, body } = await json(`/v1/spaces/${engineering}/members?${query}`)
    expect(status).toBe(400)
    expect(body.error.message).toBe(message)
    expect(body.error.details?.[0]?.fieldViolations?.[0]?.description).toBe(message)
  })
})

describe('PATCH bodies (proto3 JSON)', () => {
  it.each([
    ['{"role":2}', 'ROLE_MANAGER'],
    ['{"role":"ROLE_ASSISTANT_MANAGER"}', 'ROLE_ASSISTANT_MANAGER'],
    [`{"name":"spaces/${engineering}/members/${max}","role":"ROLE_MANAGER"}`, 'ROLE_MANAGER'],
    [
      '{"name":"spaces/other/members/other","role":"ROLE_MANAGER","state":"INVITED","createTime":"2020-01-01T00:00:00Z"}',
      'ROLE_MANAGER',
    ],
    [
      '{"role":"ROLE_MANAGER","member":{"name":"users/x","type":"BOT"},"group_member":null,"affiliation":3}',
      'ROLE_MANAGER',
    ],
  ])('%s sets the role from the body only', async (body, role) => {
    const response = await patch(`${MAX_PATH}?updateMask=role`, body)
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({
      name: `spaces/${engineering}/members/${max}`,
      state: 'JOINED',
      role,
      member: { type: 'HUMAN' },
    })
  })

  it.each([
    ['{"role":', 'Invalid JSON payload received. Unexpected token.'],
    ['[]', 'Invalid JSON payload received. Root element must be a message.'],
    ['"ROLE_MANAGER"', 'Invalid JSON payload received. Root element must be a message.'],
    ['', 'The membership role is required: set role to ROLE_MEMBER, ROLE_ASSISTANT_MANAGER or ROLE_MANAGER.'],
    ['{"name":5,"role":"ROLE_MANAGER"}', "Invalid value at 'membership.name' (TYPE_STRING), 5"],
    ['{"member":"users/1","role":"ROLE_MANAGER"}', `Invalid value at 'membership.member' (TYPE_MESSAGE), "users/1"`],
    [
      '{"state":"GONE","role":"ROLE_MANAGER"}',
      `Invalid value at 'membership.state' (type.googleapis.com/google.chat.v1.Membership.MembershipState), "GONE"`,
    ],
  ])('%j is 400: %s', async (body, message) => {
    const response = await patch(`${MAX_PATH}?updateMask=role`, body)
    expect(response.status).toBe(400)
    expect(response.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message })
    expect(roleOf(emulator, engineering, max)).toBe('ROLE_MEMBER')
  })

  it.each([
    ['{"role":"ROLE_MANAGER","bogus":1}', 'bogus', 'membership'],
    ['{"role":"ROLE_MANAGER","member":{"nickname":"m"}}', 'nickname', 'membership.member'],
    ['{"role":"ROLE_MANAGER","groupMember":{"email":"g@example.com"}}', 'email', 'membership.groupMember'],
  ])('%s: unknown field is 400 with a BadRequest detail', async (body, name, at) => {
    const response = await patch(`${MAX_PATH}?updateMask=role`, body)
    const message = `Invalid JSON payload received. Unknown name "${name}" at '${at}': Cannot find field.`
    expect(response.body).toEqual({
      error: {
        code: 400,
        message,
        status: 'INVALID_ARGUMENT',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.BadRequest',
            fieldViolations: [{ field: at, description: message }],
          },
        ],
      },
    })
  })

  it('refuses a body over 1 MiB', async () => {
    const response = await patch(
      `${MAX_PATH}?updateMask=role`,
      `{"role":"ROLE_MANAGER","name":"${'x'.repeat(1_100_000)}"}`,
    )
    expect(response.status).toBe(400)
    expect(response.body.error.message).toBe('The request body is too large.')
  })
})

describe('routes', () => {
  it.each([
    '/v1/foo',
    '/v1/spaces/',
    `/v1/spaces/${engineering}/members/${max}/extra`,
    `/v1/spaces/${engineering}/messages`,
    '/',
    '/v2/spaces',
  ])("%s is 404 in Google's envelope, before authentication", async path => {
    const { status, body } = await json(path, { token: null })
    expect(status).toBe(404)
    expect(body).toEqual({
      error: { code: 404, message: `The requested URL ${path} was not found on this server.`, status: 'NOT_FOUND' },
    })
  })

  it.each([
    ['POST', MAX_PATH],
    ['PUT', MAX_PATH],
    ['PUT', `/v1/spaces/${engineering}/members`],
    ['DELETE', '/v1/spaces'],
  ])('a wrong method (%s %s) is 404, as Google answers', async (method, path) => {
    expect((await json(path, { method })).status).toBe(404)
  })

  it.each([
    ['DELETE', MAX_PATH, 'chat.spaces.members.delete'],
    ['POST', `/v1/spaces/${engineering}/members`, 'chat.spaces.members.create'],
    ['PATCH', `/v1/spaces/${engineering}`, 'chat.spaces.patch'],
    ['DELETE', `/v1/spaces/${engineering}`, 'chat.spaces.delete'],
    ['POST', '/v1/spaces', 'chat.spaces.create'],
    ['GET', '/v1/spaces:findDirectMessage', 'chat.spaces.findDirectMessage'],
    ['POST', '/v1/spaces:setup', 'chat.spaces.setup'],
  ])('a real Chat method the emulator does not serve (%s %s) is 501', async (method, path, id) => {
    const { status, body } = await json(path, { method })
    expect(status).toBe(501)
    expect(body.error).toEqual({
      code: 501,
      status: 'UNIMPLEMENTED',
      message: `Method ${id} exists in the Google Chat API but is not implemented by chat-role-emulator.`,
    })
  })

  it("answers JSON with Google's content type", async () => {
    expect((await call(emulator, MAX_PATH)).headers.get('content-type')).toBe('application/json; charset=UTF-8')
  })
})
