// The PATCH body: a Membership in proto3 JSON. Field names in JSON or proto form, enums by name or
// number, `null` as unset, `name` optional (the path carries it). Unknown fields are a 400 with a
// BadRequest detail, as Google's transcoder answers.
import { ApiError, Messages, badRequest, invalidValue } from '../http/errors.js'
import { Affiliation, MembershipRole, MembershipState, UserType } from '../domain/enums.js'
import { camelCase } from '../http/field-names.js'

type FieldKind =
  | { readonly kind: 'string' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'enum'; readonly type: string; readonly values: Readonly<Record<string, number>> }
  | { readonly kind: 'message'; readonly fields: Readonly<Record<string, FieldKind>> }

const TYPE_PREFIX = 'type.googleapis.com/google.chat.v1.'
const text: FieldKind = { kind: 'string' }

const userFields: Readonly<Record<string, FieldKind>> = {
  name: text,
  displayName: text,
  domainId: text,
  type: { kind: 'enum', type: `${TYPE_PREFIX}User.Type`, values: UserType },
  isAnonymous: { kind: 'bool' },
  email: text,
  avatarUrl: text,
}

const membershipFields: Readonly<Record<string, FieldKind>> = {
  name: text,
  state: { kind: 'enum', type: `${TYPE_PREFIX}Membership.MembershipState`, values: MembershipState },
  role: { kind: 'enum', type: `${TYPE_PREFIX}Membership.MembershipRole`, values: MembershipRole },
  member: { kind: 'message', fields: userFields },
  groupMember: { kind: 'message', fields: { name: text } },
  createTime: text,
  deleteTime: text,
  affiliation: { kind: 'enum', type: `${TYPE_PREFIX}Membership.Affiliation`, values: Affiliation },
}

function unknownField(name: string, at: string): ApiError {
  const message = Messages.unknownBodyField(name, at)
  return new ApiError('INVALID_ARGUMENT', message, [badRequest([{ field: at, description: message }])])
}

/** Checks a message against its fields and returns enum values as names. */
function readMessage(value: unknown, fields: Readonly<Record<string, FieldKind>>, at: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidValue(at, 'TYPE_MESSAGE', JSON.stringify(value))
  }
  const result: Record<string, unknown> = {}
  for (const [rawName, child] of Object.entries(value)) {
    const name = camelCase(rawName)
    const field = Object.hasOwn(fields, name) ? fields[name] : undefined
    if (field === undefined) throw unknownField(rawName, at)
    if (child === null) continue
    const path = `${at}.${rawName}`
    switch (field.kind) {
      case 'string':
        if (typeof child !== 'string') throw invalidValue(path, 'TYPE_STRING', JSON.stringify(child))
        result[name] = child
        break
      case 'bool':
        if (typeof child !== 'boolean') throw invalidValue(path, 'TYPE_BOOL', JSON.stringify(child))
        result[name] = child
        break
      case 'enum': {
        const match = Object.entries(field.values).find(([enumName, number]) => enumName === child || number === child)
        if (match === undefined) throw invalidValue(path, field.type, JSON.stringify(child))
        result[name] = match[0]
        break
      }
      case 'message':
        result[name] = readMessage(child, field.fields, path)
        break
    }
  }
  return result
}

export interface MembershipPatch {
  readonly role?: keyof typeof MembershipRole
}

export function parseMembershipBody(body: string): MembershipPatch {
  if (body.trim() === '') return {}
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    throw new ApiError('INVALID_ARGUMENT', Messages.invalidJson('Unexpected token.'))
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError('INVALID_ARGUMENT', Messages.invalidJson('Root element must be a message.'))
  }
  const membership = readMessage(value, membershipFields, 'membership')
  const role = membership['role'] as keyof typeof MembershipRole | undefined
  return role === undefined ? {} : { role }
}
