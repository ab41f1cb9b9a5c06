// What every command receives: the process's streams, the global options, and where to leave its exit code.
import type { Command } from 'commander'
import type { ExitCode } from '../errors.js'
import type { Io } from '../io.js'
import type { Reporter } from '../output/reporter.js'

export interface GlobalOptions {
  readonly json: boolean
  readonly verbose: boolean
  readonly color: boolean
  /** False with --no-input: never prompt, fail instead. */
  readonly input: boolean
}

export interface App {
  readonly io: Io
  readonly globals: () => GlobalOptions
  /** The reporter for this run, loaded on first use so that --help never loads chalk. */
  readonly reporter: () => Promise<Reporter>
  exitCode: ExitCode
}

export type RegisterCommand = (program: Command, app: App) => void
