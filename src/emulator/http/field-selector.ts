// The `fields` system parameter (partial response): `a,b/c,d(e,f)`, `*` for every field.
import { Messages, invalidArgument } from './errors.js'

/** Selected names; `true` keeps the whole value, a nested selector keeps part of it. */
export type FieldSelector = ReadonlyMap<string, FieldSelector | true>

export function parseFieldSelector(text: string): FieldSelector {
  let position = 0
  const fail = (): never => {
    throw invalidArgument(Messages.invalidFieldSelector(text), 'fields')
  }
  const name = (): string => {
    const match = /^[A-Za-z0-9_*.]+/.exec(text.slice(position))
    if (match === null) return fail()
    position += match[0].length
    return match[0]
  }
  const merge = (into: Map<string, FieldSelector | true>, key: string, value: FieldSelector | true): void => {
    const existing = into.get(key)
    if (existing === true || value === true || existing === undefined) {
      into.set(key, existing === true || value === true ? true : value)
      return
    }
    const combined = new Map(existing)
    for (const [childKey, childValue] of value) merge(combined, childKey, childValue)
    into.set(key, combined)
  }
  const selector = (): Map<string, FieldSelector | true> => {
    const result = new Map<string, FieldSelector | true>()
    for (;;) {
      const path = [name()]
      while (text[position] === '/') {
        position += 1
        path.push(name())
      }
      let leaf: FieldSelector | true = true
      if (text[position] === '(') {
        position += 1
        leaf = selector()
        if (text[position] !== ')') fail()
        position += 1
      }
      for (let index = path.length - 1; index > 0; index -= 1) leaf = new Map([[path[index] ?? '', leaf]])
      merge(result, path[0] ?? '', leaf)
      if (text[position] !== ',') return result
      position += 1
    }
  }
  const result = selector()
  if (position !== text.length) fail()
  return result
}

export function applyFieldSelector(value: unknown, selector: FieldSelector): unknown {
  if (Array.isArray(value)) return value.map(item => applyFieldSelector(item, selector))
  if (value === null || typeof value !== 'object') return value
  const wildcard = selector.get('*')
  const result: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    const pick = selector.get(key) ?? wildcard
    if (pick === undefined) continue
    result[key] = pick === true ? child : applyFieldSelector(child, pick)
  }
  return result
}
