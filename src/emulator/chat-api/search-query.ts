// The `query` of spaces.search with useAdminAccess=true, as the discovery document describes it:
// `customer = "customers/my_customer"` and `space_type = "SPACE"` required; `display_name:"text"`
// (HAS: every word of the text prefixes a word of the name, case-insensitively);
// `external_user_allowed` and `space_history_state` with `=`; `create_time` and `last_active_time`
// with `= < > <= >=` and RFC 3339 values. Fields take their proto (snake_case) or JSON (camelCase)
// name: the reference shows the first, the rendered guide the second. Across fields only AND;
// within one field OR (display_name, external_user_allowed, space_history_state, the times) and AND
// (the times only, for intervals). Parentheses group; as in AIP-160, OR binds tighter than AND.
import { Messages, invalidArgument } from '../http/errors.js'
import { snakeCase } from '../http/field-names.js'
import type { SpaceRecord } from '../domain/state.js'

type Operator = '=' | ':' | '<' | '>' | '<=' | '>=' | '!='

interface Comparison {
  readonly kind: 'comparison'
  /** snake_case. */
  readonly field: string
  readonly operator: Operator
  readonly value: string
}

type Node = Comparison | { readonly kind: 'and' | 'or'; readonly children: readonly Node[] }

type Token =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'operator'; readonly text: Operator }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'paren'; readonly text: '(' | ')' }

const MAX_QUERY_LENGTH = 1000
const CUSTOMER = 'customers/my_customer'
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i

function queryError(detail: string) {
  return invalidArgument(Messages.invalidQuery(detail), 'query')
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = []
  let position = 0
  while (position < query.length) {
    const rest = query.slice(position)
    const blank = /^\s+/.exec(rest)
    if (blank !== null) {
      position += blank[0].length
      continue
    }
    const char = rest.charAt(0)
    if (char === '(' || char === ')') {
      tokens.push({ kind: 'paren', text: char })
      position += 1
      continue
    }
    const operator = /^(<=|>=|!=|=|<|>|:)/.exec(rest)
    if (operator !== null) {
      tokens.push({ kind: 'operator', text: operator[0] as Operator })
      position += operator[0].length
      continue
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest)
    if (word !== null) {
      tokens.push({ kind: 'word', text: word[0] })
      position += word[0].length
      continue
    }
    if (char === '"') {
      const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(rest)
      if (quoted === null) throw queryError(`unterminated string literal at position ${position + 1}`)
      tokens.push({ kind: 'string', text: (quoted[1] ?? '').replace(/\\(.)/g, '$1') })
      position += quoted[0].length
      continue
    }
    throw queryError(`unexpected ${JSON.stringify(char)} at position ${position + 1}`)
  }
  return tokens
}

/** Recursive descent: and := or (AND or)*; or := primary (OR primary)*; primary := ( and ) | comparison. */
function parse(tokens: readonly Token[]): Node {
  let index = 0
  const peek = (): Token | undefined => tokens[index]
  const isJoiner = (token: Token | undefined, joiner: 'AND' | 'OR'): boolean =>
    token?.kind === 'word' && token.text === joiner
  const describe = (token: Token | undefined): string =>
    token === undefined ? 'the end of the query' : JSON.stringify(token.text)

  const comparison = (): Comparison => {
    const field = tokens[index++]
    if (field?.kind !== 'word' || field.text === 'AND' || field.text === 'OR' || field.text === 'NOT') {
      throw queryError(`expected a field name, found ${describe(field)}`)
    }
    const operator = tokens[index++]
    if (operator?.kind !== 'operator') throw queryError(`expected an operator after ${field.text}`)
    const value = tokens[index++]
    if (value?.kind !== 'string') {
      throw queryError(`expected a double-quoted value after ${field.text} ${operator.text}, found ${describe(value)}`)
    }
    return { kind: 'comparison', field: snakeCase(field.text), operator: operator.text, value: value.text }
  }
  const primary = (): Node => {
    const token = peek()
    if (token?.kind === 'paren' && token.text === '(') {
      index += 1
      const inner = conjunction()
      const close = tokens[index++]
      if (close?.kind !== 'paren' || close.text !== ')') throw queryError(`expected ), found ${describe(close)}`)
      return inner
    }
    return comparison()
  }
  const disjunction = (): Node => {
    const children = [primary()]
    while (isJoiner(peek(), 'OR')) {
      index += 1
      children.push(primary())
    }
    return children.length === 1 ? (children[0] as Node) : { kind: 'or', children }
  }
  const conjunction = (): Node => {
    const children = [disjunction()]
    while (isJoiner(peek(), 'AND')) {
      index += 1
      children.push(disjunction())
    }
    return children.length === 1 ? (children[0] as Node) : { kind: 'and', children }
  }

  const root = conjunction()
  if (index < tokens.length) throw queryError(`expected AND or OR, found ${describe(peek())}`)
  return root
}

/** A conjunction of clauses; each clause is an OR of comparisons on one field. */
type Clause = readonly Comparison[]

function flattenAnd(node: Node): Node[] {
  return node.kind === 'and' ? node.children.flatMap(flattenAnd) : [node]
}

function flattenOr(node: Node): Comparison[] {
  if (node.kind === 'comparison') return [node]
  if (node.kind === 'or') return node.children.flatMap(flattenOr)
  throw queryError('AND inside OR is not supported; OR joins conditions on one field')
}

type FieldRule = {
  readonly operators: readonly Operator[]
  /** Allowed values; undefined for free text (display_name) and timestamps. */
  readonly values?: readonly string[]
  readonly timestamp?: boolean
  /** How the field may be combined with itself. */
  readonly repeat: 'none' | 'or' | 'and-or'
}

const FIELDS: Readonly<Record<string, FieldRule>> = {
  customer: { operators: ['='], values: [CUSTOMER], repeat: 'none' },
  space_type: { operators: ['='], values: ['SPACE'], repeat: 'none' },
  display_name: { operators: [':'], repeat: 'or' },
  external_user_allowed: { operators: ['='], values: ['true', 'false'], repeat: 'or' },
  space_history_state: { operators: ['='], values: ['HISTORY_ON', 'HISTORY_OFF'], repeat: 'or' },
  create_time: { operators: ['=', '<', '>', '<=', '>='], timestamp: true, repeat: 'and-or' },
  last_active_time: { operators: ['=', '<', '>', '<=', '>='], timestamp: true, repeat: 'and-or' },
}

const VALUE_HINTS: Readonly<Record<string, string>> = {
  customer: `customers/my_customer is the only supported customer`,
  space_type: 'SPACE is the only valid space_type',
  external_user_allowed: 'external_user_allowed accepts "true" or "false"',
  space_history_state: 'space_history_state accepts HISTORY_ON or HISTORY_OFF',
}

function checkComparison(comparison: Comparison): FieldRule {
  const rule = Object.hasOwn(FIELDS, comparison.field) ? FIELDS[comparison.field] : undefined
  if (rule === undefined) {
    throw queryError(
      `unsupported field ${JSON.stringify(comparison.field)}; search by ${Object.keys(FIELDS).join(', ')}`,
    )
  }
  if (!rule.operators.includes(comparison.operator)) {
    throw queryError(
      `${comparison.field} accepts ${rule.operators.map(operator => (operator === ':' ? ': (HAS)' : operator)).join(', ')}, not ${comparison.operator}`,
    )
  }
  if (rule.values !== undefined && !rule.values.includes(comparison.value)) {
    throw queryError(`${VALUE_HINTS[comparison.field] ?? 'unsupported value'}, not ${JSON.stringify(comparison.value)}`)
  }
  if (rule.timestamp === true && (!RFC3339.test(comparison.value) || Number.isNaN(Date.parse(comparison.value)))) {
    throw queryError(`${comparison.field} takes an RFC 3339 timestamp, not ${JSON.stringify(comparison.value)}`)
  }
  return rule
}

function clausesOf(root: Node): Clause[] {
  const clauses = flattenAnd(root).map(flattenOr)
  const seen = new Map<string, number>()
  for (const clause of clauses) {
    const fields = new Set(clause.map(comparison => comparison.field))
    if (fields.size > 1) {
      throw queryError(`across different fields only AND is supported, not OR (${[...fields].join(', ')})`)
    }
    const [first] = clause
    if (first === undefined) continue
    let rule: FieldRule | undefined
    for (const comparison of clause) rule = checkComparison(comparison)
    if (rule === undefined) continue
    if (clause.length > 1 && rule.repeat === 'none') throw queryError(`${first.field} does not support OR`)
    const count = (seen.get(first.field) ?? 0) + 1
    seen.set(first.field, count)
    if (count > 1 && rule.repeat !== 'and-or') {
      throw queryError(
        rule.repeat === 'none'
          ? `${first.field} does not support AND`
          : `${first.field} supports OR only; combine its values with OR`,
      )
    }
  }
  if (!seen.has('customer')) throw invalidArgument(Messages.searchNeedsCustomer, 'query')
  if (!seen.has('space_type')) throw invalidArgument(Messages.searchNeedsSpaceType, 'query')
  return clauses
}

const WORD = /[\p{L}\p{N}]+/gu

function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? []
}

/** Every word of the text prefixes some word of the display name, each independently. */
function displayNameHas(space: SpaceRecord, text: string): boolean {
  if (space.displayName === undefined) return false
  const nameWords = words(space.displayName)
  return words(text).every(token => nameWords.some(word => word.startsWith(token)))
}

function compareTimes(actual: string, comparison: Comparison): boolean {
  const left = Date.parse(actual)
  const right = Date.parse(comparison.value)
  switch (comparison.operator) {
    case '=':
      return left === right
    case '<':
      return left < right
    case '>':
      return left > right
    case '<=':
      return left <= right
    case '>=':
      return left >= right
    case ':':
    case '!=':
      return false
  }
}

function matches(space: SpaceRecord, comparison: Comparison): boolean {
  switch (comparison.field) {
    case 'customer':
      return true
    case 'space_type':
      return space.spaceType === comparison.value
    case 'display_name':
      return displayNameHas(space, comparison.value)
    case 'external_user_allowed':
      return String(space.externalUserAllowed) === comparison.value
    case 'space_history_state':
      return space.spaceHistoryState === comparison.value
    case 'create_time':
      return compareTimes(space.createTime, comparison)
    case 'last_active_time':
      return compareTimes(space.lastActiveTime, comparison)
    default:
      return false
  }
}

export type SpacePredicate = (space: SpaceRecord) => boolean

/** Parses and checks an admin search query; throws 400 INVALID_ARGUMENT with what is wrong. */
export function parseSearchQuery(query: string | undefined): SpacePredicate {
  if (query === undefined || query.trim() === '') throw invalidArgument(Messages.searchQueryRequired, 'query')
  if (query.length > MAX_QUERY_LENGTH) throw invalidArgument(Messages.searchQueryTooLong, 'query')
  const tokens = tokenize(query)
  const clauses = clausesOf(parse(tokens))
  return space => clauses.every(clause => clause.some(comparison => matches(space, comparison)))
}

export interface SearchOrder {
  readonly key: 'id' | 'membership_count.joined_direct_human_user_count' | 'last_active_time' | 'create_time'
  readonly descending: boolean
}

const ORDER_KEYS: Readonly<Record<string, SearchOrder['key']>> = {
  'membership_count.joined_direct_human_user_count': 'membership_count.joined_direct_human_user_count',
  'membershipCount.joinedDirectHumanUserCount': 'membership_count.joined_direct_human_user_count',
  last_active_time: 'last_active_time',
  lastActiveTime: 'last_active_time',
  create_time: 'create_time',
  createTime: 'create_time',
}

/** `orderBy`: one of the documented attributes, then ASC (default) or DESC. Unset: by space id. */
export function parseSearchOrder(orderBy: string | undefined): SearchOrder {
  if (orderBy === undefined || orderBy.trim() === '') return { key: 'id', descending: false }
  const [attribute = '', direction = 'ASC', ...rest] = orderBy.trim().split(/\s+/)
  const key = Object.hasOwn(ORDER_KEYS, attribute) ? ORDER_KEYS[attribute] : undefined
  const upper = direction.toUpperCase()
  if (key === undefined || (upper !== 'ASC' && upper !== 'DESC') || rest.length > 0) {
    throw invalidArgument(Messages.searchOrderInvalid(orderBy), 'order_by')
  }
  return { key, descending: upper === 'DESC' }
}

function orderValue(space: SpaceRecord, key: SearchOrder['key']): number | string {
  switch (key) {
    case 'id':
      return space.id
    case 'membership_count.joined_direct_human_user_count':
      return space.joinedHumanCount
    case 'last_active_time':
      return Date.parse(space.lastActiveTime)
    case 'create_time':
      return Date.parse(space.createTime)
  }
}

/** Sorts by the order's key, ties by space id ascending. */
export function sortSpaces(spaces: readonly SpaceRecord[], order: SearchOrder): SpaceRecord[] {
  const sign = order.descending ? -1 : 1
  return spaces
    .map(space => ({ space, value: orderValue(space, order.key) }))
    .sort((left, right) => {
      if (left.value !== right.value) return (left.value < right.value ? -1 : 1) * sign
      return left.space.id < right.space.id ? -1 : left.space.id > right.space.id ? 1 : 0
    })
    .map(entry => entry.space)
}
