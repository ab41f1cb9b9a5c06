// Spawning the built CLI for the auth end-to-end tests: one scrubbed environment per test (temp HOME and
// config folder, CHAT_EMULATOR_HOST, no proxies, CI=true, a metadata-server trap), a fake browser that
// follows the consent redirect, and a record of everything the CLI printed, for the token-leak check.
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')
const CLI = join(ROOT, 'bin/chat-role.js')

export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly ms: number
}

/** Everything any CLI run printed in this test process. */
export const transcript: string[] = []

export interface Cli {
  readonly env: Record<string, string>
  readonly home: string
  run(args: readonly string[], options?: { stdin?: string; env?: Record<string, string> }): Promise<CliResult>
  /** Starts the CLI and hands its stdin and a stderr reader to `drive`. */
  interact(
    args: readonly string[],
    drive: (io: {
      waitFor: (pattern: RegExp) => Promise<RegExpExecArray>
      write: (text: string) => void
    }) => Promise<void>,
  ): Promise<CliResult>
}

const helpers = mkdtempSync(join(tmpdir(), 'chat-role-browsers-'))

/** A BROWSER that asks for consent, hits the loopback server with a stray request, then delivers the answer. */
export const FAKE_BROWSER = `${process.execPath} ${write(
  'consenting-browser.mjs',
  `const consent = await fetch(process.argv[2], { redirect: 'manual' })
const location = consent.headers.get('location')
if (!location) process.exit(2)
await fetch(new URL('/favicon.ico', location)).catch(() => undefined)
await fetch(location)
`,
)}`

/**
 * A BROWSER that, before delivering the real answer, plays another local process answering the loopback
 * server with a state of its own (twice), and records the status codes it got in FORGED_STATUS_FILE.
 */
export const FORGING_BROWSER = `${process.execPath} ${write(
  'forging-browser.mjs',
  `import { appendFileSync } from 'node:fs'
const consent = await fetch(process.argv[2], { redirect: 'manual' })
const location = consent.headers.get('location')
if (!location) process.exit(2)
for (const code of ['forged-1', 'forged-2']) {
  const forged = new URL(location)
  forged.searchParams.set('state', 'forged')
  forged.searchParams.set('code', code)
  const answer = await fetch(forged)
  appendFileSync(process.env.FORGED_STATUS_FILE, answer.status + '\\n')
}
await fetch(location)
`,
)}`

/** A BROWSER that does nothing: a sign-in nobody finishes. */
export const IDLE_BROWSER = `${process.execPath} -e 0`

function write(name: string, text: string): string {
  const file = join(helpers, name)
  writeFileSync(file, text)
  return file
}

export function clientSecretsFile(): string {
  return write(
    `client_secret_${Math.random().toString(36).slice(2)}.json`,
    JSON.stringify({
      installed: {
        client_id: 'desktop.apps.googleusercontent.com',
        client_secret: 'GOCSPX-desktop-secret',
        redirect_uris: ['http://localhost'],
      },
    }),
  )
}

/** A stand-in for the metadata server (GCE_METADATA_HOST) that records every request it gets. */
export async function metadataTrap(): Promise<{ host: string; hits: string[]; close: () => void }> {
  const hits: string[] = []
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '')
    res.writeHead(404).end()
  })
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
  return { host: `127.0.0.1:${(server.address() as { port: number }).port}`, hits, close: () => server.close() }
}

export function createCli(emulatorHost: string, metadataHost: string, extra: Record<string, string> = {}): Cli {
  const home = mkdtempSync(join(tmpdir(), 'chat-role-e2e-auth-'))
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    CHAT_EMULATOR_HOST: emulatorHost,
    METADATA_SERVER_DETECTION: 'none',
    GCE_METADATA_HOST: metadataHost,
    CI: 'true',
    LANG: 'C.UTF-8',
    ...extra,
  }
  const start = (args: readonly string[], more: Record<string, string> = {}) =>
    spawn(process.execPath, [CLI, ...args], { env: { ...env, ...more }, stdio: ['pipe', 'pipe', 'pipe'] })
  const collect = (
    child: ReturnType<typeof start>,
    began: number,
    onStderr: (text: string) => void = () => undefined,
  ) =>
    new Promise<CliResult>((done, fail) => {
      let stdout = ''
      let stderr = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk
        onStderr(stderr)
      })
      child.on('error', fail)
      child.on('close', code => {
        transcript.push(stdout, stderr)
        done({ code, stdout, stderr, ms: Date.now() - began })
      })
    })
  return {
    env,
    home,
    run(args, options = {}) {
      const child = start(args, options.env)
      const result = collect(child, Date.now())
      child.stdin.end(options.stdin ?? '')
      return result
    },
    async interact(args, drive) {
      const child = start(args)
      const waiters: { pattern: RegExp; resolve: (match: RegExpExecArray) => void }[] = []
      let seen = ''
      const check = (): void => {
        for (const waiter of [...waiters]) {
          const match = waiter.pattern.exec(seen)
          if (match) {
            waiters.splice(waiters.indexOf(waiter), 1)
            waiter.resolve(match)
          }
        }
      }
      const result = collect(child, Date.now(), text => {
        seen = text
        check()
      })
      await drive({
        waitFor: pattern =>
          new Promise(resolveMatch => {
            waiters.push({ pattern, resolve: resolveMatch })
            check()
          }),
        write: text => child.stdin.write(text),
      })
      child.stdin.end()
      return result
    },
  }
}

/** The secrets that must never appear in anything the CLI printed. */
export function leakedSecrets(secrets: readonly string[]): string[] {
  const output = transcript.join('\n')
  return secrets.filter(secret => secret.length >= 8 && output.includes(secret))
}
