// Turns a file, stdin or the argument list into membership names, and validates all of them before anything is
// sent: a bulk run either starts with a clean list or not at all. Input is one name per line, or a CSV with a
// header row: a `name` column (what `gam print chatmembers` writes) and, optionally, a `role` column that gives
// each row its own role (what `chat-role list --csv` writes, so a saved list restores the roles of a space).
import { CsvError, parse as parseCsvText } from 'csv-parse/sync'
import { ChatRoleError, isChatRoleError } from '../errors.js'
import {
  MAX_NAME_LENGTH,
  parseMembershipRef,
  parseSpaceRef,
  printableText,
  type MembershipRef,
} from './membership-name.js'
import { describeRole, parseRole, type Role } from './role.js'

export interface BatchEntry {
  readonly text: string
  /** 'argument', 'stdin', or a file path. */
  readonly source: string
  /** 1-based line (the argument's position for arguments). */
  readonly line: number
  /** The row's own role, from a CSV with a `role` column; absent when the row (or the input) gives none. */
  readonly role?: Role
}

export interface InputProblem {
  readonly source: string
  /** 1-based; 0 when the problem is the whole input (e.g. not a text file). */
  readonly line: number
  /** The offending text, cut to MAX_PROBLEM_TEXT characters. */
  readonly text: string
  readonly message: string
  readonly hint?: string
}

export interface ParsedBatchText {
  readonly entries: BatchEntry[]
  readonly problems: InputProblem[]
  readonly format: 'lines' | 'csv'
}

export interface ResolvedEntry {
  readonly ref: MembershipRef
  readonly entry: BatchEntry
}

export interface Duplicate {
  readonly entry: BatchEntry
  readonly firstSeen: BatchEntry
  /** The canonical membership name both entries stand for. */
  readonly name: string
}

export interface ResolvedBatch {
  readonly items: ResolvedEntry[]
  readonly problems: InputProblem[]
  /** In input order. */
  readonly duplicates: Duplicate[]
}

/** Longer lines are not names (the longest real ones are under 300 characters); likely a wrong file. */
export const MAX_LINE_LENGTH = MAX_NAME_LENGTH
/** The problems an error message lists; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 10
/** The problems --json details carry; `problemCount` has the total. */
export const MAX_DETAILED_PROBLEMS = 1000
const MAX_PROBLEM_TEXT = 200
// Control characters (other than tab and line breaks) and U+FFFD, which invalid UTF-8 decodes to.
const ODD_CHARACTERS = /(?![\t\n\r])[\p{Cc}\uFFFD]/gu
const BINARY_SAMPLE = 8192

export function parseBatchText(text: string, source: string): ParsedBatchText {
  const body = (text.startsWith('\uFEFF') ? text.slice(1) : text).replace(/\r\n?/g, '\n')
  const binary = binaryReason(body)
  if (binary !== undefined) {
    return { entries: [], problems: [{ source, line: 0, text: '', message: binary }], format: 'lines' }
  }
  const lines = body.split('\n')
  const first = lines.findIndex(line => !isBlankOrComment(line))
  const firstLine = lines[first]
  // Membership names never contain commas, so a comma (or a lone 'name') on the first line means CSV.
  if (firstLine !== undefined && (firstLine.includes(',') || firstLine.trim().toLowerCase() === 'name')) {
    const csv = parseCsv(lines, first, source)
    if (csv !== undefined) return csv
  }
  return parseLines(lines, source)
}

/**
 * Names given as arguments, checked exactly as the lines of a file are (one path: a 100 KB argument is a problem
 * with its position, not a request). Unlike lines, an empty argument is not skipped: it is a mistake, often an
 * empty shell variable, and the name parser says so.
 */
export function parseArguments(texts: readonly string[], positions?: readonly number[]): ParsedBatchText {
  const entries: BatchEntry[] = []
  const problems: InputProblem[] = []
  texts.forEach((text, index) => {
    const line = positions?.[index] ?? index + 1
    const problem = lengthProblem('argument', line, text)
    if (problem === undefined) entries.push({ text, source: 'argument', line })
    else problems.push(problem)
  })
  return { entries, problems, format: 'lines' }
}

function parseLines(lines: readonly string[], source: string): ParsedBatchText {
  const entries: BatchEntry[] = []
  const problems: InputProblem[] = []
  lines.forEach((raw, index) => {
    const line = index + 1
    if (isBlankOrComment(raw)) return
    const problem = lengthProblem(source, line, raw)
    if (problem === undefined) entries.push({ text: raw.replace(/\s#.*$/, '').trim(), source, line })
    else problems.push(problem)
  })
  return { entries, problems, format: 'lines' }
}

const isBlankOrComment = (line: string): boolean => {
  const trimmed = line.trim()
  return trimmed === '' || trimmed.startsWith('#')
}

function binaryReason(body: string): string | undefined {
  if (body.includes('\0')) return 'not a text file: it contains NUL bytes (if it is UTF-16, save it as UTF-8)'
  const sample = body.slice(0, BINARY_SAMPLE)
  const odd = sample.match(ODD_CHARACTERS)?.length ?? 0
  // A stray control character is left to the line it is on; a file full of them is not a list of names.
  if (odd >= 4 && odd * 20 > sample.length) {
    return `not a text file: ${odd} of its first ${sample.length} characters are control characters or invalid UTF-8`
  }
  return undefined
}

/** The one length check for a line, a CSV cell or an argument. */
function lengthProblem(source: string, line: number, text: string): InputProblem | undefined {
  if (text.length <= MAX_LINE_LENGTH) return undefined
  const what = source === 'argument' ? 'argument' : 'line'
  const question = source === 'argument' ? 'is this a membership name?' : 'is this the right file?'
  return {
    source,
    line,
    text: clip(text),
    message: `${what} is ${text.length} characters long (the limit is ${MAX_LINE_LENGTH}): ${question}`,
  }
}

function clip(text: string): string {
  if (text.length <= MAX_PROBLEM_TEXT) return text
  const cut = text.slice(0, MAX_PROBLEM_TEXT - 1)
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`
}

interface CsvRecord {
  readonly cells: string[]
  readonly line: number
  readonly text: string
}

/** Where each row's membership name comes from. */
type NameSource =
  | { readonly kind: 'name'; readonly column: number }
  // gam with `fields` that leave out `name`: the space and the member, in their own columns.
  | { readonly kind: 'parts'; readonly space: number; readonly member: number; readonly email: number }

const SPACE_COLUMNS = ['space.name', 'space']
const NAME_HINT =
  "add a 'name' column of spaces/SPACE_ID/members/MEMBER (gam print chatmembers and chat-role list --csv write one), or write one name per line"

/** A CSV with a header row, or undefined when the first line is not a header (then it is read as lines). */
function parseCsv(lines: readonly string[], first: number, source: string): ParsedBatchText | undefined {
  const { records, problems } = readCsvRecords(lines, first, source)
  const [header, ...rows] = records
  if (header === undefined) return undefined
  const cells = header.cells.map(cell => cell.trim())
  const columnOf = (...names: string[]): number => cells.findIndex(cell => names.includes(cell.toLowerCase()))
  const nameColumn = columnOf('name')
  const spaceColumn = columnOf(...SPACE_COLUMNS)
  const memberColumn = columnOf('member.name')
  const emailColumn = columnOf('member.email')
  const roleColumn = columnOf('role')
  let names: NameSource
  if (nameColumn !== -1) names = { kind: 'name', column: nameColumn }
  else if (spaceColumn !== -1 && (memberColumn !== -1 || emailColumn !== -1)) {
    names = { kind: 'parts', space: spaceColumn, member: memberColumn, email: emailColumn }
  } else {
    // Cells like 'role' or 'member.name' make a header; cells like names or emails are a list pasted on one line.
    if (!cells.every(cell => /^[A-Za-z][\w .-]*$/.test(cell))) return undefined
    const found = cells.slice(0, 12).join(', ') + (cells.length > 12 ? ', …' : '')
    const problem = {
      source,
      line: header.line,
      text: clip(header.text),
      message: `CSV header has no 'name' column (found: ${printableText(found, 200)})`,
      hint: NAME_HINT,
    }
    return { entries: [], problems: [problem, ...problems], format: 'csv' }
  }
  const entries: BatchEntry[] = []
  const rowProblems: InputProblem[] = []
  for (const row of rows) {
    const problem = (message: string, hint?: string): void => {
      rowProblems.push({ source, line: row.line, text: clip(row.text), message, ...(hint !== undefined && { hint }) })
    }
    if (row.cells.length !== cells.length) {
      // A shifted row could put another column's value under 'name', so any mismatch stops the run.
      problem(`row has ${row.cells.length} cells but the header has ${cells.length}: quote cells that contain commas`)
      continue
    }
    const text = nameOfRow(row.cells, names, problem)
    if (text === undefined) continue
    if (text.length > MAX_LINE_LENGTH) {
      rowProblems.push(lengthProblem(source, row.line, text) ?? { source, line: row.line, text, message: '' })
      continue
    }
    const roleText = roleColumn === -1 ? '' : (row.cells[roleColumn]?.trim() ?? '')
    const role = roleText === '' ? undefined : tryParseRole(roleText)
    if (role instanceof ChatRoleError) problem(`${role.message} in the 'role' column`, role.hint)
    entries.push({
      text,
      source,
      line: row.line,
      ...(role !== undefined && !(role instanceof ChatRoleError) && { role }),
    })
  }
  // Rows and CSV syntax errors, in line order.
  const allProblems = [...rowProblems, ...problems].sort((a, b) => a.line - b.line)
  return { entries, problems: allProblems, format: 'csv' }
}

function nameOfRow(
  cells: readonly string[],
  names: NameSource,
  problem: (message: string, hint?: string) => void,
): string | undefined {
  if (names.kind === 'name') {
    const value = cells[names.column]?.trim() ?? ''
    if (value === '') problem("the 'name' cell is empty")
    return value === '' ? undefined : value
  }
  const space = cells[names.space]?.trim() ?? ''
  // member.name is users/ID; a Google Group's membership has none and gets the group error from the parser.
  const member = (cells[names.member]?.trim() ?? '').replace(/^users\//, '')
  const email = cells[names.email]?.trim() ?? ''
  if (space === '') {
    problem('the space cell is empty', NAME_HINT)
    return undefined
  }
  if (member === '' && email === '') {
    problem("the 'member.name' and 'member.email' cells are empty", NAME_HINT)
    return undefined
  }
  return `${space.startsWith('spaces/') ? space : `spaces/${space}`}/members/${member === '' ? email : member}`
}

function tryParseRole(text: string): Role | ChatRoleError {
  try {
    return parseRole(text)
  } catch (error) {
    if (isChatRoleError(error)) return error
    throw error
  }
}

// RFC 4180 with the leniency of hand-made files: whitespace around cells is dropped, a quote inside an unquoted
// cell is kept, rows may differ in length (reported per row), and blank lines and whole-line '#' comments are
// skipped as in the lines format. Line breaks are already '\n'.
const CSV_OPTIONS = {
  delimiter: ',',
  record_delimiter: '\n',
  trim: true,
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
  comment: '#',
  comment_no_infix: true,
  raw: true,
} as const

/** Lines csv-parse skips between records: blank (spaces, tabs) or a '#' comment. */
const SKIPPED_BY_CSV = /^[ \t\f]*(?:#.*)?$/

/**
 * The records from line index `first` on, each with the line it starts on. csv-parse stops at a malformed row;
 * the row becomes a problem and parsing resumes on the next line (from a byte offset: no copy, so a file of bad
 * rows stays linear).
 */
function readCsvRecords(
  lines: readonly string[],
  first: number,
  source: string,
): { records: CsvRecord[]; problems: InputProblem[] } {
  const records: CsvRecord[] = []
  const problems: InputProblem[] = []
  const bytes = Buffer.from(lines.slice(first).join('\n'))
  /** Line number (1-based) of the last line consumed so far. */
  let consumed = first
  let offset = 0
  while (offset < bytes.length) {
    const parseStart = consumed
    try {
      parseCsvText(bytes.subarray(offset), {
        ...CSV_OPTIONS,
        on_record: (record, context) => {
          const raw = context.raw ?? ''
          const rawLines = (raw.endsWith('\n') ? raw.slice(0, -1) : raw).split('\n')
          let skipped = 0
          while (skipped < rawLines.length - 1 && SKIPPED_BY_CSV.test(rawLines[skipped] ?? '')) skipped++
          records.push({
            cells: (record as unknown as { readonly record: string[] }).record,
            line: consumed + skipped + 1,
            text: rawLines.slice(skipped).join('\n'),
          })
          consumed += rawLines.length
          return null
        },
      })
      break
    } catch (error) {
      if (!(error instanceof CsvError)) throw error
      let start = consumed
      while (start < lines.length && SKIPPED_BY_CSV.test(lines[start] ?? '')) start++
      const line = start + 1
      if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
        problems.push({
          source,
          line,
          text: '',
          message: `a quoted cell that starts on line ${line} is never closed`,
          hint: 'close the quote with ", and write a " inside a quoted cell as ""',
        })
        break
      }
      problems.push({
        source,
        line,
        text: clip(lines[start] ?? ''),
        message: csvErrorMessage(error),
        hint: 'quote the whole cell and write a " inside it as "": "Bob ""The Builder"" Jones"',
      })
      // Resume on the line after the error (error.lines counts from where this parse started).
      const errorLine = typeof error.lines === 'number' ? parseStart + error.lines : line
      const resumeAt = Math.max(errorLine, line)
      offset = skipLines(bytes, offset, resumeAt - parseStart)
      consumed = resumeAt
    }
  }
  return { records, problems }
}

function csvErrorMessage(error: CsvError): string {
  if (error.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE' || error.code === 'CSV_INVALID_CLOSING_QUOTE') {
    return 'a quoted cell has more text after its closing quote'
  }
  return `the row is not valid CSV (${printableText(error.message, 120)})`
}

/** The byte offset `count` lines after `from` in '\n'-separated bytes (or the end). */
function skipLines(bytes: Buffer, from: number, count: number): number {
  let at = from
  for (let skipped = 0; skipped < count; skipped++) {
    const next = bytes.indexOf(0x0a, at)
    if (next === -1) return bytes.length
    at = next + 1
  }
  return at
}

/**
 * Parses every entry and drops repeats of the same canonical name (emails compare with the domain lower-cased).
 * An email alias and the numeric id of the same person look different here; the command catches those after
 * it has resolved emails to canonical names. The same membership given twice with different roles is a problem:
 * there is no telling which was meant.
 */
export function resolveBatch(entries: readonly BatchEntry[], context: { readonly space?: string } = {}): ResolvedBatch {
  // Parsed once: a bad --space is one usage error, not one problem per line.
  const space = context.space === undefined ? undefined : parseSpaceRef(context.space)
  const items: ResolvedEntry[] = []
  const problems: InputProblem[] = []
  const duplicates: Duplicate[] = []
  const firstSeen = new Map<string, BatchEntry>()
  for (const entry of entries) {
    const ref = tryParse(entry.text, space)
    const { source, line } = entry
    if (ref instanceof ChatRoleError) {
      problems.push({ source, line, text: clip(entry.text), message: ref.message, hint: ref.hint })
      continue
    }
    const first = firstSeen.get(ref.name)
    if (first === undefined) {
      firstSeen.set(ref.name, entry)
      items.push({ ref, entry })
    } else if (first.role !== entry.role) {
      problems.push({
        source,
        line,
        text: clip(entry.text),
        message: `${ref.name} is given at ${describeLocation(first)} with ${roleOf(first)}, and here with ${roleOf(entry)}`,
        hint: 'give each membership once, with the role it should have',
      })
    } else duplicates.push({ entry, firstSeen: first, name: ref.name })
  }
  return { items, problems, duplicates }
}

const roleOf = (entry: BatchEntry): string =>
  entry.role === undefined ? 'no role of its own' : `role ${describeRole(entry.role)}`

function tryParse(text: string, space: string | undefined): MembershipRef | ChatRoleError {
  try {
    return parseMembershipRef(text, space === undefined ? {} : { space })
  } catch (error) {
    if (isChatRoleError(error)) return error
    throw error
  }
}

/**
 * The warning for a repeat: 'argument 2: spaces/S/members/12 is already given at argument 1; ignored', or, when
 * the two are spelled differently, 'names.txt:4: users/12 is the same membership as 12 (names.txt:1):
 * spaces/S/members/12; ignored'.
 */
export function describeDuplicate(duplicate: Duplicate): string {
  const here = describeLocation(duplicate.entry)
  const there = describeLocation(duplicate.firstSeen)
  const spelled = duplicate.entry.text.trim()
  const firstSpelled = duplicate.firstSeen.text.trim()
  if (spelled === firstSpelled) return `${here}: ${printableText(duplicate.name)} is already given at ${there}; ignored`
  const canonical =
    duplicate.name === spelled || duplicate.name === firstSpelled ? '' : `: ${printableText(duplicate.name)}`
  return `${here}: ${printableText(spelled)} is the same membership as ${printableText(firstSpelled)} (${there})${canonical}; ignored`
}

/** Where an entry or problem came from: `argument 2`, `names.txt:12`, or the source alone for line 0. */
export function describeLocation(place: { readonly source: string; readonly line: number }): string {
  if (place.source === 'argument') return `argument ${place.line}`
  return place.line > 0 ? `${place.source}:${place.line}` : place.source
}

export function formatProblem(problem: InputProblem): string {
  return `${describeLocation(problem)}: ${problem.message}`
}

/**
 * The one error for a batch with bad lines: the first MAX_LISTED_PROBLEMS, one per line, then '… and N more';
 * --json details carry at most MAX_DETAILED_PROBLEMS of them and `problemCount`, the total.
 */
export function inputProblemsError(problems: readonly InputProblem[]): ChatRoleError {
  const count = problems.length
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map(problem => `  ${formatProblem(problem)}`)
  if (count > MAX_LISTED_PROBLEMS) listed.push(`  … and ${count - MAX_LISTED_PROBLEMS} more`)
  const only = count === 1 ? problems[0] : undefined
  return new ChatRoleError(
    'INPUT',
    `${count} bad input line${count === 1 ? '' : 's'}; nothing was sent:\n${listed.join('\n')}`,
    {
      // The parser's own hint is the most specific; the generic one covers mixed problems.
      hint:
        only?.hint ?? 'fix or remove those lines; a membership is spaces/SPACE/members/MEMBER (or MEMBER with --space)',
      details: { problemCount: count, problems: problems.slice(0, MAX_DETAILED_PROBLEMS) },
    },
  )
}
