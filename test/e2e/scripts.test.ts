// The scripts a newcomer runs: demo.sh, test.sh and link.sh. They run with CHAT_ROLE_SKIP_SETUP=1: this suite
// has set up already, and a build in the middle of it would rewrite dist/ under the other tests.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { VERSION } from '../../src/version.js'
import { cleanEnv, ROOT } from './harness.js'

interface ScriptResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

function bash(
  script: string,
  args: readonly string[] = [],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(ROOT, script), ...args], {
      cwd: ROOT,
      env: cleanEnv({ CHAT_ROLE_SKIP_SETUP: '1', ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', code => {
      resolve({ code, stdout, stderr })
    })
  })
}

const ESC = '\u001b['

describe('scripts/demo.sh', () => {
  it('shows the request log while the emulator still runs, then stops it', { timeout: 120_000 }, async () => {
    const result = await bash('scripts/demo.sh')
    expect(result.code, result.stderr).toBe(0)
    const [, log = ''] = result.stdout.split('its request log (GET /emulator/v1/requests)')
    expect(log).toMatch(/^200 +PATCH \/v1\/spaces\/AAAAengineering\/members\/100000000000000000002\?updateMask=role$/m)
    expect(log).toMatch(/^200 +GET +\/v1\/spaces\/AAAAengineering\/members\/max%40example\.com$/m)
    expect(result.stdout).not.toContain(ESC)
    const url = /^Done\. The emulator at (http:\/\/\S+) stops now/m.exec(result.stdout)?.[1]
    expect(url).toBeDefined()
    await expect(fetch(`${url ?? ''}/emulator/v1/requests`)).rejects.toThrow()
  })
})

describe('scripts/test.sh', () => {
  it.each([{ CI: 'true' }, { CI: undefined }])(
    'ends with one plain line, announces no report file, and writes no colour into a pipe (%j)',
    { timeout: 120_000 },
    async env => {
      const result = await bash('scripts/test.sh', ['test/core/role.test.ts'], env)
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).not.toContain('JSON report written')
      expect(`${result.stdout}${result.stderr}`).not.toContain(ESC)
      expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(/^tests: [1-9]\d* passed, 0 failed, 0 skipped$/)
    },
  )
})

describe('scripts/link.sh', () => {
  it('puts launchers where a new shell finds them, with the Node that toolchain.sh chose', async () => {
    const home = mkdtempSync(join(tmpdir(), 'chat-role-link-'))
    const bin = join(home, '.local/bin')
    const result = await bash('scripts/link.sh', [], { HOME: home, PATH: `${bin}:${process.env.PATH ?? ''}` })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain(`linked ${bin}/chat-role -> ${ROOT}/bin/chat-role.js`)
    expect(result.stdout).toContain(`${bin} is on PATH`)
    // A new shell: only the system folders and the launchers' folder on PATH, no .tools.
    const shell = await new Promise<string>((resolve, reject) => {
      const child = spawn('sh', ['-c', 'chat-role --version'], {
        env: { PATH: `${bin}:/usr/bin:/bin`, HOME: home },
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      let out = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
      child.on('error', reject)
      child.on('close', () => {
        resolve(out)
      })
    })
    expect(shell).toBe(`${VERSION}\n`)
  })

  it('says how to put a folder that is not on PATH there, and leaves foreign files alone', async () => {
    const home = mkdtempSync(join(tmpdir(), 'chat-role-link-'))
    const elsewhere = join(home, 'tools')
    const linked = await bash('scripts/link.sh', [elsewhere], { HOME: home })
    expect(linked.code, linked.stderr).toBe(0)
    expect(linked.stdout).toContain(`${elsewhere} is not on PATH; add it`)

    const foreign = join(home, 'foreign')
    mkdirSync(foreign)
    writeFileSync(join(foreign, 'chat-role'), '#!/bin/sh\necho mine\n')
    const refused = await bash('scripts/link.sh', [foreign], { HOME: home })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^chat-role: .*chat-role exists and is not a launcher of this script/)
    expect(readFileSync(join(foreign, 'chat-role'), 'utf8')).toBe('#!/bin/sh\necho mine\n')
  })
})
