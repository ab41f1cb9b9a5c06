// The process edge: the only module that reads process.argv and sets process.exitCode.
import type { OutputStream } from './io.js'
import { exitCodeOfStop } from './errors.js'
import { run } from './program.js'

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

export async function main(): Promise<void> {
  const interrupt = new AbortController()
  let stops = 0
  const onSignal = (signal: (typeof STOP_SIGNALS)[number]): void => {
    stops += 1
    // The first signal stops new requests, lets those in flight settle, and reports what was done; a second
    // one leaves at once. Every journal line is written whole as it happens, so the journal stays valid.
    if (stops > 1) {
      process.stderr.write(`\nchat-role: ${signal} again: stopping at once; resume the run from its journal\n`)
      process.exit(exitCodeOfStop(signal))
    }
    interrupt.abort(signal)
  }
  // Left in place to the end: a signal while the process is already on its way out still exits as it says.
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      onSignal(signal)
    })
  }
  const argv = process.argv.slice(2)
  process.exitCode = await run(argv, {
    stdout: guardAgainstClosedReader(() => process.stdout, interrupt),
    stderr: guardAgainstClosedReader(() => process.stderr, interrupt),
    // Read when a command reads it: the first read of process.stdin sets up a stream (for a file or an empty
    // input, Node's file streams), which a usage error has no use for.
    get stdin() {
      return process.stdin
    },
    env: process.env,
    cwd: process.cwd(),
    signal: interrupt.signal,
    argv,
  })
}

/**
 * When the reader of a pipe goes away (`chat-role list … | head -1`), writes fail with EPIPE. Treat it like
 * Ctrl-C: start nothing new, let requests in flight settle, and write nothing more, instead of crashing.
 * The stream is set up at its first use: a usage error writes nothing on stdout.
 */
function guardAgainstClosedReader(open: () => NodeJS.WriteStream, interrupt: AbortController): OutputStream {
  let closed = false
  let stream: NodeJS.WriteStream | undefined
  const opened = (): NodeJS.WriteStream => {
    if (stream !== undefined) return stream
    stream = open()
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error
      closed = true
      interrupt.abort()
    })
    return stream
  }
  return {
    get isTTY() {
      return opened().isTTY
    },
    get columns() {
      return opened().columns
    },
    write: (chunk: string | Uint8Array) => closed || opened().write(chunk),
  }
}
