// google-auth-library must be installed once: scripts/check-single-auth-library.sh says so, and fails on a
// project where a second copy hides under another package.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const SCRIPT = resolve(import.meta.dirname, '../../scripts/check-single-auth-library.sh')
const run = promisify(execFile)

async function check(env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('bash', [SCRIPT], { env: { ...process.env, ...env } })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string }
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr }
  }
}

function writePackage(dir: string, json: object): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify(json))
}

describe('one copy of google-auth-library', () => {
  it('holds for this project', async () => {
    const result = await check()
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^ok: one copy of google-auth-library \(\d+\.\d+\.\d+\)\n$/)
  })

  it('fails on a project with a second, nested copy', async () => {
    const project = mkdtempSync(join(tmpdir(), 'chat-role-two-copies-'))
    writePackage(project, {
      name: 'p',
      version: '1.0.0',
      dependencies: { 'google-auth-library': '11.3.4', 'local-auth': '3.0.1' },
    })
    writePackage(join(project, 'node_modules/google-auth-library'), { name: 'google-auth-library', version: '11.3.4' })
    writePackage(join(project, 'node_modules/local-auth'), {
      name: 'local-auth',
      version: '3.0.1',
      dependencies: { 'google-auth-library': '^9' },
    })
    writePackage(join(project, 'node_modules/local-auth/node_modules/google-auth-library'), {
      name: 'google-auth-library',
      version: '9.15.1',
    })
    const result = await check({ CHECK_PROJECT_DIR: project })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('chat-role: 2 installed copies of google-auth-library, expected exactly 1:')
  })
})
