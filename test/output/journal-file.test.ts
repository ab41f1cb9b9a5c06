import { spawn } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeEach, describe, expect, it } from 'vitest'
import { planResume } from '../../src/core/resume.js'
import { savedPlan } from '../../src/core/saved-plan.js'
import {
  defaultJournalPath,
  journalFileName,
  openJournal,
  readJournal,
  readPlanFile,
  writePlanFile,
} from '../../src/output/journal-file.js'
import { thrownBy } from '../auth/expect-error.js'
import { end, header, item, sending } from '../core/journal-fixtures.js'

const posix = process.platform !== 'win32'
const modeOf = (path: string): number => statSync(path).mode & 0o777

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'chat-role-journal-'))
})

describe('journal file names', () => {
  const now = new Date('2026-12-01T19:37:27.456Z')

  it('sort by time and have no colons', () => {
    expect(journalFileName(now, 'demote', 'a1b2c3')).toBe('2026-12-01T19-37-27Z-demote-a1b2c3.jsonl')
    expect(journalFileName(now, '../x', 'a1b2c3')).toBe('2026-12-01T19-37-27Z-run-a1b2c3.jsonl')
  })

  it('go in the platform runs folder, with a random suffix by default', () => {
    expect(defaultJournalPath({ HOME: '/home/o' }, 'linux', now, 'demote', 'abc')).toBe(
      '/home/o/.local/state/chat-role/runs/2026-12-01T19-37-27Z-demote-abc.jsonl',
    )
    expect(defaultJournalPath({ LOCALAPPDATA: 'C:\\Users\\o\\AppData\\Local' }, 'win32', now, 'set', 'abc')).toBe(
      'C:\\Users\\o\\AppData\\Local\\chat-role\\runs\\2026-12-01T19-37-27Z-set-abc.jsonl',
    )
    const a = defaultJournalPath({ HOME: '/h' }, 'linux', now, 'demote')
    const b = defaultJournalPath({ HOME: '/h' }, 'linux', now, 'demote')
    expect(a).toMatch(/-demote-[0-9a-f]{6}\.jsonl$/)
    expect(a).not.toBe(b)
  })
})

describe('openJournal', () => {
  it('creates the folder 0700 and the file 0600, header first', () => {
    const path = join(dir, 'state', 'runs', 'run.jsonl')
    const journal = openJournal(path, header)
    journal.write(sending('1', 'ROLE_MANAGER', 'ROLE_MEMBER'))
    journal.write(item('1', 'updated', 'ROLE_MANAGER', 'ROLE_MEMBER'))
    journal.write(end(0))
    journal.close()
    journal.close()
    if (posix) {
      expect(modeOf(join(dir, 'state', 'runs'))).toBe(0o700)
      expect(modeOf(path)).toBe(0o600)
    }
    const parsed = readJournal(path)
    expect(parsed.header).toEqual(header)
    expect(parsed.records.map(record => record.type)).toEqual(['sending', 'item', 'end'])
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(5)
  })

  it('refuses to write over an existing journal, and leaves it as it was', () => {
    const path = join(dir, 'run.jsonl')
    openJournal(path, header).close()
    const before = readFileSync(path, 'utf8')
    const error = thrownBy(() => openJournal(path, header))
    expect(error.code).toBe('USAGE')
    expect(error.message).toBe(`${path} already exists: chat-role never writes over a journal`)
    expect(readFileSync(path, 'utf8')).toBe(before)
  })

  it.runIf(posix)('warns about a folder others can list, and leaves its mode alone', () => {
    const folder = join(dir, 'shared')
    mkdirSync(folder)
    chmodSync(folder, 0o755)
    const warnings: string[] = []
    openJournal(join(folder, 'run.jsonl'), header, { warn: message => warnings.push(message) }).close()
    expect(warnings).toEqual([
      `${folder} can be listed by other users (mode 755); to keep run journals private: chmod 700 ${folder}`,
    ])
    expect(modeOf(folder)).toBe(0o755)
    const quiet: string[] = []
    openJournal(join(dir, 'new', 'run.jsonl'), header, { warn: message => quiet.push(message) }).close()
    expect(quiet).toEqual([])
  })

  it('says why it cannot create a journal, in one line', () => {
    const blocker = join(dir, 'file')
    writeFileSync(blocker, '')
    const error = thrownBy(() => openJournal(join(blocker, 'run.jsonl'), header))
    expect(error.code).toBe('INPUT')
    expect(error.message).toMatch(new RegExp(`^cannot create the folder of the journal ${blocker}: `))
  })

  it('refuses a line after close', () => {
    const journal = openJournal(join(dir, 'run.jsonl'), header)
    journal.close()
    expect(
      thrownBy(() => {
        journal.write(end(0))
      }).code,
    ).toBe('INTERNAL')
  })
})

describe('openJournal with append (resume)', () => {
  const resumed = {
    ...header,
    argv: ['demote', '--resume', 'run.jsonl'],
    startedAt: '2026-12-02T08:00:00.000Z',
    pid: 77,
  }

  it('appends a resume line to the same run', () => {
    const path = join(dir, 'run.jsonl')
    const first = openJournal(path, header)
    first.write(item('1', 'updated', 'ROLE_MANAGER', 'ROLE_MEMBER'))
    first.write(end(130, { stoppedBy: 'SIGINT' }))
    first.close()
    const second = openJournal(path, resumed, { append: true })
    second.write(item('2', 'updated', 'ROLE_MANAGER', 'ROLE_MEMBER'))
    second.close()
    const parsed = readJournal(path)
    expect(parsed.header).toEqual(header)
    expect(parsed.resumes).toEqual([
      {
        type: 'resume',
        runId: 'run-1',
        argv: resumed.argv,
        startedAt: resumed.startedAt,
        version: '0.1.0',
        host: 'laptop',
        cwd: '/home/olivia',
        pid: 77,
      },
    ])
    expect(parsed.end).toBeUndefined()
    expect(parsed.items).toHaveLength(2)
  })

  it('starts the resume on a line of its own after a line a crash cut short', () => {
    const path = join(dir, 'run.jsonl')
    const first = openJournal(path, header)
    first.write(item('1', 'updated', 'ROLE_MANAGER', 'ROLE_MEMBER'))
    first.close()
    appendFileSync(path, '{"type":"sending","name":"spaces/A/mem')
    expect(readJournal(path).tornTail).toBe(true)
    openJournal(path, resumed, { append: true }).close()
    const parsed = readJournal(path)
    expect(parsed.tornTail).toBe(false)
    expect(parsed.tornLines).toEqual([3])
    expect(parsed.resumes).toHaveLength(1)
  })

  it('refuses a missing file, another run, or another caller', () => {
    const missing = thrownBy(() => openJournal(join(dir, 'none.jsonl'), header, { append: true }))
    expect(missing.message).toBe(`cannot open the journal ${join(dir, 'none.jsonl')}: no such file or folder`)
    const path = join(dir, 'run.jsonl')
    openJournal(path, header).close()
    const other = thrownBy(() => openJournal(path, { ...header, runId: 'run-9' }, { append: true }))
    expect(other.message).toBe(`${path} is the journal of run run-1, not of run-9`)
    const caller = thrownBy(() =>
      openJournal(path, { ...header, caller: { account: 'bob@example.com' } }, { append: true }),
    )
    expect(caller.code).toBe('USAGE')
    expect(caller.message).toContain('it ran as olivia@example.com')
    expect(readJournal(path).records).toEqual([])
  })
})

describe('readJournal', () => {
  it('says when there is no such journal, or a folder is given', () => {
    expect(thrownBy(() => readJournal(join(dir, 'x.jsonl'))).message).toBe(
      `cannot read the journal ${join(dir, 'x.jsonl')}: no such file or folder`,
    )
    expect(thrownBy(() => readJournal(dir)).message).toBe(`cannot read the journal ${dir}: it is a folder`)
  })

  it('refuses a file that is not a journal', () => {
    const path = join(dir, 'names.txt')
    writeFileSync(path, 'spaces/A/members/1\n')
    expect(thrownBy(() => readJournal(path)).message).toBe(
      `${path} is not a chat-role journal: its first line is not JSON`,
    )
  })
})

describe('a run killed with SIGKILL', () => {
  it('leaves a journal that reads back, and resumes', async () => {
    const dist = join(import.meta.dirname, '..', '..', 'dist')
    const modules = ['output/journal-file.js', 'core/journal.js'].map(file => join(dist, file))
    if (!modules.every(existsSync)) throw new Error('run npm run build first: this test imports dist/')
    const path = join(dir, 'killed.jsonl')
    const [fileModule, journalModule] = modules.map(file => pathToFileURL(file).href)
    const script = `
      const { openJournal } = await import(${JSON.stringify(fileModule)})
      const { journalHeader } = await import(${JSON.stringify(journalModule)})
      const header = journalHeader(${JSON.stringify(header)})
      const journal = openJournal(${JSON.stringify(path)}, header)
      const at = new Date().toISOString()
      for (let i = 0; ; i++) {
        const name = 'spaces/A/members/' + i
        journal.write({ type: 'sending', name, space: 'spaces/A', from: 'ROLE_MANAGER', to: 'ROLE_MEMBER', at })
        journal.write({ type: 'item', name, space: 'spaces/A', from: 'ROLE_MANAGER', to: 'ROLE_MEMBER', status: 'updated', attempts: 1, at })
        if (i === 200) process.stdout.write('ready\\n')
      }`
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<NodeJS.Signals | null>(resolve =>
      child.on('exit', (_code, signal) => {
        resolve(signal)
      }),
    )
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => {
        resolve()
      })
      child.on('exit', () => {
        reject(new Error(`the writer ended before it was killed: ${stderr}`))
      })
    })
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')

    const text = readFileSync(path, 'utf8')
    const parsed = readJournal(path)
    const completeLines = text.split('\n').length - 1
    expect(parsed.records.length + 1).toBe(completeLines)
    expect(parsed.tornTail).toBe(!text.endsWith('\n'))
    expect(parsed.end).toBeUndefined()
    expect(parsed.items.length).toBeGreaterThan(200)
    // Every outcome follows its announcement; at most the last write is in doubt.
    expect(parsed.sending.length - parsed.items.length).toBeGreaterThanOrEqual(0)
    expect(parsed.sending.length - parsed.items.length).toBeLessThanOrEqual(1)

    const names = Array.from({ length: parsed.sending.length + 5 }, (_, i) => `spaces/A/members/${i}`)
    const plan = planResume(parsed, header, names)
    expect(plan.done.size).toBe(parsed.items.length)
    expect(plan.todo).toHaveLength(names.length - parsed.items.length)

    const resumed = openJournal(path, { ...header, startedAt: new Date().toISOString() }, { append: true })
    resumed.write(end(0))
    resumed.close()
    const after = readJournal(path)
    expect(after.resumes).toHaveLength(1)
    expect(after.end?.exit).toBe(0)
    expect(after.items).toHaveLength(parsed.items.length)
  })
})

describe('plan files', () => {
  const plan = savedPlan({
    createdAt: '2026-12-01T19:37:27.000Z',
    command: 'demote',
    target: 'ROLE_MEMBER',
    caller: { account: 'olivia@example.com' },
    admin: false,
    items: [{ name: 'spaces/A/members/1', space: 'spaces/A', from: 'ROLE_MANAGER', to: 'ROLE_MEMBER' }],
  })

  it('are written 0600, atomically, and read back', () => {
    const path = join(dir, 'plan.json')
    writePlanFile(path, plan)
    if (posix) expect(modeOf(path)).toBe(0o600)
    expect(readPlanFile(path)).toEqual(plan)
    // Replacing a plan leaves no temp file behind.
    writePlanFile(path, savedPlan({ ...plan, items: [] }))
    expect(readPlanFile(path).items).toEqual([])
    expect(readdirSync(dir)).toEqual(['plan.json'])
  })

  it('never replace a file that is not a plan', () => {
    const path = join(dir, 'managers.txt')
    writeFileSync(path, 'spaces/A/members/1\n')
    const error = thrownBy(() => {
      writePlanFile(path, plan)
    })
    expect(error.message).toBe(`${path} exists and is not a saved plan: chat-role will not write over it`)
    expect(readFileSync(path, 'utf8')).toBe('spaces/A/members/1\n')
    const journal = join(dir, 'run.jsonl')
    openJournal(journal, header).close()
    expect(
      thrownBy(() => {
        writePlanFile(journal, plan)
      }).code,
    ).toBe('USAGE')
  })

  it('say what is wrong when they cannot be read', () => {
    expect(thrownBy(() => readPlanFile(join(dir, 'none.json'))).message).toBe(
      `cannot read the plan ${join(dir, 'none.json')}: no such file or folder`,
    )
    const journal = join(dir, 'run.jsonl')
    openJournal(journal, header).close()
    expect(thrownBy(() => readPlanFile(journal)).message).toBe(`${journal} is the journal of a run, not a saved plan`)
  })

  it('say why they cannot be written', () => {
    const error = thrownBy(() => {
      writePlanFile(join(dir, 'no', 'such', 'plan.json'), plan)
    })
    expect(error.message).toBe(`cannot write the plan ${join(dir, 'no', 'such', 'plan.json')}: no such file or folder`)
  })
})
