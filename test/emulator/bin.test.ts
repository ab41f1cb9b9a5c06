// The chat-role-emulator bin, spawned as a user would run it (after `npm run build`; builds dist/
// itself when it is missing).
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { beforeAll, describe, expect, it } from 'vitest'
import { HELP_TEXT, parseCliArgs } from '../../src/emulator/cli-args.js'

const ROOT = resolve(import.meta.dirname, '../..')
const BIN = join(ROOT, 'bin/chat-role-emulator.js')

beforeAll(() => {
  if (existsSync(join(ROOT, 'dist/emulator/main.js'))) return
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  })
}, 120_000)

function writeSeed(seed: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'chat-role-emulator-')), 'seed.json')
  writeFileSync(file, typeof seed === 'string' ? seed : JSON.stringify(seed))
  return file
}

const SEED = {
  users: [{ id: '1', email: 'one@example.com', admin: true }, { id: '2' }],
  spaces: [{ id: 'S', displayName: 'Space', memberships: [{ user: '1', role: 'ROLE_MANAGER' }, { user: '2' }] }],
}

function launch(args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env['PATH'] ?? '', METADATA_SERVER_DETECTION: 'none' },
  })
}

interface Finished {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

function finish(child: ChildProcessWithoutNullStreams): Promise<Finished> {
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise(resolveFinish => {
    child.on('close', (code, signal) => {
      resolveFinish({ code, signal, stdout, stderr })
    })
  })
}

function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolveLine, reject) => {
    createInterface({ input: child.stdout }).once('line', resolveLine)
    child.once('exit', code => {
      reject(new Error(`exited with ${String(code)} before printing`))
    })
  })
}

describe.concurrent('running', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('prints its URL first, serves, and exits 0 on %s', async signal => {
    const child = launch(['--port', '0', '--state', writeSeed(SEED)])
    const line = await firstLine(child)
    const match = /^chat-role-emulator listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line)
    expect(match, line).not.toBeNull()
    const url = match?.[1] ?? ''
    const response = await fetch(`${url}/v1/spaces/S/members`, { headers: { authorization: 'Bearer owner' } })
    expect(response.status).toBe(200)
    expect(((await response.json()) as { memberships: unknown[] }).memberships).toHaveLength(2)
    const done = finish(child)
    child.kill(signal)
    const result = await done
    expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null })
  })

  it('serves the demo domain without --state', async () => {
    const child = launch(['--port', '0', '--no-quotas'])
    const url = (await firstLine(child)).split(' ').at(-1) ?? ''
    const state = (await (await fetch(`${url}/emulator/v1/state`)).json()) as { spaces: unknown[] }
    expect(state.spaces).toHaveLength(6)
    const done = finish(child)
    child.kill('SIGTERM')
    expect((await done).code).toBe(0)
  })

  it('exits 1 when the port is taken', async () => {
    const blocker = createServer()
    await new Promise<void>(resolveListen => blocker.listen(0, '127.0.0.1', resolveListen))
    const port = (blocker.address() as { port: number }).port
    const result = await finish(launch(['--port', String(port)]))
    blocker.close()
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('EADDRINUSE')
  })
})

describe('usage errors', () => {
  it.each([
    [['--bogus'], 'Unknown option'],
    [['--port', 'eighty'], '--port expects an integer from 0 to 65535'],
    [['--port', '70000'], '--port expects an integer'],
    [['--fail-rate', '2'], '--fail-rate expects a probability'],
    [['--fail-rate', '0.6', '--drop-rate', '0.6'], 'must not exceed 1'],
    [['--non-member-status', '401'], '--non-member-status expects 403 or 404'],
    [['--quota-space-writes-per-sec', '0'], 'expects a positive number'],
    [['--latency-ms=-1'], '--latency-ms expects a number of ms'],
    [['--latency-ms', '-1'], "Option '--latency-ms' argument is ambiguous. Did you forget"],
    [['--seed-random', '1.5'], '--seed-random expects an integer'],
    [['extra'], 'Unexpected argument'],
  ])('%j is refused: %s', (args, message) => {
    expect(() => parseCliArgs(args)).toThrow(message)
  })
})

describe.concurrent('the bin exits 2 with one line on stderr', () => {
  it.each([
    [['--bogus'], 'Unknown option'],
    [['--state', '/nonexistent/seed.json'], 'cannot read seed file /nonexistent/seed.json: ENOENT'],
  ])('%j', async (args, message) => {
    const result = await finish(launch(args))
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(result.stderr).toContain(message)
  })

  it('names the first seed problem by JSON path', async () => {
    const file = writeSeed({ users: [{ id: '1' }], spaces: [{ id: 'S', memberships: [{ user: '1', role: 'OWNER' }] }] })
    const result = await finish(launch(['--state', file]))
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      `chat-role-emulator: invalid seed ${file}: $.spaces[0].memberships[0].role: expected one of ROLE_MEMBER, ROLE_ASSISTANT_MANAGER, ROLE_MANAGER (see --help)\n`,
    )
  })

  it('reports a seed that is not JSON', async () => {
    const result = await finish(launch(['--state', writeSeed('{nope')]))
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('$: not valid JSON')
  })
})

describe.concurrent('--help', () => {
  it('exits 0 and documents every flag', async () => {
    const result = await finish(launch(['--help']))
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(HELP_TEXT)
    const documented = [...HELP_TEXT.matchAll(/^\s+(?:-\w, )?(--[\w-]+)( [A-Z0-9|]+)?/gm)]
    const flags = documented.map(match => match[1])
    expect(flags).toEqual(
      expect.arrayContaining([
        '--host',
        '--port',
        '--state',
        '--allow-patch-email-alias',
        '--allow-invited-role-change',
        '--non-member-status',
        '--no-chat-app',
        '--quota-project-writes-per-min',
        '--quota-project-reads-per-min',
        '--quota-space-writes-per-sec',
        '--quota-space-reads-per-sec',
        '--no-quotas',
        '--retry-after',
        '--latency-ms',
        '--fail-rate',
        '--drop-rate',
        '--seed-random',
        '--token-ttl',
        '--consent-as',
        '--help',
      ]),
    )
    // Every documented flag is one the parser knows, taking a value exactly when the help shows one.
    for (const [, flag = '', placeholder] of documented) {
      const args = placeholder === undefined ? [flag] : [flag, flag === '--non-member-status' ? '404' : '1']
      expect(() => parseCliArgs(args), flag).not.toThrow()
    }
  })
})

describe('flag mapping', () => {
  it('maps flags onto startEmulator options', () => {
    expect(
      parseCliArgs([
        '--port',
        '0',
        '--host',
        '::1',
        '--allow-patch-email-alias',
        '--non-member-status',
        '403',
        '--no-chat-app',
        '--quota-project-writes-per-min',
        '60',
        '--retry-after',
        '--latency-ms',
        '20',
        '--fail-rate',
        '0.1',
        '--drop-rate',
        '0.05',
        '--seed-random',
        '7',
        '--token-ttl',
        '120',
        '--consent-as',
        'max@example.com',
        '--state',
        'seed.json',
      ]),
    ).toEqual({
      kind: 'run',
      statePath: 'seed.json',
      options: {
        host: '::1',
        port: 0,
        allowPatchEmailAlias: true,
        allowInvitedRoleChange: false,
        nonMemberStatus: 403,
        chatApp: false,
        quotas: { projectWritesPerMinute: 60 },
        retryAfter: true,
        latencyMs: 20,
        failRate: 0.1,
        dropRate: 0.05,
        randomSeed: 7,
        tokenTtlSeconds: 120,
        consentUser: 'max@example.com',
      },
    })
    expect(parseCliArgs(['--no-quotas'])).toMatchObject({ options: { port: 8085, host: '127.0.0.1', quotas: false } })
  })
})
