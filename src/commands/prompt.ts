// Asking yes or no on a terminal; never in JSON mode, with --no-input, or when stdin or stderr is not a TTY.
import { createInterface } from 'node:readline/promises'
import type { Io } from '../io.js'
import type { GlobalOptions } from './context.js'

export function canPrompt(io: Io, globals: GlobalOptions): boolean {
  return io.stdin.isTTY === true && io.stderr.isTTY === true && globals.input && !globals.json
}

export async function confirm(question: string, io: Io): Promise<boolean> {
  const readline = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream, terminal: true })
  try {
    const answer = await readline.question(question, { signal: io.signal })
    return /^y(es)?$/i.test(answer.trim())
  } catch {
    return false
  } finally {
    readline.close()
  }
}
