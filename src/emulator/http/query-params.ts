// Query string handling as Google's front end does it: system parameters in plain and `$` forms,
// API parameters by JSON (camelCase) or proto (snake_case) name, typed, and unknown names rejected.
import { ApiError, Messages, invalidArgument, invalidValue } from './errors.js'
import { camelCase, snakeCase } from './field-names.js'
import { type FieldSelector, parseFieldSelector } from './field-selector.js'
import type { ParamType } from '../chat-api/methods.js'

export interface SystemParams {
  /** `alt=json;enum-encoding=int` (the Cloud client libraries' REST mode) answers enums as numbers. */
  readonly enumsAsInt: boolean
  /** The `fields` partial-response selector, parsed. */
  readonly fields?: FieldSelector
  readonly prettyPrint: boolean
  readonly callback?: string
  /** `access_token` or `oauth_token`. */
  readonly accessToken?: string
}

export type ParamValue = string | number | boolean

export interface ParsedQuery {
  readonly system: SystemParams
  /** API parameters by camelCase name, typed. */
  readonly api: ReadonlyMap<string, ParamValue>
}

const SYSTEM_NAMES = new Set([
  '.xgafv',
  'access_token',
  'alt',
  'callback',
  'fields',
  'key',
  'oauth_token',
  'prettyPrint',
  'quotaUser',
  'uploadType',
  'upload_protocol',
])

function systemName(raw: string): string | undefined {
  if (raw === '$.xgafv') return '.xgafv'
  const name = raw.startsWith('$') ? raw.slice(1) : raw
  return SYSTEM_NAMES.has(name) ? name : undefined
}

function parseBool(field: string, raw: string): boolean {
  if (raw === 'true' || raw === '1') return true
  if (raw === 'false' || raw === '0') return false
  throw invalidValue(field, 'TYPE_BOOL', JSON.stringify(raw))
}

function parseInt32(field: string, raw: string): number {
  const value = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN
  if (!Number.isSafeInteger(value) || value > 2147483647 || value < -2147483648) {
    throw invalidValue(field, 'TYPE_INT32', JSON.stringify(raw))
  }
  return value
}

function parseAlt(raw: string): boolean {
  const [format = '', ...options] = raw.split(';').map(part => part.trim())
  if (format === 'media' || format === 'proto') throw invalidArgument(Messages.altNotJson(format), 'alt')
  if (format !== 'json') throw invalidValue('alt', 'TYPE_ENUM', JSON.stringify(raw))
  let enumsAsInt = false
  for (const option of options) {
    if (option === 'enum-encoding=int') enumsAsInt = true
    else if (option !== '' && option !== 'enum-encoding=string')
      throw invalidValue('alt', 'TYPE_ENUM', JSON.stringify(raw))
  }
  return enumsAsInt
}

/** Splits system parameters from the method's API parameters, typed and checked. */
export function parseQuery(search: URLSearchParams, allowed: Readonly<Record<string, ParamType>>): ParsedQuery {
  let enumsAsInt = false
  let prettyPrint = true
  let fields: FieldSelector | undefined
  let callback: string | undefined
  let accessToken: string | undefined
  const api = new Map<string, ParamValue>()
  for (const [raw, value] of search) {
    const system = systemName(raw)
    if (system !== undefined) {
      switch (system) {
        case 'alt':
          enumsAsInt = parseAlt(value)
          break
        case 'prettyPrint':
          prettyPrint = parseBool('prettyPrint', value)
          break
        case 'fields':
          fields = value === '' ? undefined : parseFieldSelector(value)
          break
        case 'callback':
          if (!/^[A-Za-z_$][A-Za-z0-9_.$]*$/.test(value))
            throw invalidValue('callback', 'TYPE_STRING', JSON.stringify(value))
          callback = value
          break
        case 'access_token':
        case 'oauth_token':
          accessToken ??= value
          break
        case '.xgafv':
          if (value !== '1' && value !== '2') throw invalidValue('$.xgafv', 'TYPE_ENUM', JSON.stringify(value))
          break
        default:
          // key, quotaUser, uploadType, upload_protocol: accepted and ignored.
          break
      }
      continue
    }
    const name = camelCase(raw)
    const type = Object.hasOwn(allowed, name) ? allowed[name] : undefined
    if (type === undefined) throw new ApiError('INVALID_ARGUMENT', Messages.unknownQueryParameter(raw))
    const field = snakeCase(name)
    api.set(name, type === 'bool' ? parseBool(field, value) : type === 'int32' ? parseInt32(field, value) : value)
  }
  const system: SystemParams = {
    enumsAsInt,
    prettyPrint,
    ...(fields === undefined ? {} : { fields }),
    ...(callback === undefined ? {} : { callback }),
    ...(accessToken === undefined ? {} : { accessToken }),
  }
  return { system, api }
}

export function stringParam(query: ParsedQuery, name: string): string | undefined {
  const value = query.api.get(name)
  return typeof value === 'string' ? value : undefined
}

export function boolParam(query: ParsedQuery, name: string): boolean {
  return query.api.get(name) === true
}

export function intParam(query: ParsedQuery, name: string): number | undefined {
  const value = query.api.get(name)
  return typeof value === 'number' ? value : undefined
}
