// Opaque page tokens: the last key of the previous page, bound to the request's other parameters so
// that reusing a token with a different filter (the documented "unexpected results") is a clear 400.
import { createHash } from 'node:crypto'
import { Messages, invalidArgument } from '../http/errors.js'

function fingerprintOf(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16)
}

export function encodePageToken(lastKey: string, boundTo: readonly unknown[]): string {
  return Buffer.from(JSON.stringify([lastKey, fingerprintOf(boundTo)])).toString('base64url')
}

/** Returns the last key of the previous page. */
export function decodePageToken(token: string, boundTo: readonly unknown[]): string {
  let decoded: unknown
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    throw invalidArgument(Messages.pageTokenInvalid, 'page_token')
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || typeof decoded[0] !== 'string') {
    throw invalidArgument(Messages.pageTokenInvalid, 'page_token')
  }
  if (decoded[1] !== fingerprintOf(boundTo)) throw invalidArgument(Messages.pageTokenMismatch, 'page_token')
  return decoded[0]
}

/** Index of the first item whose key sorts after `lastKey` (items sorted by key). */
export function indexAfter<T>(items: readonly T[], lastKey: string, keyOf: (item: T) => string): number {
  let low = 0
  let high = items.length
  while (low < high) {
    const middle = (low + high) >>> 1
    const item = items[middle]
    if (item !== undefined && keyOf(item) <= lastKey) low = middle + 1
    else high = middle
  }
  return low
}

const DEFAULT_PAGE_SIZE = 100
const MAX_PAGE_SIZE = 1000

/** pageSize as documented: unset or 0 means 100, above 1000 means 1000, negative is an error. */
export function effectivePageSize(requested: number | undefined): number {
  if (requested === undefined || requested === 0) return DEFAULT_PAGE_SIZE
  if (requested < 0) throw invalidArgument(Messages.negativePageSize(requested), 'page_size')
  return Math.min(requested, MAX_PAGE_SIZE)
}

export interface Page<T> {
  readonly items: readonly T[]
  /** Key of the last item, when more matching items follow. */
  readonly nextKey?: string
}

/** Collects up to `size` matching items from `start`, then looks ahead for one more match. */
export function collectPage<T>(
  items: readonly T[],
  start: number,
  size: number,
  keep: (item: T) => boolean,
  keyOf: (item: T) => string,
): Page<T> {
  const page: T[] = []
  for (let index = start; index < items.length; index += 1) {
    const item = items[index] as T
    if (!keep(item)) continue
    if (page.length === size) {
      const last = page[page.length - 1] as T
      return { items: page, nextKey: keyOf(last) }
    }
    page.push(item)
  }
  return { items: page }
}
