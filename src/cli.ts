// The process edge: the only module that reads process.argv and sets process.exitCode.
import type { OutputStream } from './io.js'
import { run } from './program.js'

export async function main(): Promise<void> {
  const interrupt = new AbortController()
  let interrupts = 0
  const onSigint = (): void => {
    interrupts += 1
    // The first Ctrl-C lets in-flight requests settle and reports what was done; a second one leaves at once.
    if (interrupts > 1) process.exit(130)
    interrupt.abort()
  }
  process.on('SIGINT', onSigint)
  process.exitCode = await run(process.argv.slice(2), {
    stdout: guardAgainstClosedReader(process.stdout, interrupt),
    stderr: guardAgainstClosedReader(process.stderr, interrupt),
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    signal: interrupt.signal,
  })
  process.off('SIGINT', onSigint)
}

/**
 * When the reader of a pipe goes away (`chat-role list … | head -1`), writes fail with EPIPE. Treat it like
 * Ctrl-C: start nothing new, let requests in flight settle, and write nothing more, instead of crashing.
 */
function guardAgainstClosedReader(stream: NodeJS.WriteStream, interrupt: AbortController): OutputStream {
  let closed = false
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    closed = true
    interrupt.abort()
  })
  return {
    get isTTY() {
      return stream.isTTY
    },
    write: (chunk: string | Uint8Array) => closed || stream.write(chunk),
  }
}
