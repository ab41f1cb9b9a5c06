// A `sending` line is on disk before its write goes out, but the fsyncs run off the main thread and one
// covers every line written while the previous one ran. fs.fsync is held here, so the test decides when each
// one finishes and counts them.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { openJournal, readJournal } from '../../src/output/journal-file.js'
import { thrownBy } from '../auth/expect-error.js'
import { header, item, sending } from '../core/journal-fixtures.js'

type Done = (error: NodeJS.ErrnoException | null) => void
const held: Done[] = []

vi.mock('node:fs', async importOriginal => {
  const actual = await importOriginal<typeof import('node:fs')>()
  return {
    ...actual,
    fsync: (_fd: number, done: Done) => {
      held.push(done)
    },
  }
})

/** Lets every settled promise run its callbacks. */
const settle = () => new Promise(resolve => setImmediate(resolve))

function tracked(promise: Promise<void>): { readonly state: () => string } {
  let state = 'pending'
  promise.then(
    () => {
      state = 'on disk'
    },
    (error: unknown) => {
      state = `failed: ${(error as Error).message}`
    },
  )
  return { state: () => state }
}

let path: string
beforeEach(() => {
  held.length = 0
  path = join(mkdtempSync(join(tmpdir(), 'chat-role-group-')), 'run.jsonl')
})

describe('writeDurably', () => {
  it('writes the line at once and resolves only once an fsync begun after it finished', async () => {
    const journal = openJournal(path, header)
    const first = tracked(journal.writeDurably(sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER')))
    expect(readJournal(path).sending.map(line => line.name)).toEqual(['spaces/A/members/1'])
    expect(held).toHaveLength(1)
    await settle()
    expect(first.state()).toBe('pending')

    // Written while that fsync runs: it may not cover them, so they wait for the next one, together.
    const second = tracked(journal.writeDurably(sending('2', 'ROLE_MANAGER', 'ROLE_MEMBER')))
    const third = tracked(journal.writeDurably(sending('3', 'ROLE_MANAGER', 'ROLE_MEMBER')))
    journal.write(item('1', 'updated', 'ROLE_MANAGER', 'ROLE_MEMBER'))
    expect(held).toHaveLength(1)

    held[0]?.(null)
    await settle()
    expect([first.state(), second.state(), third.state()]).toEqual(['on disk', 'pending', 'pending'])
    expect(held).toHaveLength(2)

    held[1]?.(null)
    await settle()
    expect([second.state(), third.state()]).toEqual(['on disk', 'on disk'])
    expect(held).toHaveLength(2)
    journal.close()
    expect(readJournal(path).records.map(record => record.type)).toEqual(['sending', 'sending', 'sending', 'item'])
  })

  it('starts a new fsync for a line written after the last one finished', async () => {
    const journal = openJournal(path, header)
    const first = tracked(journal.writeDurably(sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER')))
    held[0]?.(null)
    await settle()
    expect(first.state()).toBe('on disk')
    const second = tracked(journal.writeDurably(sending('2', 'ROLE_MANAGER', 'ROLE_MEMBER')))
    expect(held).toHaveLength(2)
    await settle()
    expect(second.state()).toBe('pending')
    held[1]?.(null)
    await settle()
    expect(second.state()).toBe('on disk')
    journal.close()
  })

  it('rejects what waits when the disk cannot keep the lines, and refuses every later line', async () => {
    const journal = openJournal(path, header)
    const first = tracked(journal.writeDurably(sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER')))
    const second = tracked(journal.writeDurably(sending('2', 'ROLE_MANAGER', 'ROLE_MEMBER')))
    held[0]?.(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }))
    await settle()
    const failed = `failed: cannot save the journal to disk ${path}: an input/output error`
    expect([first.state(), second.state()]).toEqual([failed, failed])
    expect(held).toHaveLength(1)
    const refused = thrownBy(() => journal.writeDurably(sending('3', 'ROLE_MANAGER', 'ROLE_MEMBER')))
    expect(refused).toMatchObject({ code: 'INTERNAL', message: failed.slice('failed: '.length) })
    expect(readFileSync(path, 'utf8')).not.toContain('members/3')
    journal.close()
  })
})
