// The process edge: the only module that reads process.argv and sets process.exitCode.
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
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    signal: interrupt.signal,
  })
  process.off('SIGINT', onSigint)
}
