// Runs things as a user would: the emulator as its own process (bin/chat-role-emulator.js), the CLI as its
// own process (bin/chat-role.js) under /usr/bin/time for its peak RSS, with a fresh HOME and XDG dirs and
// nothing else of this machine's environment but PATH.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
const TIME = '/usr/bin/time'
export const HAVE_TIME = existsSync(TIME)

/** A scratch directory for the whole bench; removed by `cleanup`. */
export async function scratch() {
  return mkdtemp(join(tmpdir(), 'chat-role-bench-'))
}

/** HOME and XDG dirs of their own, so no sign-in or config of this machine is used. */
export async function userEnv(dir, extra = {}) {
  const home = await mkdtemp(join(dir, 'home-'))
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local/share'),
    XDG_STATE_HOME: join(home, '.local/state'),
    XDG_CACHE_HOME: join(home, '.cache'),
    METADATA_SERVER_DETECTION: 'none',
    ...extra,
  }
}

/**
 * Starts `node bin/chat-role-emulator.js --port 0 --state SEED ...flags` and reads its first stdout line
 * for the URL. Returns `{url, host, reset, requests, clearRequests, state, close}`.
 */
export async function startEmulator(dir, seed, flags) {
  const seedPath = join(dir, `seed-${Date.now()}-${Math.random().toString(36).slice(2)}.json`)
  await writeFile(seedPath, JSON.stringify(seed))
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin/chat-role-emulator.js'), '--port', '0', '--state', seedPath, ...flags],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, METADATA_SERVER_DETECTION: 'none' },
    },
  )
  let stderr = ''
  child.stderr.on('data', chunk => {
    stderr += chunk
  })
  const lines = createInterface({ input: child.stdout })
  const url = await new Promise((resolve, reject) => {
    lines.once('line', line => {
      const match = /^chat-role-emulator listening on (http:\/\/\S+)$/.exec(line)
      if (match) resolve(match[1])
      else reject(new Error(`unexpected first line from the emulator: ${line}`))
    })
    child.once('exit', code => {
      reject(new Error(`the emulator exited with ${code}: ${stderr.trim()}`))
    })
  })
  lines.on('line', () => undefined)
  const call = async (method, path) => {
    const response = await fetch(new URL(path, url), { method })
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`)
    return response.json()
  }
  return {
    url,
    host: new URL(url).host,
    reset: () => call('POST', '/emulator/v1/reset'),
    requests: async () => (await call('GET', '/emulator/v1/requests')).requests,
    clearRequests: () => call('DELETE', '/emulator/v1/requests'),
    state: () => call('GET', '/emulator/v1/state'),
    async close() {
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      await rm(seedPath, { force: true })
    },
  }
}

/** Runs a process to its end with `input` on stdin; resolves to {code, stdout, stderr, seconds}. */
export function runProcess(command, args, { env, input = '', cwd = ROOT }) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
    const out = []
    const err = []
    child.stdout.on('data', chunk => out.push(chunk))
    child.stderr.on('data', chunk => err.push(chunk))
    child.once('error', reject)
    child.once('close', code => {
      resolve({
        code,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        seconds: (performance.now() - started) / 1000,
      })
    })
    child.stdin.on('error', () => undefined)
    child.stdin.end(input)
  })
}

/**
 * `node bin/chat-role.js --json demote - --yes` with the names on stdin, against the emulator, under
 * /usr/bin/time for the peak RSS. Returns {code, seconds, rssMB, document, stderr}.
 */
export async function runDemote(dir, emulator, names) {
  const env = await userEnv(dir, { CHAT_EMULATOR_HOST: emulator.host })
  const rssFile = join(env.HOME, 'rss')
  const cli = [join(ROOT, 'bin/chat-role.js'), '--json', 'demote', '-', '--yes']
  const [command, args] = HAVE_TIME
    ? [TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...cli]]
    : [process.execPath, cli]
  const run = await runProcess(command, args, { env, input: `${names.join('\n')}\n` })
  const rssMB = HAVE_TIME ? Number((await readFile(rssFile, 'utf8')).trim().split('\n').at(-1)) / 1024 : undefined
  let document
  try {
    document = JSON.parse(run.stdout)
  } catch {
    throw new Error(`chat-role printed no JSON document (exit ${run.code}): ${run.stderr.slice(0, 2000)}`)
  }
  await rm(env.HOME, { recursive: true, force: true })
  return { code: run.code, seconds: run.seconds, rssMB, document, stderr: run.stderr }
}

export const median = values => {
  const sorted = [...values].sort((left, right) => left - right)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
