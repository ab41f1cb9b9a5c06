import { describe, expect, it } from 'vitest'
import { jsonPieces } from '../../src/output/json-pieces.js'
import { createReporter } from '../../src/output/reporter.js'

const result = (index: number) => ({
  input: { text: `spaces/A/members/${index}`, source: 'stdin', line: index + 1 },
  name: `spaces/A/members/${index}`,
  email: index % 3 === 0 ? undefined : `user${index}@example.com`,
  displayName: `Ünïcode "quoted" \\ name\n${index}`,
  status: index % 5 === 0 ? 'failed' : 'updated',
  ...(index % 5 === 0 && { error: { code: 'PERMISSION_DENIED', message: 'no', hint: undefined } }),
  attempts: index,
  tags: index % 2 === 0 ? [] : [1, 'two', null, { three: [3] }],
})

describe('jsonPieces', () => {
  const documents: [string, unknown][] = [
    [
      'a run document',
      {
        ok: true,
        dryRun: false,
        role: { word: 'member' },
        summary: { total: 3 },
        results: [result(0), result(1), result(5)],
      },
    ],
    ['no results', { ok: true, results: [] }],
    ['fields JSON.stringify leaves out', { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1], e: 1 }],
    ['an empty object', {}],
    ['an object with only left-out fields', { a: undefined }],
    ['an array', [1, { a: 2 }]],
    ['a string', 'text'],
    ['null', null],
    ['a value with toJSON', { results: new Date(0), when: { toJSON: () => 'then' } }],
  ]
  it.each(documents)('concatenates to JSON.stringify(value, null, 2): %s', (_label, value) => {
    expect([...jsonPieces(value)].join('')).toBe(JSON.stringify(value, null, 2))
  })

  it('cuts 10,000 results into pieces of about 64 K characters', () => {
    const value = { ok: true, results: Array.from({ length: 10_000 }, (_, index) => result(index)) }
    const pieces = [...jsonPieces(value)]
    expect(pieces.join('')).toBe(JSON.stringify(value, null, 2))
    expect(pieces.length).toBeGreaterThan(40)
    expect(Math.max(...pieces.map(piece => piece.length))).toBeLessThan(70 * 1024)
  })
})

describe('the reporter document', () => {
  it('is written in pieces that make the text of JSON.stringify and a newline', () => {
    const value = { ok: true, results: Array.from({ length: 3000 }, (_, index) => result(index)) }
    const chunks: string[] = []
    const stdout = { write: (chunk: string) => chunks.push(chunk) > 0 }
    const reporter = createReporter({ stdout, stderr: stdout, env: {} } as never, {
      json: true,
      verbose: false,
      color: false,
      input: false,
    })
    reporter.document(value)
    expect(chunks.join('')).toBe(`${JSON.stringify(value, null, 2)}\n`)
    expect(chunks.length).toBeGreaterThan(10)
    reporter.document({ ok: true })
    expect(chunks.at(-1)).toBe('{\n  "ok": true\n}\n')
  })
})
