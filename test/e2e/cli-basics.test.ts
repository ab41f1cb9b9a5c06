// The shell contract: help, version, usage errors and their exit codes (what a start loads: test/cli/startup-bin).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { VERSION } from '../../src/version.js'
import { ROOT, runCli } from './harness.js'

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
