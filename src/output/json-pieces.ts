// A JSON document as JSON.stringify(value, null, 2) writes it, in pieces: a run's 10,000 results need not
// sit in memory as one string and one buffer of several megabytes on top of the results themselves.
// Concatenated, the pieces are exactly JSON.stringify's text (JSON strings hold no raw newlines, so
// indenting a nested value is adding spaces after each newline).

/** About this many characters per piece: a pipe's worth, not a write per result. */
const PIECE_CHARACTERS = 64 * 1024

const indented = (text: string, spaces: string): string => text.replaceAll('\n', `\n${spaces}`)

/** What JSON.stringify leaves out of an object. */
const omitted = (value: unknown): boolean =>
  value === undefined || typeof value === 'function' || typeof value === 'symbol'

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  return typeof (value as { toJSON?: unknown }).toJSON !== 'function'
}

function* unbatched(value: unknown): Generator<string> {
  if (!isPlainRecord(value)) {
    yield JSON.stringify(value, null, 2)
    return
  }
  const entries = Object.entries(value).filter(([, field]) => !omitted(field))
  if (entries.length === 0) {
    yield '{}'
    return
  }
  yield '{\n'
  for (const [index, [key, field]] of entries.entries()) {
    const head = `${index === 0 ? '' : ',\n'}  ${JSON.stringify(key)}: `
    if (Array.isArray(field) && field.length > 0 && typeof (field as { toJSON?: unknown }).toJSON !== 'function') {
      yield `${head}[\n`
      for (const [position, element] of field.entries()) {
        const text = (JSON.stringify(element, null, 2) as string | undefined) ?? 'null'
        yield `${position === 0 ? '' : ',\n'}    ${indented(text, '    ')}`
      }
      yield '\n  ]'
    } else yield `${head}${indented(JSON.stringify(field, null, 2), '  ')}`
  }
  yield '\n}'
}

/** JSON.stringify(value, null, 2), in pieces of about 64 K characters (one piece for anything but an object). */
export function* jsonPieces(value: unknown): Generator<string> {
  let pending = ''
  for (const piece of unbatched(value)) {
    pending += piece
    if (pending.length >= PIECE_CHARACTERS) {
      yield pending
      pending = ''
    }
  }
  if (pending !== '') yield pending
}
