// readBatch (src/commands/read-input.ts) with a fake Io: stdin is any stream, stderr is captured, files are real
// files in a temporary folder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { describeDuplicate } from '../../src/core/batch-input.js'
import { MAX_INPUT_BYTES } from '../../src/core/input-text.js'
import { readBatch, stdinPrompt, type InputRequest } from '../../src/commands/read-input.js'
import { ChatRoleError } from '../../src/errors.js'
import type { Io } from '../../src/io.js'

const folder = mkdtempSync(join(tmpdir(), 'chat-role-read-input-'))
afterAll(() => {
  rmSync(folder, { recursive: true, force: true })
})

function file(name: string, content: string | Uint8Array): string {
  const path = join(folder, name)
  writeFileSync(path, content)
  return path
}

interface FakeIo extends Io {
  readonly errors: string[]
}

function fakeIo(stdin: Readable | string | Uint8Array = '', options: { tty?: boolean } = {}): FakeIo {
  const stream = typeof stdin === 'string' || stdin instanceof Uint8Array ? Readable.from([Buffer.from(stdin)]) : stdin
  if (options.tty === true) Object.defineProperty(stream, 'isTTY', { value: true })
  const errors: string[] = []
  return {
    stdin: stream,
    stdout: { write: () => true },
    stderr: {
      write: (text: string | Uint8Array) => {
        errors.push(String(text))
        return true
      },
    },
    env: {},
    cwd: folder,
    signal: new AbortController().signal,
    errors,
  }
}

/**
 * A stream of `byte` as endless as /dev/zero for the reader (it ends only at twice the bound, so that a reader
 * that ignores the bound fails the test instead of filling the memory); counts what it produced.
 */
function endless(byte: number): Readable & { produced: () => number } {
  let produced = 0
  const chunk = Buffer.alloc(64 * 1024, byte)
  const stream = new Readable({
    read() {
      produced += chunk.length
      this.push(produced > 2 * MAX_INPUT_BYTES ? null : chunk)
    },
  })
  return Object.assign(stream, { produced: () => produced })
}

async function inputError(request: InputRequest, io: Io): Promise<ChatRoleError> {
  try {
    await readBatch(request, io)
  } catch (error) {
    expect(error).toBeInstanceOf(ChatRoleError)
    return error as ChatRoleError
  }
  throw new Error('expected readBatch to throw')
}

const request = (names: string[], files: string[] = [], space?: string): InputRequest => ({
  names,
  files,
  ...(space !== undefined && { space }),
})

describe('nothing to do is not an error', () => {
  it.each([
    ['empty', ''],
    ['blank lines', '\n\n   \n'],
    ['comments only', '# nobody this week\n\n# really\n'],
  ])('stdin that is %s gives an empty batch naming stdin', async (_label, text) => {
    const batch = await readBatch(request(['-']), fakeIo(text))
    expect(batch.items).toEqual([])
    expect(batch.emptySources).toEqual(['stdin'])
  })

  it('names every empty source, and reads the others', async () => {
    const empty = file('empty.txt', '# none\n')
    const full = file('full.txt', 'spaces/A/members/1\n')
    const batch = await readBatch(request(['-'], [empty, full]), fakeIo(''))
    expect(batch.items.map(item => item.ref.name)).toEqual(['spaces/A/members/1'])
    expect(batch.emptySources).toEqual(['stdin', empty])
  })

  it('reports no empty sources when all held names', async () => {
    expect((await readBatch(request(['spaces/A/members/1']), fakeIo())).emptySources).toEqual([])
  })

  it('is still a usage error when no source at all was given', async () => {
    const error = await inputError(request([]), fakeIo())
    expect(error.code).toBe('USAGE')
    expect(error.exitCode).toBe(2)
    expect(error.message).toBe('no memberships given')
    expect(error.hint).toMatch(/--file/)
  })

  it('still fails, exit 2, for input with bad lines', async () => {
    const error = await inputError(request(['-']), fakeIo('spaces/A/member/1\n'))
    expect(error.code).toBe('INPUT')
    expect(error.exitCode).toBe(2)
    expect(error.message).toMatch(/^1 bad input line; nothing was sent:\n {2}stdin:1: /)
  })
})

describe('big input', () => {
  it('reads a million names from stdin', async () => {
    const text = Array.from({ length: 1_000_000 }, (_, index) => `spaces/AAAAeng/members/${index}`).join('\n')
    const batch = await readBatch(request(['-']), fakeIo(text))
    expect(batch.items).toHaveLength(1_000_000)
    expect(batch.items.at(-1)?.entry.line).toBe(1_000_000)
  }, 120_000)

  it('stops reading stdin at the bound (- < /dev/zero no longer grows without end)', async () => {
    const stdin = endless(0x61)
    const error = await inputError(request(['-']), fakeIo(stdin))
    expect(error.code).toBe('INPUT')
    expect(error.message).toBe('stdin is larger than 64 MiB; nothing was sent')
    expect(error.hint).toMatch(/64 MiB/)
    // It stopped at the bound, give or take the stream's read-ahead.
    expect(stdin.produced()).toBeLessThan(MAX_INPUT_BYTES + 1024 * 1024)
  })

  it('stops reading a file at the bound', async () => {
    const big = file('big.txt', Buffer.alloc(MAX_INPUT_BYTES + 1, 0x61))
    const error = await inputError(request([], [big]), fakeIo())
    expect(error.message).toBe(`${big} is larger than 64 MiB; nothing was sent`)
  })

  it('bounds all sources together', async () => {
    const half = file('half.txt', 'spaces/A/members/1\n'.repeat(Math.ceil(MAX_INPUT_BYTES / 2 / 19)))
    const error = await inputError(request([], [half, half, half]), fakeIo())
    expect(error.code).toBe('INPUT')
    expect(error.message).toBe(`the input is larger than 64 MiB in all (reading ${half}); nothing was sent`)
  })

  it('shows the first 10 of 100,000 bad lines and counts the rest', async () => {
    const error = await inputError(request(['-']), fakeIo('spaces/A/member/1\n'.repeat(100_000)))
    expect(error.message.split('\n')).toHaveLength(12)
    expect(error.message).toMatch(/\n {2}… and 99990 more$/)
    expect(error.details?.problemCount).toBe(100_000)
    expect((error.details?.problems as unknown[]).length).toBe(1000)
  })
})

describe('reading errors name the real cause', () => {
  it.each([
    ['a missing file', join(folder, 'missing.txt'), 'no such file'],
    ['a folder', folder, 'it is a folder'],
  ])('%s', async (_label, path, reason) => {
    const error = await inputError(request([], [path]), fakeIo())
    expect(error.code).toBe('INPUT')
    expect(error.message).toBe(`cannot read ${path}: ${reason}`)
    expect(error.message).not.toContain('undefined')
  })

  it('a stream that fails says why', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('EIO: i/o error, read'))
      },
    })
    const error = await inputError(request(['-']), fakeIo(failing))
    expect(error.code).toBe('INPUT')
    expect(error.message).toBe('cannot read stdin: EIO: i/o error, read')
  })
})

describe('not text', () => {
  it('says a file with a NUL byte is not a text file, and where', async () => {
    const png = file('photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]))
    const error = await inputError(request([], [png]), fakeIo())
    expect(error.code).toBe('INPUT')
    expect(error.exitCode).toBe(2)
    expect(error.message).toBe(`${png} is not a text file (it has a NUL byte at byte 8)`)
    expect(error.hint).toBe('give a text file with one membership name per line, or a CSV with a name column')
  })

  it('says stdin of invalid UTF-8 is not UTF-8 text', async () => {
    const latin1 = Buffer.from('spaces/A/members/j\xfcrgen@example.com\n', 'latin1')
    const error = await inputError(request(['-']), fakeIo(latin1))
    expect(error.message).toBe('stdin is not UTF-8 text (invalid UTF-8 at byte 18)')
    expect(error.hint).toMatch(/save it as UTF-8/)
  })

  it('recognises UTF-16', async () => {
    const withBom = file('utf16.txt', Buffer.from('\ufeffspaces/A/members/1\n', 'utf16le'))
    expect((await inputError(request([], [withBom]), fakeIo())).message).toBe(
      `${withBom} is not UTF-8 text: it is UTF-16`,
    )
    const noBom = file('utf16-nobom.txt', Buffer.from('spaces/A/members/1\n', 'utf16le'))
    expect((await inputError(request([], [noBom]), fakeIo())).message).toBe(
      `${noBom} is not a text file (it has a NUL byte at byte 1; it looks like UTF-16)`,
    )
  })

  it('says text full of control characters is not a text file, in one line', async () => {
    const error = await inputError(request(['-']), fakeIo('\u0001\u0002\u0003\u0004\u0005\u0006'))
    expect(error.message).toMatch(/^stdin is not a text file: 6 of its first 6 characters are control characters/)
    expect(error.message).not.toContain('\n')
  })

  it('refuses /dev/zero-like stdin at the bound', async () => {
    const error = await inputError(request(['-']), fakeIo(endless(0)))
    // Read up to the bound, then refused: never "cannot read …: undefined", never unbounded.
    expect(error.message).toBe('stdin is larger than 64 MiB; nothing was sent')
  })
})

describe('arguments', () => {
  it('checks an argument exactly as a file line: a 100 KB space id is refused before any request', async () => {
    const long = `spaces/${'A'.repeat(100_000)}/members/1`
    const error = await inputError(request([long]), fakeIo())
    expect(error.message).toBe(
      '1 bad input line; nothing was sent:\n  argument 1: argument is 100017 characters long (the limit is 2000): is this a membership name?',
    )
  })

  it('keeps duplicates in input order, with stdin where its "-" is', async () => {
    const names = file('names.txt', 'spaces/S/members/12\n')
    const batch = await readBatch(
      request(['spaces/S/members/12', '-', 'users/12', 'spaces/S/members/12'], [names], 'spaces/S'),
      fakeIo('12\n'),
    )
    expect(batch.items.map(item => item.ref.name)).toEqual(['spaces/S/members/12'])
    expect(batch.duplicates.map(describeDuplicate)).toEqual([
      'stdin:1: 12 is the same membership as spaces/S/members/12 (argument 1); ignored',
      'argument 3: users/12 is the same membership as spaces/S/members/12 (argument 1); ignored',
      'argument 4: spaces/S/members/12 is already given at argument 1; ignored',
      `${names}:1: spaces/S/members/12 is already given at argument 1; ignored`,
    ])
  })

  it('reads "-" only once', async () => {
    expect((await inputError(request(['-', '-']), fakeIo())).code).toBe('USAGE')
  })
})

describe('stdin on a terminal', () => {
  it('says what it waits for before reading', async () => {
    const io = fakeIo('spaces/A/members/1\n', { tty: true })
    await readBatch(request(['-']), io, { platform: 'linux' })
    expect(io.errors).toEqual(['reading names from stdin, one per line; end with Ctrl-D\n'])
  })

  it('names the Windows keys on Windows', () => {
    expect(stdinPrompt('win32')).toBe('reading names from stdin, one per line; end with Ctrl-Z then Enter')
    expect(stdinPrompt('darwin')).toBe('reading names from stdin, one per line; end with Ctrl-D')
  })

  it('says nothing when stdin is a pipe or a file', async () => {
    const io = fakeIo('spaces/A/members/1\n')
    await readBatch(request(['-']), io)
    expect(io.errors).toEqual([])
  })
})
