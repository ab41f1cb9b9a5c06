// list and show when something is missing, and list --admin, end to end: what stdout and stderr say.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from './harness.js'
import { MAX, seed } from './seed.js'

const ENG = 'spaces/AAAAengineering'
const NOTE = 'Chat apps are not listed with --admin (Google allows only human members with admin access)\n'
let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator(seed())
})
afterAll(async () => {
  await emulator.stop()
})

describe('a space that is not found', () => {
  it('prints no table, and one sentence with a hint that is not the command just run', async () => {
    const result = await emulator.cli(['list', 'spaces/NOPE'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      'chat-role: spaces/NOPE was not found: the space id may be wrong, or you are not a member of it (with --admin, a Workspace admin sees every space)\n' +
        "hint: find the space id in the space's Chat URL (after /room/ or #chat/space/)\n" +
        '0 memberships in 0 spaces\n',
    )
  })

  it('still prints the rows of the spaces that were found', async () => {
    const result = await emulator.cli(['list', ENG, 'spaces/NOPE'])
    expect(result.code).toBe(1)
    expect(result.stdout.split('\n')[0]).toMatch(/^NAME\s+ROLE/)
    expect(result.stdout).toContain(`${ENG}/members/${MAX}`)
    expect(result.stderr).toContain('chat-role: spaces/NOPE was not found')
  })

  it('says so with --admin, after the note that apps are not listed', async () => {
    const result = await emulator.cli(['list', 'spaces/NOPE', '--admin'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      'chat-role: spaces/NOPE was not found, even with admin access: the space id may be wrong, or the space was deleted\n' +
        "hint: find the space id in the space's Chat URL (after /room/ or #chat/space/)\n" +
        NOTE +
        '0 memberships in 0 spaces\n',
    )
  })
})

describe('a membership that is not found', () => {
  it('points show at the members of the space', async () => {
    const result = await emulator.cli(['show', `${ENG}/members/nobody@example.com`])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      `chat-role: ${ENG}/members/nobody@example.com was not found: no such member in ${ENG}, or you cannot see ${ENG}\n` +
        `hint: see who is in the space with chat-role list ${ENG}\n`,
    )
  })
})

describe('list --admin', () => {
  it('says once, on stderr, that Chat apps are left out', async () => {
    const text = await emulator.cli(['list', 'spaces/AAAAnotmine', '--admin', '--names'])
    expect(text.code).toBe(0)
    expect(text.stdout).not.toContain('Chat apps')
    expect(text.stderr.split(NOTE)).toHaveLength(2)

    const json = await emulator.cli(['--json', 'list', 'spaces/AAAAnotmine', '--admin'])
    expect(json.code).toBe(0)
    expect((JSON.parse(json.stdout) as { ok: boolean }).ok).toBe(true)
    expect(json.stderr).toContain(NOTE)
  })

  it('says nothing of apps without --admin, or when only humans were asked for', async () => {
    expect((await emulator.cli(['list', ENG])).stderr).not.toContain('Chat apps')
    const humans = await emulator.cli(['list', 'spaces/AAAAnotmine', '--admin', '--type', 'human'])
    expect(humans.code).toBe(0)
    expect(humans.stderr).not.toContain('Chat apps')
  })
})
