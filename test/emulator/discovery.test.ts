// The emulator against Google's discovery document (test/fixtures/chat-v1-discovery.json, an extract
// of rev 20260920, plus spaces.search from fixtures/spaces-search-discovery.json, of the same
// revision): every served method's path, flatPath, HTTP method, scopes and parameters are accepted,
// and every field the emulator emits exists in the schema with the right type and enum.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DemoSpaces, DemoUsers, type Emulator } from '../../src/emulator/index.js'
import { Methods, type MethodSpec } from '../../src/emulator/chat-api/methods.js'
import { call, startTestEmulator } from './chat-harness.js'

interface Parameter {
  readonly location: 'path' | 'query'
  readonly type: 'string' | 'integer' | 'boolean'
  readonly format?: string
  readonly pattern?: string
  readonly enum?: readonly string[]
}

interface DiscoveryMethod {
  readonly id: string
  readonly path: string
  readonly flatPath: string
  readonly httpMethod: string
  readonly parameters: Readonly<Record<string, Parameter>>
  readonly scopes: readonly string[]
  readonly response: { readonly $ref: string }
}

interface Schema {
  readonly type?: string
  readonly $ref?: string
  readonly enum?: readonly string[]
  readonly format?: string
  readonly properties?: Readonly<Record<string, Schema>>
  readonly items?: Schema
}

interface Discovery {
  readonly revision: string
  readonly parameters: Readonly<Record<string, Parameter>>
  readonly resources: {
    readonly spaces: {
      readonly methods: Readonly<Record<'get' | 'list' | 'search', DiscoveryMethod>>
      readonly resources: {
        readonly members: { readonly methods: Readonly<Record<'get' | 'list' | 'patch', DiscoveryMethod>> }
      }
    }
  }
  readonly schemas: Readonly<Record<string, Schema>>
}

interface Supplement {
  readonly revision: string
  readonly resources: { readonly spaces: { readonly methods: { readonly search: DiscoveryMethod } } }
  readonly schemas: Readonly<Record<string, Schema>>
}

const extract = JSON.parse(
  readFileSync(new URL('../fixtures/chat-v1-discovery.json', import.meta.url), 'utf8'),
) as Discovery
const supplement = JSON.parse(
  readFileSync(new URL('./fixtures/spaces-search-discovery.json', import.meta.url), 'utf8'),
) as Supplement
const discovery: Discovery = {
  ...extract,
  resources: {
    spaces: {
      ...extract.resources.spaces,
      methods: { ...extract.resources.spaces.methods, search: supplement.resources.spaces.methods.search },
    },
  },
  schemas: { ...extract.schemas, ...supplement.schemas },
}
const spaces = discovery.resources.spaces
const members = spaces.resources.members.methods
const { engineering } = DemoSpaces
const { max } = DemoUsers

interface Served {
  readonly spec: MethodSpec
  readonly method: DiscoveryMethod
  /** Values for the path template variables, by name. */
  readonly path: Readonly<Record<string, string>>
  readonly flat: Readonly<Record<string, string>>
  /** Valid sample values for the query parameters. */
  readonly samples: Readonly<Record<string, string>>
  readonly body?: string
  /** Query parameters every call needs (spaces.search: admin access and a query). */
  readonly required?: Readonly<Record<string, string>>
}

const SEARCH_QUERY = 'customer = "customers/my_customer" AND space_type = "SPACE"'

const served: readonly Served[] = [
  {
    spec: Methods.getMembership,
    method: members.get,
    path: { name: `spaces/${engineering}/members/${max}` },
    flat: { spacesId: engineering, membersId: max },
    samples: { useAdminAccess: 'false' },
  },
  {
    spec: Methods.listMemberships,
    method: members.list,
    path: { parent: `spaces/${engineering}` },
    flat: { spacesId: engineering },
    samples: {
      filter: 'role = "ROLE_MEMBER"',
      pageSize: '10',
      pageToken: '',
      showGroups: 'true',
      showInvited: 'true',
      useAdminAccess: 'false',
    },
  },
  {
    spec: Methods.updateMembership,
    method: members.patch,
    path: { name: `spaces/${engineering}/members/${max}` },
    flat: { spacesId: engineering, membersId: max },
    samples: { updateMask: 'role', useAdminAccess: 'false' },
    body: '{"role":"ROLE_MEMBER"}',
  },
  {
    spec: Methods.getSpace,
    method: spaces.methods.get,
    path: { name: `spaces/${engineering}` },
    flat: { spacesId: engineering },
    samples: { useAdminAccess: 'false' },
  },
  {
    spec: Methods.listSpaces,
    method: spaces.methods.list,
    path: {},
    flat: {},
    samples: { filter: 'spaceType = "SPACE"', pageSize: '10', pageToken: '' },
  },
  {
    spec: Methods.searchSpaces,
    method: spaces.methods.search,
    path: {},
    flat: {},
    samples: {
      query: SEARCH_QUERY,
      orderBy: 'create_time DESC',
      pageSize: '10',
      pageToken: '',
      useAdminAccess: 'true',
    },
    required: { useAdminAccess: 'true', query: SEARCH_QUERY },
  },
]

function expand(template: string, values: Readonly<Record<string, string>>): string {
  return `/${template.replace(/\{\+?(\w+)\}/g, (_match, name: string) => values[name] ?? '')}`
}

let emulator: Emulator

beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(async () => {
  await emulator.close()
})

/** `query` is `?name=value…` or empty; the method's required parameters are added unless given. */
function request(method: Served, path: string, query = ''): Promise<Response> {
  const search = new URLSearchParams(query)
  for (const [name, value] of Object.entries(method.required ?? {})) if (!search.has(name)) search.set(name, value)
  const text = search.toString()
  return call(emulator, `${path}${text === '' ? '' : `?${text}`}`, {
    method: method.method.httpMethod,
    ...(method.body === undefined ? {} : { body: method.body }),
  })
}

const PARAM_TYPES = { string: 'string', integer: 'int32', boolean: 'bool' } as const

describe.each(served.map(entry => [entry.method.id, entry] as const))('%s', (_id, entry) => {
  it("has the discovery document's scopes", () => {
    expect([...entry.spec.scopes].sort()).toEqual([...entry.method.scopes].sort())
    expect(entry.spec.id).toBe(entry.method.id)
  })

  it('takes exactly the documented query parameters, with their types', () => {
    const documented = Object.entries(entry.method.parameters)
      .filter(([, parameter]) => parameter.location === 'query')
      .map(([name, parameter]) => [name, PARAM_TYPES[parameter.type]])
    expect(Object.entries(entry.spec.params).sort()).toEqual(documented.sort())
  })

  it('is served at path and flatPath with its HTTP method', async () => {
    for (const path of [expand(entry.method.path, entry.path), expand(entry.method.flatPath, entry.flat)]) {
      const response = await request(entry, path, entry.method.httpMethod === 'PATCH' ? '?updateMask=role' : '')
      expect(response.status, `${entry.method.httpMethod} ${path}`).toBe(200)
    }
  })

  it.each(Object.keys(entry.method.parameters).filter(name => entry.method.parameters[name]?.location === 'query'))(
    'accepts query parameter %s',
    async name => {
      const sample = entry.samples[name]
      expect(sample, `a sample value for ${name}`).toBeDefined()
      const extra = name === 'updateMask' || entry.method.httpMethod !== 'PATCH' ? '' : '&updateMask=role'
      const response = await request(
        entry,
        expand(entry.method.path, entry.path),
        `?${name}=${encodeURIComponent(sample ?? '')}${extra}`,
      )
      expect(response.status).toBe(200)
    },
  )
})

it('reads spaces.search from the same revision as the rest', () => {
  expect(supplement.revision).toBe(extract.revision)
})

describe('standard parameters', () => {
  const values: Record<string, string> = {
    access_token: 'owner',
    oauth_token: 'owner',
    callback: 'cb',
    fields: 'name',
    alt: 'json',
  }
  it.each(Object.entries(discovery.parameters))('accepts %s', async (name, parameter) => {
    const value = values[name] ?? parameter.enum?.[0] ?? (parameter.type === 'boolean' ? 'true' : 'x')
    const response = await call(
      emulator,
      `/v1/spaces/${engineering}?${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
    )
    expect(response.status).toBe(200)
  })
})

function validate(value: unknown, schema: Schema, path: string, problems: string[]): void {
  if (schema.$ref !== undefined) {
    const target = discovery.schemas[schema.$ref]
    if (target === undefined) problems.push(`${path}: schema ${schema.$ref} missing from the fixture`)
    else validate(value, target, path, problems)
    return
  }
  switch (schema.type) {
    case 'object':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        problems.push(`${path}: expected an object`)
        return
      }
      for (const [key, child] of Object.entries(value)) {
        const property = schema.properties?.[key]
        if (property === undefined) problems.push(`${path}.${key}: not in the schema`)
        else validate(child, property, `${path}.${key}`, problems)
      }
      return
    case 'array':
      if (!Array.isArray(value)) problems.push(`${path}: expected an array`)
      else
        value.forEach((item, index) => {
          validate(item, schema.items ?? {}, `${path}[${index}]`, problems)
        })
      return
    case 'string':
      if (typeof value !== 'string') problems.push(`${path}: expected a string`)
      else if (schema.enum !== undefined && !schema.enum.includes(value))
        problems.push(`${path}: ${value} is not in the enum`)
      else if (schema.format === 'google-datetime' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)) {
        problems.push(`${path}: ${value} is not an RFC 3339 UTC timestamp`)
      }
      return
    case 'integer':
      if (!Number.isInteger(value)) problems.push(`${path}: expected an integer`)
      return
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${path}: expected a boolean`)
      return
    case undefined:
    default:
      problems.push(`${path}: unexpected schema type ${String(schema.type)}`)
  }
}

describe('emitted fields', () => {
  it('exist in the schemas with the right types and enum values', async () => {
    const problems: string[] = []
    const check = async (path: string, schema: string): Promise<unknown> => {
      const response = await call(emulator, path)
      expect(response.status, path).toBe(200)
      const body: unknown = await response.json()
      validate(body, { $ref: schema }, `${schema}(${path})`, problems)
      return body
    }
    const admin = '?useAdminAccess=true&showGroups=true&filter=member.type%20!%3D%20%22BOT%22'
    await check('/v1/spaces', 'ListSpacesResponse')
    await check(
      `/v1/spaces:search?useAdminAccess=true&query=${encodeURIComponent(SEARCH_QUERY)}`,
      'SearchSpacesResponse',
    )
    for (const space of Object.values(DemoSpaces)) {
      await check(`/v1/spaces/${space}?useAdminAccess=true`, 'Space')
      const list = (await check(`/v1/spaces/${space}/members${admin}&showInvited=true`, 'ListMembershipsResponse')) as {
        memberships?: { name: string }[]
      }
      for (const membership of list.memberships ?? [])
        await check(`/v1/${membership.name}?useAdminAccess=true`, 'Membership')
    }
    await check(`/v1/spaces/${engineering}/members?showGroups=true&showInvited=true`, 'ListMembershipsResponse')
    await check(`/v1/spaces/${engineering}/members/app`, 'Membership')
    expect(problems).toEqual([])
  })

  it('are names the path patterns accept', () => {
    const membershipPattern = new RegExp(members.get.parameters['name']?.pattern ?? '-')
    const spacePattern = new RegExp(spaces.methods.get.parameters['name']?.pattern ?? '-')
    const parentPattern = new RegExp(members.list.parameters['parent']?.pattern ?? '-')
    for (const space of emulator.state().spaces) {
      expect(space.name).toMatch(spacePattern)
      expect(space.name).toMatch(parentPattern)
      for (const membership of space.memberships) expect(membership.name).toMatch(membershipPattern)
    }
  })
})
