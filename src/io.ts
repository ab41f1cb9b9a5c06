// The process's streams and environment, passed in so commands run in-process in tests exactly as from a shell.
import type { Readable, Writable } from 'node:stream'

export interface OutputStream extends Pick<Writable, 'write'> {
  readonly isTTY?: boolean
}

export interface Io {
  readonly stdout: OutputStream
  readonly stderr: OutputStream
  readonly stdin: Readable & { readonly isTTY?: boolean }
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  /** Aborted on Ctrl-C: long runs stop starting new work and report what they did. */
  readonly signal: AbortSignal
}
