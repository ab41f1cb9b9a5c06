// The process's streams and environment, passed in so commands run in-process in tests exactly as from a shell.
import type { Readable, Writable } from 'node:stream'

export interface OutputStream extends Pick<Writable, 'write'> {
  readonly isTTY?: boolean
  /** A terminal's width, for a progress bar that must not wrap. */
  readonly columns?: number
}

export interface Io {
  readonly stdout: OutputStream
  readonly stderr: OutputStream
  readonly stdin: Readable & { readonly isTTY?: boolean }
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  /**
   * Aborted on SIGINT, SIGTERM or SIGHUP (its reason is the signal's name) or when stdout's reader goes away:
   * long runs stop starting new work and report what they did.
   */
  readonly signal: AbortSignal
  /** The arguments as given, for the journal's record of the run. */
  readonly argv?: readonly string[]
}
