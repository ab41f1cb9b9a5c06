// Turns a file, stdin or the argument list into membership names, and validates all of them before anything is
// sent: a bulk run either starts with a clean list or not at all. Input is one name per line, or a CSV with a
// `name` column, which is what `gam print chatmembers` writes.
import { ChatRoleError, isChatRoleError } from '../errors.js'
import { parseMembershipRef, parseSpaceRef, printableText, type MembershipRef } from './membership-name.js'

export interface BatchEntry {
  readonly text: string
  /** 'argument', 'stdin', or a file path. */
  readonly source: string
  /** 1-based line (the argument's position for arguments). */
  readonly line: number
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
  readonly name: string
}

export interface ResolvedBatch {
  readonly items: ResolvedEntry[]
  readonly problems: InputProblem[]
  readonly duplicates: Duplicate[]
}

/** Longer lines are not names (the longest real ones are under 100 characters); likely a wrong file. */
export const MAX_LINE_LENGTH = 2000
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
    const csv = parseCsv(lines.slice(first).join('\n'), first + 1, source)
    if (csv !== undefined) return csv
  }
  return parseLines(lines, source)
}

function parseLines(lines: readonly string[], source: string): ParsedBatchText {
  const entries: BatchEntry[] = []
  const problems: InputProblem[] = []
  lines.forEach((raw, index) => {
    const line = index + 1
    if (isBlankOrComment(raw)) return
    if (raw.length > MAX_LINE_LENGTH) {
      problems.push(tooLong(source, line, raw))
      return
    }
    entries.push({ text: raw.replace(/\s#.*$/, '').trim(), source, line })
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

const tooLong = (source: string, line: number, text: string): InputProblem => ({
  source,
  line,
  text: clip(text),
  message: `line is ${text.length} characters long (the limit is ${MAX_LINE_LENGTH}): is this the right file?`,
})

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

/** A CSV with a header row, or undefined when the first line is not a header (then it is read as lines). */
function parseCsv(text: string, firstLine: number, source: string): ParsedBatchText | undefined {
  const { records, unterminated } = readCsvRecords(text, firstLine)
  const [header, ...rows] = records
  if (header === undefined) return undefined
  const cells = header.cells.map(cell => cell.trim())
  const column = cells.findIndex(cell => cell.toLowerCase() === 'name')
  const problems: InputProblem[] = []
  if (column === -1) {
    // Cells like 'role' or 'member.name' make a header; cells like names or emails are a list pasted on one line.
    if (!cells.every(cell => /^[A-Za-z][\w .-]*$/.test(cell))) return undefined
    const found = cells.slice(0, 12).join(', ') + (cells.length > 12 ? ', …' : '')
    problems.push({
      source,
      line: header.line,
      text: clip(header.text),
      message: `CSV header has no 'name' column (found: ${printableText(found, 200)})`,
      hint: "add a 'name' column of spaces/SPACE_ID/members/MEMBER (gam print chatmembers writes one), or write one name per line",
    })
    return { entries: [], problems, format: 'csv' }
  }
  const entries: BatchEntry[] = []
  for (const row of rows) {
    const value = row.cells[column]?.trim() ?? ''
    const problem = (message: string): void => {
      problems.push({ source, line: row.line, text: clip(row.text), message })
    }
    if (row.cells.length !== cells.length) {
      // A shifted row could put another column's value under 'name', so any mismatch stops the run.
      problem(`row has ${row.cells.length} cells but the header has ${cells.length}: quote cells that contain commas`)
    } else if (value === '') problem("the 'name' cell is empty")
    else if (value.length > MAX_LINE_LENGTH) problems.push(tooLong(source, row.line, value))
    else entries.push({ text: value, source, line: row.line })
  }
  if (unterminated !== undefined) {
    problems.push({
      source,
      line: unterminated,
      text: '',
      message: `a quoted cell that starts on line ${unterminated} is never closed`,
      hint: 'close the quote with ", and write a " inside a quoted cell as ""',
    })
  }
  return { entries, problems, format: 'csv' }
}

/**
 * RFC 4180 records: quoted cells may hold commas, newlines and doubled quotes. Blank lines and whole-line
 * '#' comments between records are skipped, as in the lines format.
 */
function readCsvRecords(text: string, firstLine: number): { records: CsvRecord[]; unterminated?: number } {
  const records: CsvRecord[] = []
  let line = firstLine
  let at = 0
  while (at < text.length) {
    const end = text.indexOf('\n', at)
    const physical = text.slice(at, end === -1 ? text.length : end)
    if (isBlankOrComment(physical)) {
      at = end === -1 ? text.length : end + 1
      line++
      continue
    }
    const start = at
    const startLine = line
    const cells: string[] = []
    let cell = ''
    let quoted = false
    for (;;) {
      const char = text[at]
      if (char === undefined) {
        if (quoted) return { records, unterminated: startLine }
        break
      }
      at++
      if (quoted) {
        if (char === '"' && text[at] === '"') {
          cell += '"'
          at++
        } else if (char === '"') quoted = false
        else {
          if (char === '\n') line++
          cell += char
        }
      } else if (char === '"' && cell.trim() === '') {
        // Lenient: spaces before an opening quote are dropped rather than kept.
        cell = ''
        quoted = true
      } else if (char === ',') {
        cells.push(cell)
        cell = ''
      } else if (char === '\n') {
        line++
        break
      } else cell += char
    }
    cells.push(cell)
    records.push({ cells, line: startLine, text: text.slice(start, at).replace(/\n$/, '') })
  }
  return { records }
}

/**
 * Parses every entry and drops repeats of the same canonical name (emails compare with the domain lower-cased).
 * An email alias and the numeric id of the same person look different here; the command catches those after
 * it has resolved emails to canonical names.
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
    if (ref instanceof ChatRoleError) {
      const { source, line } = entry
      problems.push({ source, line, text: clip(entry.text), message: ref.message, hint: ref.hint })
      continue
    }
    const first = firstSeen.get(ref.name)
    if (first === undefined) {
      firstSeen.set(ref.name, entry)
      items.push({ ref, entry })
    } else duplicates.push({ entry, firstSeen: first, name: ref.name })
  }
  return { items, problems, duplicates }
}

function tryParse(text: string, space: string | undefined): MembershipRef | ChatRoleError {
  try {
    return parseMembershipRef(text, space === undefined ? {} : { space })
  } catch (error) {
    if (isChatRoleError(error)) return error
    throw error
  }
}

/** 'names.txt:12: <message>', 'argument 2: <message>', or 'stdin: <message>' for the whole input. */
/** Where an entry or problem came from: `argument 2`, `names.txt:12`, or the source alone for line 0. */
export function describeLocation(place: { readonly source: string; readonly line: number }): string {
  if (place.source === 'argument') return `argument ${place.line}`
  return place.line > 0 ? `${place.source}:${place.line}` : place.source
}

export function formatProblem(problem: InputProblem): string {
  return `${describeLocation(problem)}: ${problem.message}`
}
