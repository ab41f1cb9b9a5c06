// Field checks shared by the run journal and saved plans. Each returns the value or throws a FieldProblem
// naming the field; the parser that called it adds the file and line, so every refusal is one line.
import { printableText } from './membership-name.js'
import { isRole, type Role } from './role.js'

/** A field that is missing or of the wrong kind. Internal: parsers turn it into a ChatRoleError. */
export class FieldProblem extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FieldProblem'
  }
}

export type JsonObject = Readonly<Record<string, unknown>>

/** Who ran it: the signed-in account, and the Chat user id when it was known. */
export interface RunCaller {
  readonly account: string
  /** `users/ID` */
  readonly user?: string
}

/** A membership as records name it: the canonical name, its space, and who it is when that was read. */
export interface MembershipFields {
  /** `spaces/S/members/ID` */
  readonly name: string
  /** `spaces/S` */
  readonly space: string
  readonly email?: string
  readonly displayName?: string
}

export function asObject(value: unknown, what: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new FieldProblem(`${what} is not an object`)
  return value as JsonObject
}

/** The JSON text of a line, or undefined when it is not JSON. */
export function parseJson(text: string): { readonly value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown }
  } catch {
    return undefined
  }
}

export function requiredString(json: JsonObject, key: string): string {
  const value = json[key]
  if (typeof value !== 'string' || value === '') throw new FieldProblem(`"${key}" is missing or not text`)
  return value
}

export function optionalString(json: JsonObject, key: string): string | undefined {
  const value = json[key]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new FieldProblem(`"${key}" is not text`)
  return value
}

export function requiredRole(json: JsonObject, key: string): Role {
  const value = json[key]
  if (!isRole(value)) throw new FieldProblem(`"${key}" is ${describeValue(value)}, not a role`)
  return value
}

export function optionalRole(json: JsonObject, key: string): Role | undefined {
  return json[key] === undefined ? undefined : requiredRole(json, key)
}

export function requiredBoolean(json: JsonObject, key: string): boolean {
  const value = json[key]
  if (typeof value !== 'boolean') throw new FieldProblem(`"${key}" is missing or not true/false`)
  return value
}

export function requiredCount(json: JsonObject, key: string): number {
  const value = json[key]
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new FieldProblem(`"${key}" is missing or not a whole number`)
  }
  return value
}

/** An ISO 8601 time as `Date.prototype.toISOString` writes it (any offset is accepted). */
export function isoTime(json: JsonObject, key: string): string {
  const value = requiredString(json, key)
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new FieldProblem(`"${key}" is ${describeValue(value)}, not an ISO 8601 time`)
  }
  return value
}

export function stringList(json: JsonObject, key: string): readonly string[] {
  const value = json[key]
  if (!Array.isArray(value) || !value.every(item => typeof item === 'string')) {
    throw new FieldProblem(`"${key}" is missing or not a list of text`)
  }
  return value
}

const SPACE_NAME = /^spaces\/[^/\s]+$/
const MEMBER_ID = /^[^/\s]+$/

export function membershipFields(json: JsonObject): MembershipFields {
  const name = requiredString(json, 'name')
  const space = requiredString(json, 'space')
  if (!SPACE_NAME.test(space)) throw new FieldProblem(`"space" is ${describeValue(space)}, not spaces/SPACE_ID`)
  const prefix = `${space}/members/`
  if (!name.startsWith(prefix) || !MEMBER_ID.test(name.slice(prefix.length))) {
    throw new FieldProblem(`"name" is ${describeValue(name)}, not a membership of ${space}`)
  }
  const email = optionalString(json, 'email')
  const displayName = optionalString(json, 'displayName')
  return {
    name,
    space,
    ...(email !== undefined && { email }),
    ...(displayName !== undefined && { displayName }),
  }
}

export function callerField(json: JsonObject): RunCaller {
  const caller = asObject(json.caller, '"caller"')
  const account = requiredString(caller, 'account')
  const user = optionalString(caller, 'user')
  if (user !== undefined && !/^users\/[^/\s]+$/.test(user)) {
    throw new FieldProblem(`"caller.user" is ${describeValue(user)}, not users/ID`)
  }
  return { account, ...(user !== undefined && { user }) }
}

/** The same person and the same access, as far as a record can tell: accounts compare without case. */
export function sameCaller(a: RunCaller, b: RunCaller): boolean {
  if (a.account.toLowerCase() !== b.account.toLowerCase()) return false
  return a.user === undefined || b.user === undefined || a.user === b.user
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing'
  if (typeof value === 'string') return `'${printableText(value, 40)}'`
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'an object' : typeof value
}
