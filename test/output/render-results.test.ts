import { Chalk } from 'chalk'
import { describe, expect, it } from 'vitest'
import type { ItemResult } from '../../src/core/result.js'
import { renderResultLine, renderRunDocument, renderSummary } from '../../src/output/render-results.js'

const plain = new Chalk({ level: 0 })
const base = {
  input: { text: 'x', source: 'argument', line: 1 },
  name: 'spaces/A/members/1',
  space: 'spaces/A',
  to: 'ROLE_ASSISTANT_MANAGER',
  attempts: 2,
  at: '2026-11-28T10:00:00.000Z',
} as const
const info = {
  dryRun: false,
  target: 'ROLE_ASSISTANT_MANAGER',
  elapsedMs: 1234,
  interrupted: false,
  error: undefined,
} as const

const updated: ItemResult = { ...base, status: 'updated', from: 'ROLE_MEMBER', email: 'a@example.com' }
const unchanged: ItemResult = {
  ...base,
  name: 'spaces/A/members/2',
  status: 'unchanged',
  from: 'ROLE_ASSISTANT_MANAGER',
}
const failed: ItemResult = {
  ...base,
  name: 'spaces/B/members/3',
  space: 'spaces/B',
  status: 'failed',
  error: { code: 'NOT_FOUND', message: 'this membership was not found', hint: 'check it' },
}
const results: ItemResult[] = [updated, unchanged, failed]

describe('renderResultLine', () => {
  it('prints both forms of each role', () => {
    expect(renderResultLine(updated, plain)).toBe(
      'updated    spaces/A/members/1 (a@example.com)  Member (ROLE_MEMBER) -> Manager (ROLE_ASSISTANT_MANAGER)',
    )
    expect(renderResultLine(unchanged, plain)).toBe(
      'unchanged  spaces/A/members/2  already Manager (ROLE_ASSISTANT_MANAGER)',
    )
    expect(renderResultLine(failed, plain)).toBe('failed     spaces/B/members/3  this membership was not found')
  })

  it('colours only when asked', () => {
    expect(renderResultLine(updated, new Chalk({ level: 1 }))).toContain('\u001b[32m')
    expect(renderResultLine(updated, plain)).not.toContain('\u001b[')
  })
})

describe('renderSummary', () => {
  it('counts, names the spaces and gives one hint per kind of failure', () => {
    const text = renderSummary([...results, failed], info, plain)
    expect(text).toBe('1 updated, 1 unchanged, 2 failed (4 memberships in 2 spaces, 1.2 s)\nhint: check it')
  })

  it('says a dry run wrote nothing', () => {
    expect(renderSummary([{ ...updated, status: 'planned' }], { ...info, dryRun: true }, plain)).toContain(
      'Nothing was written',
    )
  })
})

describe('renderRunDocument', () => {
  it('is one document with every result and the summary', () => {
    const document = renderRunDocument(results, info) as Record<string, unknown>
    expect(document).toMatchObject({
      ok: false,
      dryRun: false,
      role: { word: 'manager', api: 'ROLE_ASSISTANT_MANAGER', label: 'Manager (ROLE_ASSISTANT_MANAGER)' },
      summary: { total: 3, updated: 1, unchanged: 1, failed: 1, spaces: 2, elapsedMs: 1234 },
    })
    expect(document.results).toBe(results)
    expect(JSON.parse(JSON.stringify(document))).toEqual(document)
  })
})
