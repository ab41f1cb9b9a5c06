// Drives the built CLI exactly as a user would: a spawned `chat-role` process talking over real HTTP, through
// the real @googleapis/chat and google-auth-library, to a spawned `chat-role-emulator`.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'

export const ROOT = resolve(import.meta.dirname, '../..')
const CLI = join(ROOT, 'bin/chat-role.js')
const EMULATOR = join(ROOT, 'bin/chat-role-emulator.js')

export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export interface RunOptions {
  readonly stdin?: string
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Sees the process as soon as it starts, e.g. to interrupt it. */
  readonly onSpawn?: (child: ChildProcess) => void
}

/** An environment with nothing of the developer's: no credentials, no proxies, no metadata server. */
export function cleanEnv(extra: Readonly<Record<string, string | undefined>> = {}): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'chat-role-home-'))
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    METADATA_SERVER_DETECTION: 'none',
    CI: 'true',
    LANG: 'C.UTF-8',
    ...extra,
  }
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined))
}

export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: cleanEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', code => {
      resolvePromise({ code, stdout, stderr })
    })
    child.stdin.end(options.stdin ?? '')
    options.onSpawn?.(child)
  })
}

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly query?: Record<string, string>
  readonly status: number
}

export interface Emulator {
  readonly url: string
  /** host:port, for CHAT_EMULATOR_HOST. */
  readonly host: string
  readonly process: ChildProcess
  cli(args: readonly string[], options?: RunOptions): Promise<CliResult>
  requests(): Promise<RecordedRequest[]>
  writes(): Promise<RecordedRequest[]>
  state(): Promise<EmulatorState>
  role(name: string): Promise<string | undefined>
  reset(): Promise<void>
  stop(): Promise<void>
}

export interface EmulatorState {
  readonly spaces: readonly {
    readonly name: string
    readonly memberships: readonly { readonly name: string; readonly role?: string }[]
  }[]
}

export async function startEmulator(seed: unknown, flags: readonly string[] = ['--no-quotas']): Promise<Emulator> {
  const dir = mkdtempSync(join(tmpdir(), 'chat-role-seed-'))
  const seedFile = join(dir, 'seed.json')
  writeFileSync(seedFile, JSON.stringify(seed))
  const child = spawn(process.execPath, [EMULATOR, '--port', '0', '--state', seedFile, ...flags], {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const url = await new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout })
    lines.once('line', line => {
      const match = /^chat-role-emulator listening on (http:\/\/\S+)$/.exec(line)
      if (match?.[1] === undefined) reject(new Error(`unexpected first line: ${line}`))
      else resolveUrl(match[1])
    })
    child.once('exit', code => {
      reject(new Error(`emulator exited with ${code}: ${stderr}`))
    })
  })
  const host = new URL(url).host
  const get = async <T>(path: string): Promise<T> => (await (await fetch(`${url}${path}`)).json()) as T
  const emulator: Emulator = {
    url,
    host,
    process: child,
    cli: (args, options = {}) => runCli(args, { ...options, env: { CHAT_EMULATOR_HOST: host, ...options.env } }),
    requests: async () => {
      const body = await get<{ requests: RecordedRequest[] } | RecordedRequest[]>('/emulator/v1/requests')
      return Array.isArray(body) ? body : body.requests
    },
    writes: async () => (await emulator.requests()).filter(request => request.method === 'PATCH'),
    state: () => get<EmulatorState>('/emulator/v1/state'),
    role: async name => {
      const state = await emulator.state()
      const space = state.spaces.find(candidate => name.startsWith(`${candidate.name}/`))
      return space?.memberships.find(membership => membership.name === name)?.role
    },
    reset: async () => {
      await fetch(`${url}/emulator/v1/reset`, { method: 'POST' })
    },
    stop: () =>
      new Promise(resolveStop => {
        if (child.exitCode !== null) resolveStop()
        child.once('exit', () => {
          resolveStop()
        })
        child.kill('SIGTERM')
      }),
  }
  return emulator
}
