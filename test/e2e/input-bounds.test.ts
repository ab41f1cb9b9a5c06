// Input that is too big, not text, or on a terminal, through the built CLI. Every case here ends before any
// request (input is validated first), so no emulator is needed: a request would fail on the unset credentials.
import { spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cleanEnv, ROOT, runCli, type CliResult } from './harness.js'

const CLI = join(ROOT, 'bin/chat-role.js')
const folder = mkdtempSync(join(tmpdir(), 'chat-role-input-'))

function file(name: string, content: string | Uint8Array): string {
  const path = join(folder, name)
  writeFileSync(path, content)
  return path
}

/**
 * Runs the CLI with stdin read from a file or device, as `chat-role … < path` does. The child gets a small heap
 * and a time limit, so a regression to unbounded reading fails the test instead of eating the machine's memory.
 */
function runBounded(args: readonly string[], stdinPath = '/dev/null'): Promise<CliResult> {
  const fd = openSync(stdinPath, 'r')
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=512', CLI, ...args], {
      env: cleanEnv(),
      stdio: [fd, 'pipe', 'pipe'],
      timeout: 60_000,
    })
    closeSync(fd)
    let stdout = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', code => {
      resolve({ code, stdout, stderr })
    })
  })
}

describe('bounded input', () => {
  it('ends `demote --yes - < /dev/zero` at 64 MiB with exit 2', async () => {
    const result = await runBounded(['demote', '--yes', '-'], '/dev/zero')
    expect(result.code).toBe(2)
    expect(result.stderr.split('\n')[0]).toBe('chat-role: stdin is larger than 64 MiB; nothing was sent')
    expect(result.stderr).toMatch(/\nhint: .*64 MiB/)
    expect(result.stdout).toBe('')
  })

  it('ends `--file /dev/zero` at 64 MiB and names the real cause', async () => {
    const result = await runBounded(['demote', '--yes', '--file', '/dev/zero'])
    expect(result.code).toBe(2)
    expect(result.stderr.split('\n')[0]).toBe('chat-role: /dev/zero is larger than 64 MiB; nothing was sent')
    expect(result.stderr).not.toContain('undefined')
  })

  it('shows 10 of 100,000 bad lines, not 100,002 lines of stderr', async () => {
    const result = await runCli(['demote', '--yes', '-'], { stdin: 'spaces/A/member/1\n'.repeat(100_000) })
    expect(result.code).toBe(2)
    const lines = result.stderr.trimEnd().split('\n')
    expect(lines[0]).toBe('chat-role: 100000 bad input lines; nothing was sent:')
    expect(lines).toContain('  … and 99990 more')
    expect(lines.length).toBeLessThanOrEqual(14)
  })

  it('keeps at most 1,000 problems in --json, with the total', async () => {
    const result = await runCli(['--json', 'demote', '--yes', '-'], { stdin: 'spaces/A/member/1\n'.repeat(5000) })
    expect(result.code).toBe(2)
    const document = JSON.parse(result.stdout) as {
      ok: boolean
      error: { code: string; problemCount: number; problems: { line: number }[] }
    }
    expect(document.ok).toBe(false)
    expect(document.error.code).toBe('INPUT')
    expect(document.error.problemCount).toBe(5000)
    expect(document.error.problems).toHaveLength(1000)
    expect(document.error.problems[999]?.line).toBe(1000)
  })

  it('refuses a 100 KB argument before sending it', async () => {
    const result = await runCli(['promote', `spaces/${'A'.repeat(100_000)}/members/1`])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('argument 1: argument is 100017 characters long (the limit is 2000)')
    expect(result.stderr.length).toBeLessThan(2000)
  })
})

describe('not text', () => {
  it('says a binary file is not a text file, where its NUL byte is, and what to give', async () => {
    const png = file('photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))
    const result = await runCli(['promote', '--yes', '--file', png])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      `chat-role: ${png} is not a text file (it has a NUL byte at byte 8)\n` +
        'hint: give a text file with one membership name per line, or a CSV with a name column\n',
    )
  })

  it('says Latin-1 text is not UTF-8', async () => {
    const latin1 = file('latin1.txt', Buffer.from('spaces/A/members/j\xfcrgen@example.com\n', 'latin1'))
    const result = await runCli(['promote', '--yes', '--file', latin1])
    expect(result.code).toBe(2)
    expect(result.stderr.split('\n')[0]).toBe(`chat-role: ${latin1} is not UTF-8 text (invalid UTF-8 at byte 18)`)
  })
})

describe('stdin on a terminal', () => {
  it('says what it waits for, instead of waiting in silence', async () => {
    // `script` gives the CLI a pseudo-terminal; the name is bad so the run ends before any request.
    const command = [process.execPath, CLI, 'promote', '-'].map(word => `'${word}'`).join(' ')
    const run = await new Promise<{ code: number | null; screen: string }>((resolve, reject) => {
      const child = spawn('script', ['-qfec', command, '/dev/null'], {
        env: cleanEnv({ TERM: 'xterm' }),
        stdio: ['pipe', 'pipe', 'pipe'],
        // Without the prompt nothing is typed: end the run rather than leave it waiting.
        timeout: 30_000,
      })
      let screen = ''
      let typed = false
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        screen += chunk
        if (!typed && screen.includes('end with Ctrl-D')) {
          typed = true
          // A line, then Ctrl-D at the start of the next line: end of input.
          child.stdin.write('spaces/A/member/1\n')
          setImmediate(() => child.stdin.write('\u0004'))
        }
      })
      child.on('error', reject)
      child.on('close', code => {
        resolve({ code, screen })
      })
    })
    expect(run.screen).toContain('reading names from stdin, one per line; end with Ctrl-D')
    expect(run.screen).toContain('stdin:1:')
    expect(run.code).toBe(2)
  })
})
