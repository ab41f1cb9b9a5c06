// Runs the commander program in-process, as src/cli.ts does, with streams that record what it printed.
import { Readable } from 'node:stream'
import type { Io } from '../../src/io.js'
import { run } from '../../src/program.js'

export interface InProcessResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export async function runInProcess(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<InProcessResult> {
  let stdout = ''
  let stderr = ''
  const io: Io = {
    stdout: { isTTY: false, write: (chunk: string | Uint8Array) => ((stdout += String(chunk)), true) },
    stderr: { isTTY: false, write: (chunk: string | Uint8Array) => ((stderr += String(chunk)), true) },
    stdin: Readable.from([]),
    // A config folder that does not exist: nothing of the developer's is read.
    env: { XDG_CONFIG_HOME: '/nonexistent/chat-role-test', HOME: '/nonexistent', ...env },
    cwd: process.cwd(),
    signal: new AbortController().signal,
  }
  const code = await run(args, io)
  return { code, stdout, stderr }
}
