// Gathers membership names from arguments, --file and stdin ("-"), and validates the whole batch before
// anything is sent: every bad line is named with its line number, and the run stops with exit 2. Each source is
// read with a bound (MAX_INPUT_BYTES), so `- < /dev/zero` ends with a message instead of eating memory.
import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'
import {
  inputProblemsError,
  parseArguments,
  parseBatchText,
  resolveBatch,
  type BatchEntry,
  type InputProblem,
  type ResolvedBatch,
} from '../core/batch-input.js'
import { MAX_INPUT_BYTES, NOT_TEXT_HINT, decodeInputText, inputTooLargeError } from '../core/input-text.js'
import { parseSpaceRef } from '../core/membership-name.js'
import { ChatRoleError, isChatRoleError } from '../errors.js'
import type { Io } from '../io.js'

export interface InputRequest {
  readonly names: readonly string[]
  readonly files: readonly string[]
  readonly space?: string
}

export interface ReadBatch extends ResolvedBatch {
  /**
   * The sources ('stdin' or a file path) that held no names: blank, or only comments. Not an error: with nothing
   * to do, the run says so and exits 0. Empty when every source held names.
   */
  readonly emptySources: string[]
}

export interface ReadBatchOptions {
  /** For the Ctrl-D or Ctrl-Z hint when stdin is a terminal; `process.platform` by default. */
  readonly platform?: NodeJS.Platform
}

/**
 * Reads and validates every name. Throws USAGE when no source at all was given, INPUT for a source that cannot
 * be read, is too large or is not text, and INPUT listing the bad lines; returns an empty batch (with
 * `emptySources`) when the sources given held no names.
 */
export async function readBatch(request: InputRequest, io: Io, options: ReadBatchOptions = {}): Promise<ReadBatch> {
  if (request.names.length === 0 && request.files.length === 0) {
    throw new ChatRoleError('USAGE', 'no memberships given', {
      hint: 'pass names as arguments, with --file FILE, or "-" to read them from stdin',
    })
  }
  if (request.names.filter(name => name === '-').length > 1) {
    throw new ChatRoleError('USAGE', 'stdin ("-") can be read only once', { hint: 'give "-" once' })
  }
  const space = request.space === undefined ? undefined : parseSpaceRef(request.space)
  const entries: BatchEntry[] = []
  const problems: InputProblem[] = []
  const emptySources: string[] = []
  const budget = { left: MAX_INPUT_BYTES }
  // push(...) of a big array overflows the stack (about 125,000 items): append one by one.
  const take = (parsed: { readonly entries: BatchEntry[]; readonly problems: InputProblem[] }): void => {
    for (const entry of parsed.entries) entries.push(entry)
    for (const problem of parsed.problems) problems.push(problem)
  }
  // Input order: the arguments as given, stdin where its "-" is, then the files. Every source is read (within
  // the bound) before any is parsed, so an oversized input fails at once.
  type Part = { readonly kind: 'arguments'; readonly texts: string[]; readonly positions: number[] } | Source
  const parts: Part[] = [{ kind: 'arguments', texts: [], positions: [] }]
  for (const [index, text] of request.names.entries()) {
    const last = parts.at(-1)
    if (text === '-') parts.push(await readSource('-', io, budget, options))
    else if (last?.kind === 'arguments') {
      last.texts.push(text)
      last.positions.push(index + 1)
    } else parts.push({ kind: 'arguments', texts: [text], positions: [index + 1] })
  }
  for (const path of request.files) parts.push(await readSource(path, io, budget, options))
  for (const part of parts) {
    if (part.kind === 'arguments') {
      take(parseArguments(part.texts, part.positions))
      continue
    }
    const parsed = parseBatchText(decodeInputText(part.bytes, part.name), part.name)
    const whole = parsed.problems.find(problem => problem.line === 0)
    if (whole !== undefined) {
      throw new ChatRoleError('INPUT', `${part.name} is ${whole.message}`, { hint: NOT_TEXT_HINT })
    }
    if (parsed.entries.length === 0 && parsed.problems.length === 0) emptySources.push(part.name)
    take(parsed)
  }

  const resolved = resolveBatch(entries, space === undefined ? {} : { space })
  for (const problem of resolved.problems) problems.push(problem)
  if (problems.length > 0) throw inputProblemsError(problems)
  return { ...resolved, emptySources }
}

/** What stdin says when it is a terminal, so `promote -` does not wait in silence. */
export function stdinPrompt(platform: NodeJS.Platform): string {
  const end = platform === 'win32' ? 'Ctrl-Z then Enter' : 'Ctrl-D'
  return `reading names from stdin, one per line; end with ${end}`
}

interface Source {
  readonly kind: 'source'
  /** 'stdin' or the path. */
  readonly name: string
  readonly bytes: Buffer
}

async function readSource(
  source: string,
  io: Io,
  budget: { left: number },
  options: ReadBatchOptions,
): Promise<Source> {
  const name = source === '-' ? 'stdin' : source
  if (source === '-' && io.stdin.isTTY === true)
    io.stderr.write(`${stdinPrompt(options.platform ?? process.platform)}\n`)
  const stream = source === '-' ? io.stdin : createReadStream(source)
  let bytes: Buffer
  try {
    bytes = await readBounded(stream, name, budget)
  } catch (error) {
    if (isChatRoleError(error)) throw error
    throw new ChatRoleError('INPUT', `cannot read ${name}: ${readFailure(error)}`, {
      hint: source === '-' ? 'check what is piped or redirected into chat-role' : 'check the path given to --file',
      cause: error,
    })
  } finally {
    if (source !== '-') stream.destroy()
  }
  return { kind: 'source', name, bytes }
}

/**
 * Reads a stream to its end, or throws INPUT once it passes MAX_INPUT_BYTES (for this source, or with the
 * sources before it). Reading stops there: the rest is never buffered.
 */
async function readBounded(stream: Readable, name: string, budget: { left: number }): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    size += buffer.length
    if (size > MAX_INPUT_BYTES) throw inputTooLargeError(name)
    if (size > budget.left) throw inputTooLargeError(name, { total: true })
    chunks.push(buffer)
  }
  budget.left -= size
  return Buffer.concat(chunks)
}

/** The cause, in words for the usual ones; never 'undefined'. */
function readFailure(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown }
  switch (code) {
    case 'ENOENT':
      return 'no such file'
    case 'EISDIR':
      return 'it is a folder'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    default:
      if (typeof message === 'string' && message !== '') return message
      return typeof code === 'string' ? code : String(error)
  }
}
