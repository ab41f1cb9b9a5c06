// The shell contract: help, version, usage errors and their exit codes, and a fast start that loads no Google code.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { VERSION } from '../../src/version.js'
import { ROOT, runCli, startEmulator } from './harness.js'
import { seed } from './seed.js'

const GOOGLE = /node_modules\/(@googleapis\/chat|google-auth-library|googleapis-common|gaxios)\//

async function modulesLoadedBy(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'chat-role-modules-')), 'modules.txt')
  await runCli(args, {
    env: {
      ...env,
      REPORT_MODULES_FILE: file,
      NODE_OPTIONS: `--require ${join(ROOT, 'test/e2e/fixtures/report-modules.cjs')}`,
    },
  })
  return readFileSync(file, 'utf8').split('\n')
}

describe('help and version', () => {
  it('prints help with the exit-code table on stdout, exit 0', async () => {
    const result = await runCli(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Usage: chat-role')
    expect(result.stdout).toMatch(/Exit codes:[\s\S]*2 +usage or input error: nothing was sent[\s\S]*4 +not signed in/)
    expect(result.stderr).toBe('')
  })

  it('says in promote --help that owner can delete the space', async () => {
    const result = await runCli(['promote', '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('can delete the space')
    expect(result.stdout).toContain('manager  Manager  ROLE_ASSISTANT_MANAGER')
  })

  it('prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    expect(VERSION).toBe(version)
    const result = await runCli(['--version'])
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` })
  })

  it('loads no Google library for --help, --version or a usage error', async () => {
    for (const args of [['--help'], ['--version'], ['promote', '--bogus'], ['set', 'admin', 'x']]) {
      const loaded = await modulesLoadedBy(args)
      expect(
        loaded.filter(path => GOOGLE.test(path)),
        args.join(' '),
      ).toEqual([])
    }
  })

  it('does load them for a real command (the check above can fail)', async () => {
    const emulator = await startEmulator(seed())
    try {
      const loaded = await modulesLoadedBy(['show', 'spaces/AAAAengineering/members/100000000000000000002'], {
        CHAT_EMULATOR_HOST: emulator.host,
      })
      expect(loaded.some(path => GOOGLE.test(path))).toBe(true)
    } finally {
      await emulator.stop()
    }
  })
})

describe('usage errors exit 2', () => {
  it.each([
    [['promote', '--bogus']],
    [['frobnicate']],
    [['set']],
    [['promote', '--concurrency', '0', 'spaces/A/members/1']],
    [['promote', '--to', 'member', 'spaces/A/members/1']],
    [['list']],
  ])('%j', async args => {
    const result = await runCli(args)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^chat-role: /)
    expect(result.stdout).toBe('')
  })

  it('explains a malformed name in one line with a hint', async () => {
    const result = await runCli(['promote', 'spaces/AAAA/members/'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^chat-role: 1 bad input line; nothing was sent:\n {2}argument 1: .*spaces\/AAAA\/members\/.*\nhint: /,
    )
  })

  it('needs a space for a bare id', async () => {
    const result = await runCli(['promote', '123'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--space')
  })
})

describe('output hygiene', () => {
  it('never colours output that is not a terminal', async () => {
    const result = await runCli(['promote', 'bad'])
    expect(result.stderr).not.toContain('\u001b[')
  })
})
