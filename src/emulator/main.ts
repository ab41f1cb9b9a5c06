// Entry point of the chat-role-emulator bin: flags → seed → server; SIGINT/SIGTERM close it cleanly.
import { readFile } from 'node:fs/promises'
import { HELP_TEXT, UsageError, parseCliArgs } from './cli-args.js'
import { type Seed, SeedError } from './domain/seed.js'
import { startEmulator } from './http/server.js'

const NAME = 'chat-role-emulator'

async function readSeed(path: string): Promise<Seed> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error)
    throw new UsageError(`cannot read seed file ${path}: ${reason}`)
  }
  try {
    // Checked by startEmulator's validation.
    return JSON.parse(text) as Seed
  } catch (error) {
    throw new UsageError(
      `invalid seed ${path}: $: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    )
  }
}

function untilSignal(): Promise<void> {
  return new Promise(resolve => {
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

async function main(argv: readonly string[]): Promise<number> {
  let statePath: string | undefined
  try {
    const command = parseCliArgs(argv)
    if (command.kind === 'help') {
      process.stdout.write(HELP_TEXT)
      return 0
    }
    statePath = command.statePath
    const seed = statePath === undefined ? undefined : await readSeed(statePath)
    const emulator = await startEmulator({ ...command.options, ...(seed === undefined ? {} : { seed }) })
    process.stdout.write(`${NAME} listening on ${emulator.url}\n`)
    process.stderr.write(
      `${NAME}: the access token "owner" acts as user ${emulator.state().defaultCaller}; state at ${emulator.url}/emulator/v1/state\n`,
    )
    await untilSignal()
    await emulator.close()
    return 0
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^chat-role-emulator: /, '') : String(error)
    if (error instanceof SeedError) {
      process.stderr.write(`${NAME}: invalid seed ${statePath ?? ''}: ${message} (see --help)\n`)
      return 2
    }
    if (error instanceof UsageError || error instanceof RangeError) {
      process.stderr.write(`${NAME}: ${message} (see --help)\n`)
      return 2
    }
    process.stderr.write(`${NAME}: ${message}\n`)
    return 1
  }
}

process.exitCode = await main(process.argv.slice(2))
