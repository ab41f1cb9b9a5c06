// Asking yes or no on a terminal; never in JSON mode, with --no-input, or when stdin or stderr is not a TTY.
// node:readline is loaded when a question is asked: a run that asks none (and a refused input) does without it.
import type { Io } from '../io.js'
import type { GlobalOptions } from './context.js'

export function canPrompt(io: Io, globals: GlobalOptions): boolean {
  return io.stdin.isTTY === true && io.stderr.isTTY === true && globals.input && !globals.json
}

/**
 * Prints the question on stderr and reads one line from stdin in the terminal's own line mode (the terminal
 * echoes the answer). Anything but y or yes, the end of input, or Ctrl-C is a no.
 */
export async function confirm(question: string, io: Io): Promise<boolean> {
  io.stderr.write(question)
  const { createInterface } = await import('node:readline')
  const lines = createInterface({ input: io.stdin, terminal: false })
  return new Promise(resolve => {
    let settled = false
    const finish = (answer: boolean): void => {
      if (settled) return
      settled = true
      resolve(answer)
      io.signal.removeEventListener('abort', decline)
      // Closing emits 'close', which must not turn the answer into a no: it is already settled.
      lines.close()
    }
    const decline = (): void => {
      finish(false)
    }
    lines.once('line', line => {
      finish(/^y(es)?$/i.test(line.trim()))
    })
    lines.once('close', decline)
    io.signal.addEventListener('abort', decline, { once: true })
  })
}
