// The only writer of stdout and stderr for commands: results to stdout (text or one JSON document),
// progress, warnings and hints to stderr. Colour only on a TTY, never in JSON, never with NO_COLOR.
import { Chalk, type ChalkInstance } from 'chalk'
import type { GlobalOptions } from '../commands/context.js'
import type { ChatRoleError } from '../errors.js'
import type { Io, OutputStream } from '../io.js'
import { jsonPieces } from './json-pieces.js'

export interface Reporter {
  readonly json: boolean
  readonly verbose: boolean
  /** Colours for stdout text. */
  readonly style: ChalkInstance
  /** A line of results on stdout (text mode only; JSON mode prints one document with `document`). */
  line(text: string): void
  /** The single JSON document of a run (JSON mode only). */
  document(value: unknown): void
  info(text: string): void
  warn(text: string): void
  debug(text: string): void
  /** Whether progress lines may animate in place on stderr. */
  readonly stderrIsTty: boolean
  /** Colours for stderr text. */
  readonly errStyle: ChalkInstance
  /** Raw stderr write for progress (caller handles \r). */
  progress(text: string): void
  /** An error as the user reads it: `chat-role: message`, then `hint: …`. */
  error(error: ChatRoleError): void
}

export function colorLevel(stream: OutputStream, env: Io['env'], wanted: boolean): 0 | 1 | 2 | 3 {
  if (!wanted) return 0
  const force = env.FORCE_COLOR
  if (force !== undefined && force !== '') {
    if (force === '0' || force === 'false') return 0
    return force === '2' ? 2 : force === '3' ? 3 : 1
  }
  if (stream.isTTY !== true || env.TERM === 'dumb') return 0
  return env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit' ? 3 : 2
}

export function createReporter(io: Io, globals: GlobalOptions): Reporter {
  const style = new Chalk({ level: globals.json ? 0 : colorLevel(io.stdout, io.env, globals.color) })
  const errStyle = new Chalk({ level: colorLevel(io.stderr, io.env, globals.color) })
  return {
    json: globals.json,
    verbose: globals.verbose,
    style,
    errStyle,
    stderrIsTty: io.stderr.isTTY === true && io.env.TERM !== 'dumb',
    line: text => {
      if (!globals.json) io.stdout.write(`${text}\n`)
    },
    document: value => {
      // In pieces: a run's every result is never one string of megabytes, then one buffer as large.
      let previous: string | undefined
      for (const piece of jsonPieces(value)) {
        if (previous !== undefined) io.stdout.write(previous)
        previous = piece
      }
      io.stdout.write(`${previous ?? ''}\n`)
    },
    info: text => io.stderr.write(`${text}\n`),
    warn: text => io.stderr.write(`${errStyle.yellow('warning:')} ${text}\n`),
    debug: text => {
      if (globals.verbose) io.stderr.write(`${errStyle.dim(`debug: ${text}`)}\n`)
    },
    progress: text => io.stderr.write(text),
    error: error => {
      io.stderr.write(`${errStyle.red('chat-role:')} ${error.message}\n`)
      if (error.hint !== undefined) io.stderr.write(`${errStyle.dim('hint:')} ${error.hint}\n`)
    },
  }
}
