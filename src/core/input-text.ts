// Bytes from a file or stdin become text here, or a clear refusal: a list of names is small UTF-8 text, so a
// photo, a spreadsheet, a UTF-16 export or /dev/zero is told apart before any line is read.
import { ChatRoleError } from '../errors.js'

/** The most one source (a file or stdin) may hold, and all sources of one run together. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024

export const NOT_TEXT_HINT = 'give a text file with one membership name per line, or a CSV with a name column'

/** '64 MiB', '1.5 KiB', '12 bytes'. */
export function formatByteSize(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB'] as const
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`
  let value = bytes
  let unit = 'bytes'
  for (const next of units) {
    if (value < 1024) break
    value /= 1024
    unit = next
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`
}

/** The error for a source over the bound; `total` when the sources together are over it. */
export function inputTooLargeError(source: string, options: { readonly total?: boolean } = {}): ChatRoleError {
  const limit = formatByteSize(MAX_INPUT_BYTES)
  return options.total === true
    ? new ChatRoleError('INPUT', `the input is larger than ${limit} in all (reading ${source}); nothing was sent`, {
        hint: `give at most ${limit} of names in one run; run once per part of the list`,
      })
    : new ChatRoleError('INPUT', `${source} is larger than ${limit}; nothing was sent`, {
        hint: `is this the right input? A list of names is at most ${limit}; split a bigger one and run once per part`,
      })
}

/**
 * UTF-8 text, without a byte order mark; throws INPUT for anything else: a NUL byte (binary, or UTF-16 without a
 * byte order mark), a UTF-16 byte order mark, or bytes that are not UTF-8. `source` names it in the message.
 */
export function decodeInputText(bytes: Uint8Array, source: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ChatRoleError('INPUT', `${source} is not UTF-8 text: it is UTF-16`, {
      hint: `save it as UTF-8 (in Excel: CSV UTF-8); ${NOT_TEXT_HINT}`,
    })
  }
  const nul = bytes.indexOf(0)
  if (nul !== -1) {
    const utf16 = looksLikeUtf16(bytes)
    throw new ChatRoleError(
      'INPUT',
      `${source} is not a text file (it has a NUL byte at byte ${nul}${utf16 ? '; it looks like UTF-16' : ''})`,
      { hint: utf16 ? `save it as UTF-8; ${NOT_TEXT_HINT}` : NOT_TEXT_HINT },
    )
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    const at = firstInvalidUtf8(bytes)
    throw new ChatRoleError('INPUT', `${source} is not UTF-8 text (invalid UTF-8 at byte ${at})`, {
      hint: `save it as UTF-8; ${NOT_TEXT_HINT}`,
    })
  }
}

/** ASCII as UTF-16 without a byte order mark: a NUL beside every letter. */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, Math.min(bytes.length, 256) & ~1)
  if (sample.length < 4) return false
  const nulAt = (parity: number): boolean =>
    sample.every((byte, index) => (index % 2 === parity ? byte === 0 : byte !== 0 && byte < 0x80))
  return nulAt(0) || nulAt(1)
}

/** The offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let at = 0
  while (at < bytes.length) {
    const lead = bytes[at] ?? 0
    if (lead < 0x80) {
      at++
      continue
    }
    // Sequence length and the allowed range of the second byte (no overlongs, no surrogates, at most U+10FFFF).
    const [length, low, high] =
      lead >= 0xc2 && lead <= 0xdf
        ? [2, 0x80, 0xbf]
        : lead === 0xe0
          ? [3, 0xa0, 0xbf]
          : lead === 0xed
            ? [3, 0x80, 0x9f]
            : lead >= 0xe1 && lead <= 0xef
              ? [3, 0x80, 0xbf]
              : lead === 0xf0
                ? [4, 0x90, 0xbf]
                : lead === 0xf4
                  ? [4, 0x80, 0x8f]
                  : lead >= 0xf1 && lead <= 0xf3
                    ? [4, 0x80, 0xbf]
                    : [0, 0, 0]
    if (length === 0) return at
    const second = bytes[at + 1]
    if (second === undefined || second < low || second > high) return at
    for (let next = 2; next < length; next++) {
      const byte = bytes[at + next]
      if (byte === undefined || byte < 0x80 || byte > 0xbf) return at
    }
    at += length
  }
  return bytes.length
}
