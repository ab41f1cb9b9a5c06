import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  MAX_INPUT_BYTES,
  NOT_TEXT_HINT,
  decodeInputText,
  firstInvalidUtf8,
  formatByteSize,
  inputTooLargeError,
} from '../../src/core/input-text.js'
import { ChatRoleError } from '../../src/errors.js'

function refusal(bytes: Uint8Array, source = 'names.txt'): ChatRoleError {
  try {
    decodeInputText(bytes, source)
  } catch (error) {
    expect(error).toBeInstanceOf(ChatRoleError)
    const refused = error as ChatRoleError
    expect(refused.code).toBe('INPUT')
    expect(refused.message).not.toContain('\n')
    return refused
  }
  throw new Error('expected a refusal')
}

describe('decodeInputText', () => {
  it('decodes UTF-8, dropping a byte order mark', () => {
    expect(decodeInputText(Buffer.from('\ufeffspaces/A/members/jürgen@example.com\n'), 'x')).toBe(
      'spaces/A/members/jürgen@example.com\n',
    )
    expect(decodeInputText(new Uint8Array(), 'x')).toBe('')
  })

  it('refuses a NUL byte, saying where', () => {
    const error = refusal(Buffer.from('spaces/A/members/1\n\0\0'), 'photo.png')
    expect(error.message).toBe('photo.png is not a text file (it has a NUL byte at byte 19)')
    expect(error.hint).toBe(NOT_TEXT_HINT)
  })

  it('refuses invalid UTF-8, saying where', () => {
    expect(refusal(Buffer.from([0x61, 0x62, 0xff, 0x63])).message).toBe(
      'names.txt is not UTF-8 text (invalid UTF-8 at byte 2)',
    )
    // A sequence cut off at the end.
    expect(refusal(Buffer.from([0x61, 0xe2, 0x82])).message).toBe(
      'names.txt is not UTF-8 text (invalid UTF-8 at byte 1)',
    )
    // Overlong '/', and an encoded surrogate: both invalid.
    expect(refusal(Buffer.from([0x61, 0xc0, 0xaf])).message).toMatch(/at byte 1\)$/)
    expect(refusal(Buffer.from([0xed, 0xa0, 0x80])).message).toMatch(/at byte 0\)$/)
  })

  it('recognises UTF-16, with and without a byte order mark', () => {
    expect(refusal(Buffer.from('\ufeffname\n', 'utf16le')).message).toBe('names.txt is not UTF-8 text: it is UTF-16')
    expect(refusal(Buffer.from([0xfe, 0xff, 0, 0x61])).message).toBe('names.txt is not UTF-8 text: it is UTF-16')
    const noBom = refusal(Buffer.from('spaces/A/members/1\n', 'utf16le'))
    expect(noBom.message).toBe('names.txt is not a text file (it has a NUL byte at byte 1; it looks like UTF-16)')
    expect(noBom.hint).toMatch(/^save it as UTF-8/)
  })

  it('finds the first invalid byte exactly where a strict decoder stops', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), bytes => {
        const at = firstInvalidUtf8(bytes)
        let valid = true
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes)
        } catch {
          valid = false
        }
        expect(at === bytes.length).toBe(valid)
        // Everything before the reported byte is valid UTF-8.
        expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, at))).not.toThrow()
      }),
      { numRuns: 2000 },
    )
  })
})

describe('sizes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [1023, '1023 bytes'],
    [1536, '1.5 KiB'],
    [MAX_INPUT_BYTES, '64 MiB'],
    [3 * 1024 ** 3, '3 GiB'],
  ])('%d -> %s', (bytes, text) => {
    expect(formatByteSize(bytes)).toBe(text)
  })

  it('says the bound, per source and in all', () => {
    expect(inputTooLargeError('stdin').message).toBe('stdin is larger than 64 MiB; nothing was sent')
    expect(inputTooLargeError('b.txt', { total: true }).message).toBe(
      'the input is larger than 64 MiB in all (reading b.txt); nothing was sent',
    )
    expect(inputTooLargeError('stdin').hint).toMatch(/split/)
  })
})
