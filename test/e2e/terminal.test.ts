// At a terminal: the plan and the question before a bulk change or an owner grant, colour, --no-input.
// `script` (util-linux) gives the CLI a real pseudo-terminal for stdin, stdout and stderr.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { cleanEnv, ROOT, startEmulator, type Emulator } from './harness.js'
import { MAX, seed } from './seed.js'

const ENG = `spaces/AAAAengineering/members/${MAX}`
const SOLO = `spaces/AAAAsolo/members/${MAX}`
let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator(seed({ bulkSpaces: 1, bulkMembers: 10 }))
})
afterAll(async () => {
  await emulator.stop()
})
beforeEach(async () => {
  await emulator.reset()
})

interface TerminalRun {
  readonly code: number | null
  /** stdout and stderr as the terminal showed them. */
  readonly screen: string
}

/** Runs chat-role on a pseudo-terminal, answering `answer` when it asks a question. */
function atTerminal(args: readonly string[], answer?: string, env: Record<string, string> = {}): Promise<TerminalRun> {
  const command = [process.execPath, join(ROOT, 'bin/chat-role.js'), ...args].map(word => `'${word}'`).join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: cleanEnv({ CHAT_EMULATOR_HOST: emulator.host, TERM: 'xterm', ...env }),
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let screen = ''
    let answered = false
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      screen += chunk
      if (!answered && answer !== undefined && screen.includes('[y/N]')) {
        answered = true
        child.stdin.write(`${answer}\n`)
      }
    })
    child.on('error', reject)
    child.on('close', code => {
      resolve({ code, screen })
    })
  })
}

describe('at a terminal', () => {
  it('shows the plan and asks before changing more than one membership', async () => {
    const run = await atTerminal(['promote', ENG, SOLO], 'y')
    expect(run.screen).toContain('About to change 2 memberships to Manager (ROLE_ASSISTANT_MANAGER)')
    expect(run.screen).toContain('Apply 2 changes? [y/N]')
    expect(run.code).toBe(0)
    expect(await emulator.role(ENG)).toBe('ROLE_ASSISTANT_MANAGER')
    expect(await emulator.role(SOLO)).toBe('ROLE_ASSISTANT_MANAGER')
  })

  it('changes nothing when the answer is no, and exits 130', async () => {
    const run = await atTerminal(['promote', ENG, SOLO], 'n')
    expect(run.code).toBe(130)
    expect(run.screen).toContain('Cancelled: nothing was changed.')
    expect(await emulator.writes()).toHaveLength(0)
  })

  it('asks before granting owner, even for one membership, and warns what owners can do', async () => {
    const run = await atTerminal(['promote', '--to', 'owner', ENG], 'yes')
    expect(run.screen).toContain('owners can delete the space')
    expect(run.code).toBe(0)
    expect(await emulator.role(ENG)).toBe('ROLE_MANAGER')
  })

  it('says how long the run takes at the documented quotas before asking', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `spaces/AAAAbulk0/members/${200000000000000000000n + BigInt(i)}`)
    const run = await atTerminal(['promote', ...names], 'n')
    // Ten writes in one space at Google's documented 1 a second, past the first one's burst: 9 s.
    expect(run.screen).toContain(
      "At Google's documented quotas (300 writes a minute per project, 1 a second per space) this takes about 9s",
    )
    expect(run.screen).toContain('Apply 10 changes? [y/N]')
    expect(run.code).toBe(130)
    expect(await emulator.writes()).toHaveLength(0)
  })

  it('draws a progress bar on stderr in place, and leaves result lines whole', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `spaces/AAAAbulk0/members/${200000000000000000000n + BigInt(i)}`)
    const run = await atTerminal(['promote', '--yes', ...names])
    expect(run.code).toBe(0)
    expect(run.screen).toMatch(/\r[^\n]*writing \d+\/10/)
    // Every result line comes right after the bar was erased (ESC[K), never after a half-drawn bar.
    const ESC = String.fromCharCode(27)
    expect(
      run.screen.split(`${ESC}[K`).filter(after => after.replace(/^(.\[[\d;]*m)*/, '').startsWith('updated')),
    ).toHaveLength(10)
  })

  it('does not ask for one change to manager', async () => {
    const run = await atTerminal(['promote', ENG])
    expect(run.screen).not.toContain('[y/N]')
    expect(run.code).toBe(0)
  })

  it('never asks with --no-input or --json, and says which is why it needs --yes; sends nothing', async () => {
    const run = await atTerminal(['--no-input', 'promote', ENG, SOLO])
    expect(run.code).toBe(2)
    expect(run.screen).toContain('changing 2 memberships needs --yes with --no-input; nothing was sent')
    expect(run.screen).not.toContain('when not run at a terminal')
    const json = await atTerminal(['--json', 'promote', ENG, SOLO])
    expect(json.code).toBe(2)
    expect(json.screen).toContain('changing 2 memberships needs --yes with --json; nothing was sent')
    expect(await emulator.requests()).toHaveLength(0)
  })

  it('colours results on a terminal, and not with NO_COLOR', async () => {
    const coloured = await atTerminal(['promote', ENG])
    expect(coloured.screen).toContain('\u001b[32mupdated')
    await emulator.reset()
    const plain = await atTerminal(['promote', ENG], undefined, { NO_COLOR: '1' })
    expect(plain.screen).toContain('updated')
    for (const foreground of ['\u001b[31m', '\u001b[32m', '\u001b[33m', '\u001b[36m']) {
      expect(plain.screen).not.toContain(foreground)
    }
  })
})
