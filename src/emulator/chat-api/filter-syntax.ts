// The documented list-filter grammar: `field = "VALUE"` and `field != "VALUE"` comparisons joined by
// AND and OR, double-quoted literals only. As in AIP-160, OR binds tighter than AND, so a filter is
// an AND of OR-groups. Parentheses, NOT, `:` and everything else are rejected.
import { type ApiError, Messages, invalidArgument } from '../http/errors.js'

export interface Comparison {
  readonly field: string
  readonly operator: '=' | '!='
  readonly value: string
}

/** Conjunction of disjunctions: every group must have a matching comparison. */
export type FilterExpression = readonly (readonly Comparison[])[]

type Token =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'operator'; readonly text: '=' | '!=' }
  | { readonly kind: 'string'; readonly text: string }

export function filterError(detail: string): ApiError {
  return invalidArgument(Messages.invalidFilter(detail), 'filter')
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = []
  let position = 0
  while (position < filter.length) {
    const rest = filter.slice(position)
    const space = /^\s+/.exec(rest)
    if (space !== null) {
      position += space[0].length
      continue
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest)
    const operator = /^(!=|=)/.exec(rest)
    const quoted = /^"([^"\\]*)"/.exec(rest)
    if (word !== null) tokens.push({ kind: 'word', text: word[0] })
    else if (operator !== null) tokens.push({ kind: 'operator', text: operator[0] === '=' ? '=' : '!=' })
    else if (quoted !== null) tokens.push({ kind: 'string', text: quoted[1] ?? '' })
    else if (rest.startsWith('"')) throw filterError(`unterminated string literal at position ${position + 1}`)
    else
      throw filterError(
        `unexpected ${JSON.stringify(rest.charAt(0))} at position ${position + 1}; only =, !=, AND, OR and double-quoted values are supported`,
      )
    position += (word ?? operator ?? quoted)?.[0].length ?? 1
  }
  return tokens
}

export function parseFilter(filter: string): FilterExpression {
  const tokens = tokenize(filter)
  if (tokens.length === 0) return []
  let index = 0
  const next = (): Token | undefined => tokens[index++]
  const comparison = (): Comparison => {
    const field = next()
    if (field?.kind !== 'word' || field.text === 'AND' || field.text === 'OR') {
      throw filterError(
        `expected a field name${field === undefined ? ' at the end' : `, found ${JSON.stringify(field.text)}`}`,
      )
    }
    const operator = next()
    if (operator?.kind !== 'operator') throw filterError(`expected = or != after ${field.text}`)
    const value = next()
    if (value?.kind !== 'string')
      throw filterError(`expected a double-quoted value after ${field.text} ${operator.text}`)
    return { field: field.text, operator: operator.text, value: value.text }
  }
  const groups: Comparison[][] = [[comparison()]]
  while (index < tokens.length) {
    const joiner = next()
    if (joiner?.kind !== 'word' || (joiner.text !== 'AND' && joiner.text !== 'OR')) {
      throw filterError(`expected AND or OR, found ${JSON.stringify(joiner?.text)}`)
    }
    if (joiner.text === 'AND') groups.push([comparison()])
    else groups[groups.length - 1]?.push(comparison())
  }
  return groups
}
