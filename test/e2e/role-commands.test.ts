// promote, demote and set, end to end: the built CLI against the emulator over HTTP.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from './harness.js'
import { INVITED, MAX, NORA, OLIVIA, PAT, seed } from './seed.js'

const ENG = 'spaces/AAAAengineering'
const SOLO = 'spaces/AAAAsolo'
let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator(seed())
})
afterAll(async () => {
  await emulator.stop()
})
beforeEach(async () => {
  await emulator.reset()
})

function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'chat-role-input-')), name)
  writeFileSync(file, text)
  return file
}

describe('promote', () => {
  it('makes a member a manager (ROLE_ASSISTANT_MANAGER), reading first and writing once', async () => {
    const result = await emulator.cli(['promote', `${ENG}/members/${MAX}`])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^updated\s+spaces\/AAAAengineering\/members\/100000000000000000002 \(max@example\.com\)\s+Member \(ROLE_MEMBER\) -> Manager \(ROLE_ASSISTANT_MANAGER\)\n$/,
    )
    expect(result.stderr).toContain('1 updated, 0 unchanged, 0 failed')
    expect(await emulator.role(`${ENG}/members/${MAX}`)).toBe('ROLE_ASSISTANT_MANAGER')
    const writes = await emulator.writes()
    expect(writes).toHaveLength(1)
    expect(writes[0]?.path).toBe(`/v1/${ENG}/members/${MAX}`)
    expect(writes[0]?.query).toMatchObject({ updateMask: 'role' })
  })

  it('reports a member who already has the role as unchanged and writes nothing', async () => {
    const result = await emulator.cli(['promote', `${ENG}/members/${NORA}`])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^unchanged\s+\S+ \(nora@example\.com\)\s+already Manager \(ROLE_ASSISTANT_MANAGER\)/)
    expect(await emulator.writes()).toHaveLength(0)
  })

  it('never lowers a role: an owner asked to become a manager stays an owner', async () => {
    const result = await emulator.cli(['promote', `${ENG}/members/${PAT}`])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^kept\s+.*is already Owner \(ROLE_MANAGER\), above Manager \(ROLE_ASSISTANT_MANAGER\)/,
    )
    // The hint names the real membership, ready to run.
    expect(result.stderr).toContain(`hint: to lower it on purpose: chat-role set manager ${ENG}/members/${PAT}`)
    expect(await emulator.writes()).toHaveLength(0)
    expect(await emulator.role(`${ENG}/members/${PAT}`)).toBe('ROLE_MANAGER')
  })

  it('grants owner (ROLE_MANAGER) only with --yes when not at a terminal', async () => {
    const refused = await emulator.cli(['promote', '--to', 'owner', `${ENG}/members/${MAX}`])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('granting owner needs --yes')
    expect(await emulator.requests()).toHaveLength(0)

    const granted = await emulator.cli(['promote', '--to', 'owner', '--yes', `${ENG}/members/${MAX}`])
    expect(granted.code).toBe(0)
    expect(granted.stdout).toContain('Member (ROLE_MEMBER) -> Owner (ROLE_MANAGER)')
    expect(await emulator.role(`${ENG}/members/${MAX}`)).toBe('ROLE_MANAGER')
  })

  it('resolves an email alias with a read and writes to the canonical name', async () => {
    const result = await emulator.cli(['promote', `${ENG}/members/max@example.com`])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`${ENG}/members/${MAX} (max@example.com)`)
    const writes = await emulator.writes()
    expect(writes.map(write => write.path)).toEqual([`/v1/${ENG}/members/${MAX}`])
  })

  it('takes bare ids, users/ ids and emails with --space, also as a Chat URL', async () => {
    const result = await emulator.cli([
      'set',
      'manager',
      '--space',
      'https://chat.google.com/room/AAAAengineering',
      '--yes',
      MAX,
      `users/${PAT}`,
    ])
    expect(result.code).toBe(0)
    expect(await emulator.role(`${ENG}/members/${MAX}`)).toBe('ROLE_ASSISTANT_MANAGER')
    expect(await emulator.role(`${ENG}/members/${PAT}`)).toBe('ROLE_ASSISTANT_MANAGER')
  })
})

describe('demote', () => {
  it('makes an owner a member when another owner remains', async () => {
    const result = await emulator.cli(['demote', `${ENG}/members/${PAT}`])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Owner (ROLE_MANAGER) -> Member (ROLE_MEMBER)')
    expect(await emulator.role(`${ENG}/members/${PAT}`)).toBe('ROLE_MEMBER')
  })

  it('never leaves a space without an owner: says so and names the space, before trying', async () => {
    const result = await emulator.cli(['demote', `${SOLO}/members/${OLIVIA}`])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^failed\s+.*last owner of spaces\/AAAAsolo/)
    expect(result.stderr).toContain('hint: make someone else owner first')
    expect(await emulator.writes()).toHaveLength(0)
    expect(await emulator.role(`${SOLO}/members/${OLIVIA}`)).toBe('ROLE_MANAGER')
  })

  it('demotes both owners of a space only as far as one remains', async () => {
    const result = await emulator.cli(['demote', '--yes', `${ENG}/members/${PAT}`, `${ENG}/members/${OLIVIA}`])
    expect(result.code).toBe(1)
    expect(await emulator.role(`${ENG}/members/${PAT}`)).toBe('ROLE_MEMBER')
    expect(await emulator.role(`${ENG}/members/${OLIVIA}`)).toBe('ROLE_MANAGER')
  })

  it('lets a space change hands: once a new owner exists, the old one can step down', async () => {
    const handOver = await emulator.cli(['set', 'owner', '--yes', `${SOLO}/members/${MAX}`])
    expect(handOver.code).toBe(0)
    const result = await emulator.cli(['demote', '--yes', '-'], { stdin: `${SOLO}/members/${OLIVIA}\n` })
    expect(result.code).toBe(0)
    expect(await emulator.role(`${SOLO}/members/${OLIVIA}`)).toBe('ROLE_MEMBER')
  })
})

describe('set', () => {
  it.each([
    ['member', 'ROLE_MEMBER'],
    ['MANAGER', 'ROLE_ASSISTANT_MANAGER'],
    ['ROLE_ASSISTANT_MANAGER', 'ROLE_ASSISTANT_MANAGER'],
    ['role_member', 'ROLE_MEMBER'],
  ])('accepts %s as %s', async (word, api) => {
    const result = await emulator.cli(['set', word, `${ENG}/members/${PAT}`, '--yes'])
    expect(result.code).toBe(0)
    expect(await emulator.role(`${ENG}/members/${PAT}`)).toBe(api)
  })

  it('reminds that the raw ROLE_MANAGER is the UI’s Owner', async () => {
    const result = await emulator.cli(['set', 'ROLE_MANAGER', '--yes', `${ENG}/members/${MAX}`])
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('ROLE_MANAGER is the role the Chat UI calls Owner')
    expect(await emulator.role(`${ENG}/members/${MAX}`)).toBe('ROLE_MANAGER')
  })

  it('rejects an unknown role with exit 2 and sends nothing', async () => {
    const result = await emulator.cli(['set', 'admin', `${ENG}/members/${MAX}`])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/unknown role 'admin'/)
    expect(await emulator.requests()).toHaveLength(0)
  })
})

describe('input', () => {
  it('reads names from stdin with comments and blank lines', async () => {
    const stdin = `# managers to demote\n${ENG}/members/${NORA}\n\n${ENG}/members/${PAT}  # second owner\n`
    const result = await emulator.cli(['demote', '-', '--yes'], { stdin })
    expect(result.code).toBe(0)
    expect(result.stdout.trim().split('\n')).toHaveLength(2)
    expect(await emulator.role(`${ENG}/members/${NORA}`)).toBe('ROLE_MEMBER')
    expect(await emulator.role(`${ENG}/members/${PAT}`)).toBe('ROLE_MEMBER')
  })

  it('reads the name column of a CSV written by gam print chatmembers', async () => {
    const csv = [
      'User,space,name,member.name,member.type,role,state',
      `olivia@example.com,${ENG},${ENG}/members/${MAX},users/${MAX},HUMAN,ROLE_MEMBER,JOINED`,
      `olivia@example.com,${ENG},"${ENG}/members/${NORA}",users/${NORA},HUMAN,ROLE_ASSISTANT_MANAGER,JOINED`,
    ].join('\n')
    const result = await emulator.cli(['set', 'manager', '--file', tempFile('members.csv', csv), '--yes'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/updated .*max@example.com/)
    expect(result.stdout).toMatch(/unchanged .*nora@example.com/)
  })

  it('collapses duplicates with a warning, including an email alias of an id given too', async () => {
    const result = await emulator.cli([
      'promote',
      '--yes',
      `${ENG}/members/${MAX}`,
      `${ENG}/members/${MAX}`,
      `${ENG}/members/max@example.com`,
    ])
    expect(result.code).toBe(0)
    expect(result.stdout.trim().split('\n')).toHaveLength(1)
    expect(result.stderr.match(/warning:/g)).toHaveLength(2)
    expect(await emulator.writes()).toHaveLength(1)
  })

  it('names every bad line with its line number, exits 2 and sends nothing', async () => {
    const file = tempFile(
      'names.txt',
      `${ENG}/members/${MAX}\nspaces/AAAAengineering/member/1\n\nspaces//members/2\n${ENG}/members/${NORA}\n`,
    )
    const result = await emulator.cli(['demote', '--file', file, '--yes'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`${file}:2:`)
    expect(result.stderr).toContain(`${file}:4:`)
    expect(result.stderr).toContain('nothing was sent')
    expect(await emulator.requests()).toHaveLength(0)
  })

  it.each([
    ['an empty file', ''],
    ['a file of comments', '# nothing here\n\n'],
  ])('takes %s as nothing to do: exit 0, one line on stderr, nothing sent', async (_label, text) => {
    const file = tempFile('input', text)
    const result = await emulator.cli(['promote', '--file', file, '--yes'])
    expect(result.code).toBe(0)
    expect(result.stderr).toBe(`Nothing to do: ${file} had no memberships.\n`)
    expect(result.stdout).toBe('')
    expect(await emulator.requests()).toHaveLength(0)
    const json = await emulator.cli(['--json', 'promote', '--file', file, '--yes'])
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, results: [], summary: { total: 0 } })
  })

  it.each([['a binary file', '\u0000\u0001\u0002PNG\u0000garbage']])(
    'rejects %s with exit 2 and sends nothing',
    async (_label, text) => {
      const result = await emulator.cli(['promote', '--file', tempFile('input', text), '--yes'])
      expect(result.code).toBe(2)
      expect(result.stderr.split('\n')[0]).toMatch(/^chat-role: /)
      expect(await emulator.requests()).toHaveLength(0)
    },
  )

  it('rejects a missing file with exit 2', async () => {
    const result = await emulator.cli(['promote', '--file', '/nonexistent/names.txt'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('cannot read /nonexistent/names.txt: no such file')
  })

  it('needs --yes for more than one membership without a terminal, and sends nothing without it', async () => {
    const result = await emulator.cli(['promote', `${ENG}/members/${MAX}`, `${ENG}/members/${PAT}`])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--yes')
    expect(await emulator.requests()).toHaveLength(0)
  })
})

describe('dry run', () => {
  it('reads and reports the plan, and writes nothing', async () => {
    const result = await emulator.cli(['demote', '--dry-run', `${ENG}/members/${NORA}`, `${ENG}/members/${MAX}`])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^would set\s+.*nora@example.com.*Manager \(ROLE_ASSISTANT_MANAGER\) -> Member \(ROLE_MEMBER\)/m,
    )
    expect(result.stdout).toMatch(/^unchanged\s+.*max@example.com/m)
    expect(result.stderr).toContain('Nothing was written')
    expect(await emulator.writes()).toHaveLength(0)
    expect(await emulator.role(`${ENG}/members/${NORA}`)).toBe('ROLE_ASSISTANT_MANAGER')
  })
})

describe('refusals and API errors', () => {
  it.each([
    ['a Chat app', `${ENG}/members/app-1`, /Chat app: apps have no roles/],
    ['an invited member', `${ENG}/members/${INVITED}`, /not joined/],
    ['a Google Group', `${ENG}/members/eng-all`, /Google Group: groups have no roles/],
  ])('refuses %s before writing', async (_label, name, message) => {
    const result = await emulator.cli(['promote', name])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(message)
    expect(await emulator.writes()).toHaveLength(0)
  })

  it('says plainly when the membership does not exist', async () => {
    const result = await emulator.cli(['promote', `${ENG}/members/999`])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^failed\s+spaces\/AAAAengineering\/members\/999\s+.*was not found/)
    expect(result.stderr).toContain('hint: see who is in the space with chat-role list spaces/AAAAengineering')
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/)
  })

  it('says plainly when the space does not exist', async () => {
    const result = await emulator.cli(['promote', `spaces/AAAAnowhere/members/${MAX}`])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/was not found/)
  })

  it('explains that only owners and managers change roles', async () => {
    const result = await emulator.cli(['promote', `spaces/AAAAnotmine/members/${MAX}`])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^failed\s+.*not allowed to change/)
    expect(result.stderr).toContain('only owners and managers of spaces/AAAAnotmine can change roles')
  })

  it('explains that group chats have no roles', async () => {
    const result = await emulator.cli(['promote', `spaces/AAAAgroupchat/members/${MAX}`])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('group chats and direct messages have no roles')
  })

  it('lets a Workspace admin act in a space they do not own with --admin', async () => {
    const result = await emulator.cli(['promote', '--admin', `spaces/AAAAnotmine/members/${MAX}`])
    expect(result.code).toBe(0)
    expect(await emulator.role(`spaces/AAAAnotmine/members/${MAX}`)).toBe('ROLE_ASSISTANT_MANAGER')
    const writes = await emulator.writes()
    expect(writes[0]?.query).toMatchObject({ updateMask: 'role', useAdminAccess: 'true' })
  })

  it('exits 4 with the fix when there is no sign-in at all', async () => {
    const result = await emulator.cli(['promote', `${ENG}/members/${MAX}`], { env: { CHAT_EMULATOR_HOST: undefined } })
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('chat-role auth login')
  })

  it('exits 1 when only some memberships fail, and still does the rest', async () => {
    const result = await emulator.cli(['promote', '--yes', `${ENG}/members/${MAX}`, `${ENG}/members/999`])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^updated/m)
    expect(result.stdout).toMatch(/^failed/m)
    expect(await emulator.role(`${ENG}/members/${MAX}`)).toBe('ROLE_ASSISTANT_MANAGER')
  })
})

describe('--json', () => {
  it('prints exactly one document with every result and the summary', async () => {
    const result = await emulator.cli([
      '--json',
      'promote',
      '--yes',
      `${ENG}/members/${MAX}`,
      `${ENG}/members/${NORA}`,
      `${ENG}/members/999`,
    ])
    expect(result.code).toBe(1)
    const document = JSON.parse(result.stdout) as {
      ok: boolean
      role: { word: string; api: string }
      summary: { updated: number; unchanged: number; failed: number; total: number }
      results: { name: string; status: string; from?: string; to: string; error?: { code: string } }[]
    }
    expect(document.ok).toBe(false)
    expect(document.role).toMatchObject({ word: 'manager', api: 'ROLE_ASSISTANT_MANAGER' })
    expect(document.summary).toMatchObject({ total: 3, updated: 1, unchanged: 1, failed: 1 })
    expect(document.results.map(item => item.status)).toEqual(['updated', 'unchanged', 'failed'])
    expect(document.results[0]).toMatchObject({
      from: 'ROLE_MEMBER',
      to: 'ROLE_ASSISTANT_MANAGER',
      email: 'max@example.com',
    })
    expect(document.results[2]?.error?.code).toBe('NOT_FOUND')
  })

  it('prints a JSON error document for bad input', async () => {
    const result = await emulator.cli(['--json', 'promote', 'spaces/x/member/1'])
    expect(result.code).toBe(2)
    const document = JSON.parse(result.stdout) as { ok: boolean; error: { code: string; problems: unknown[] } }
    expect(document.ok).toBe(false)
    expect(document.error.code).toBe('INPUT')
    expect(document.error.problems).toHaveLength(1)
  })
})
