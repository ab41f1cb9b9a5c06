// Gathers membership names from arguments, --file and stdin ("-"), and validates the whole batch before
// anything is sent: every bad line is named with its line number, and the run stops with exit 2.
import { readFile } from 'node:fs/promises'
import {
  formatProblem,
  parseBatchText,
  resolveBatch,
  type BatchEntry,
  type InputProblem,
  type ResolvedBatch,
} from '../core/batch-input.js'
import { parseSpaceRef } from '../core/membership-name.js'
import { ChatRoleError } from '../errors.js'
import type { Io } from '../io.js'

export interface InputRequest {
  readonly names: readonly string[]
  readonly files: readonly string[]
  readonly space?: string
}

export async function readBatch(request: InputRequest, io: Io): Promise<ResolvedBatch> {
  const space = request.space === undefined ? undefined : parseSpaceRef(request.space)
  const entries: BatchEntry[] = []
  const problems: InputProblem[] = []
  const sources = [...request.files]
  request.names.forEach((text, index) => {
    if (text === '-') sources.push('-')
    else entries.push({ text, source: 'argument', line: index + 1 })
  })
  if (sources.filter(source => source === '-').length > 1) {
    throw new ChatRoleError('USAGE', 'stdin ("-") can be read only once', { hint: 'give "-" once' })
  }
  for (const source of sources) {
    const parsed = parseBatchText(await readSource(source, io), source === '-' ? 'stdin' : source)
    entries.push(...parsed.entries)
    problems.push(...parsed.problems)
  }
  const resolved = resolveBatch(entries, space === undefined ? {} : { space })
  const allProblems = [...problems, ...resolved.problems]
  if (allProblems.length > 0) {
    const count = allProblems.length
    throw new ChatRoleError(
      'INPUT',
      `${count} bad input line${count === 1 ? '' : 's'}; nothing was sent:\n${allProblems.map(problem => `  ${formatProblem(problem)}`).join('\n')}`,
      {
        // The parser's own hint is the most specific; the generic one covers mixed problems.
        hint:
          allProblems.length === 1 && allProblems[0]?.hint !== undefined
            ? allProblems[0].hint
            : 'fix or remove those lines; a membership is spaces/SPACE/members/MEMBER (or MEMBER with --space)',
        details: { problems: allProblems },
      },
    )
  }
  if (resolved.items.length === 0) {
    throw new ChatRoleError(
      'INPUT',
      `no memberships given${sources.length > 0 ? ` (${sources.map(describeSource).join(', ')} had none)` : ''}`,
      {
        hint: 'pass names as arguments, with --file FILE, or "-" to read them from stdin',
      },
    )
  }
  return resolved
}

function describeSource(source: string): string {
  return source === '-' ? 'stdin' : source
}

async function readSource(source: string, io: Io): Promise<string> {
  if (source === '-') return readStream(io.stdin)
  try {
    return await readFile(source, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES'
            ? 'permission denied'
            : String(code)
    throw new ChatRoleError('INPUT', `cannot read ${source}: ${reason}`, {
      hint: 'check the path given to --file',
      cause: error,
    })
  }
}

async function readStream(stream: Io['stdin']): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}
