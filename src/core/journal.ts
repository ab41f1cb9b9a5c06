// The run journal: one JSON line per event, appended as the run goes, so that whatever stops the run (Ctrl-C,
// a dropped SSH session, kill -9) leaves a record it can be resumed and undone from. A header first; a
// `sending` line before each write goes out; an `item` line as each membership settles; an `end` line last.
// A resumed run appends a `resume` line and carries on in the same file. Pure: encoding and parsing only.
import { ChatRoleError } from '../errors.js'
import {
  asObject,
  callerField,
  describeValue,
  FieldProblem,
  isoTime,
  membershipFields,
  optionalRole,
  optionalString,
  parseJson,
  requiredBoolean,
  requiredCount,
  requiredRole,
  requiredString,
  stringList,
  type JsonObject,
  type MembershipFields,
  type RunCaller,
} from './record-fields.js'
import type { ItemResult } from './result.js'
import type { Role } from './role.js'

export type { MembershipFields, RunCaller } from './record-fields.js'

export const JOURNAL_FORMAT = 'chat-role-journal'
export const JOURNAL_FORMAT_VERSION = 1

export const JOURNAL_STATUSES = ['updated', 'unchanged', 'kept', 'failed', 'skipped', 'stale', 'conflict'] as const
/**
 * updated: written; unchanged: already had the role; kept: promote left a higher role; failed: refused or an
 * error; skipped: not done (the run stopped first); stale: a saved plan no longer matches it; conflict: undo
 * found it changed since the run.
 */
export type JournalStatus = (typeof JOURNAL_STATUSES)[number]

export const STOP_REASONS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'error'] as const
export type StopReason = (typeof STOP_REASONS)[number]

/** What every run, and every resume of it, says about itself. */
interface RunFields {
  /** The arguments as given (there are no secrets in argv). */
  readonly argv: readonly string[]
  readonly startedAt: string
  /** chat-role's version. */
  readonly version: string
  readonly host?: string
  readonly cwd?: string
  /** The process id, so a reader on the same host can tell whether the run is still going. */
  readonly pid?: number
}

export interface JournalHeader extends RunFields {
  readonly type: 'header'
  readonly format: typeof JOURNAL_FORMAT
  readonly formatVersion: typeof JOURNAL_FORMAT_VERSION
  readonly runId: string
  /** promote, demote, set, undo, apply, handover, … */
  readonly command: string
  /** The role asked for; absent when each membership has its own (undo, apply, handover). */
  readonly target?: Role
  readonly caller: RunCaller
  /** Run with Google Workspace administrator access (useAdminAccess). */
  readonly admin: boolean
  /** Every membership the run was given, as resolved from its input: what --resume carries on with. */
  readonly inputs?: readonly string[]
}

/** A resumed run carries on in the same journal; this line says when and how it was started again. */
export interface JournalResume extends RunFields {
  readonly type: 'resume'
  /** The header's run id: a journal holds one run. */
  readonly runId: string
}

/** Written before a change is sent, so a change applied just before a kill -9 can still be found. */
export interface JournalSending extends MembershipFields {
  readonly type: 'sending'
  /** The role read just before the write. */
  readonly from: string
  readonly to: Role
  readonly at: string
}

export interface JournalError {
  readonly code: string
  readonly message: string
  readonly hint?: string
  readonly httpStatus?: number
}

/** A membership settled: what it was, what was asked, what happened. */
export interface JournalItem extends MembershipFields {
  readonly type: 'item'
  /** The role read from Google Chat just before this outcome; absent when the read failed. */
  readonly from?: string
  readonly to: Role
  readonly status: JournalStatus
  /** HTTP requests made for this membership, retries included. */
  readonly attempts: number
  readonly error?: JournalError
  readonly at: string
}

export interface JournalEnd {
  readonly type: 'end'
  readonly at: string
  /** Counts by outcome (total, updated, failed, …). */
  readonly summary: Readonly<Record<string, number>>
  readonly exit: number
  readonly stoppedBy?: StopReason
}

export type JournalRecord = JournalHeader | JournalResume | JournalSending | JournalItem | JournalEnd

export interface ParsedJournal {
  readonly header: JournalHeader
  /** Every line after the header, in file order (torn lines left out). */
  readonly records: readonly Exclude<JournalRecord, JournalHeader>[]
  readonly items: readonly JournalItem[]
  readonly sending: readonly JournalSending[]
  readonly resumes: readonly JournalResume[]
  /** The footer of the last start (header or resume); absent when that start never finished. */
  readonly end?: JournalEnd
  /** The last line was cut short (a kill mid-write) and was ignored. */
  readonly tornTail: boolean
  /** 1-based numbers of the ignored lines: the torn tail, and lines cut short just before a resume. */
  readonly tornLines: readonly number[]
}

/** The header of a new run; the format fields are filled in. */
export function journalHeader(fields: Omit<JournalHeader, 'type' | 'format' | 'formatVersion'>): JournalHeader {
  return {
    type: 'header',
    format: JOURNAL_FORMAT,
    formatVersion: JOURNAL_FORMAT_VERSION,
    runId: fields.runId,
    command: fields.command,
    argv: fields.argv,
    ...(fields.target !== undefined && { target: fields.target }),
    caller: fields.caller,
    admin: fields.admin,
    ...(fields.inputs !== undefined && { inputs: fields.inputs }),
    startedAt: fields.startedAt,
    version: fields.version,
    ...runExtras(fields),
  }
}

/** The line a resumed run appends: the current run's header said as a resume of the same run. */
export function resumeRecordOf(header: JournalHeader): JournalResume {
  return {
    type: 'resume',
    runId: header.runId,
    argv: header.argv,
    startedAt: header.startedAt,
    version: header.version,
    ...runExtras(header),
  }
}

function runExtras(fields: Pick<RunFields, 'host' | 'cwd' | 'pid'>): Pick<RunFields, 'host' | 'cwd' | 'pid'> {
  return {
    ...(fields.host !== undefined && { host: fields.host }),
    ...(fields.cwd !== undefined && { cwd: fields.cwd }),
    ...(fields.pid !== undefined && { pid: fields.pid }),
  }
}

/**
 * The journal line of a result, or undefined for a planned one (a dry run changes nothing, so it is not
 * journalled). promote's kept roles are `kept`: done, not to be retried.
 */
export function itemRecordOf(result: ItemResult): JournalItem | undefined {
  if (result.status === 'planned') return undefined
  const status: JournalStatus = result.status
  return {
    type: 'item',
    name: result.name,
    space: result.space,
    ...(result.email !== undefined && { email: result.email }),
    ...(result.displayName !== undefined && { displayName: result.displayName }),
    ...(result.from !== undefined && { from: result.from }),
    to: result.to,
    status,
    attempts: result.attempts,
    ...(result.error !== undefined && { error: result.error }),
    at: result.at,
  }
}

/**
 * One line: the record's JSON and a newline. JSON escapes line breaks inside strings; U+2028 and U+2029,
 * which some line readers also split on, are escaped too.
 */
export function encodeLine(record: JournalRecord): string {
  return `${JSON.stringify(record).replace(/[\u2028\u2029]/g, char => `\\u${char.charCodeAt(0).toString(16)}`)}\n`
}

const HINT_CHANGED =
  'a journal is written by chat-role only; a crash can cut short its last line, but not a line before it'
const HINT_UPDATE = 'update chat-role (npm install -g chat-role@latest) to read it'

/**
 * Reads a journal. A last line cut short by a kill (no newline, or not JSON) is ignored and noted; so is one
 * just before a `resume` line, where a resumed run carried on after a crash. Anything else that is not a
 * journal line, a missing or foreign header, or a newer format is refused with the line number.
 */
export function parseJournal(text: string, source = 'journal'): ParsedJournal {
  rejectPlan(text, source)
  const lines = text.split('\n')
  // The text after the last newline is a line cut short, or '' when the file ends cleanly.
  const tail = lines.pop() ?? ''
  const tornLines: number[] = []
  const records: Exclude<JournalRecord, JournalHeader>[] = []
  let header: JournalHeader | undefined
  let pendingTorn: number | undefined

  const fail = (line: number, problem: string, hint = HINT_CHANGED): never => {
    throw new ChatRoleError('INPUT', `${source}:${line}: ${problem}`, { hint })
  }

  for (const [index, line] of lines.entries()) {
    const number = index + 1
    if (header === undefined) {
      header = parseHeader(line, source)
      continue
    }
    if (line.trim() === '') continue
    const json = parseJson(line)
    if (json === undefined) {
      if (pendingTorn !== undefined) fail(pendingTorn, 'is not a journal line: it is not JSON')
      pendingTorn = number
      continue
    }
    let record: Exclude<JournalRecord, JournalHeader>
    try {
      record = parseRecord(json.value)
    } catch (error) {
      if (error instanceof FieldProblem) return fail(number, `is not a journal line: ${error.message}`)
      throw error
    }
    if (pendingTorn !== undefined) {
      // Only a crash explains a torn line, and only a resume follows a crash in the same file.
      if (record.type !== 'resume') fail(pendingTorn, 'is not a journal line: it is not JSON')
      tornLines.push(pendingTorn)
      pendingTorn = undefined
    }
    if (record.type === 'resume' && record.runId !== header.runId) {
      fail(number, `resumes run ${describeValue(record.runId)}, but this journal is of run '${header.runId}'`)
    }
    records.push(record)
  }
  if (header === undefined) {
    if (tail === '') throw new ChatRoleError('INPUT', `${source} is empty, not a chat-role journal`)
    throw new ChatRoleError('INPUT', `${source} ends inside its first line: the run stopped before it began`, {
      hint: 'nothing was sent; start the run again',
    })
  }
  // A torn line with nothing complete after it: the crash was the last thing that happened to the file.
  const tornTail = pendingTorn !== undefined || tail !== ''
  if (pendingTorn !== undefined) tornLines.push(pendingTorn)
  if (tail !== '') tornLines.push(lines.length + 1)

  const lastStart = records.findLastIndex(record => record.type === 'resume')
  const end = records.slice(lastStart + 1).findLast(record => record.type === 'end')
  return {
    header,
    records,
    items: records.filter(record => record.type === 'item'),
    sending: records.filter(record => record.type === 'sending'),
    resumes: records.filter(record => record.type === 'resume'),
    ...(end !== undefined && { end }),
    tornTail,
    tornLines,
  }
}

/** A saved plan is one JSON document over many lines: say what it is rather than that line 1 is not JSON. */
function rejectPlan(text: string, source: string): void {
  if (!/^\{\s*"format"\s*:\s*"chat-role-plan"/.test(text)) return
  throw new ChatRoleError('INPUT', `${source} is a saved plan, not a journal`, {
    hint: `carry it out with chat-role apply ${source}`,
  })
}

function parseHeader(line: string, source: string): JournalHeader {
  const notJournal = (why: string): never => {
    throw new ChatRoleError('INPUT', `${source} is not a chat-role journal: ${why}`, {
      hint: 'give the .jsonl file a run names when it starts (chat-role keeps them in its runs folder)',
    })
  }
  const json = parseJson(line)
  if (json === undefined) return notJournal('its first line is not JSON')
  if (typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) {
    return notJournal('its first line is not a JSON object')
  }
  const value = json.value as JsonObject
  if (value.type !== 'header' || value.format !== JOURNAL_FORMAT) return notJournal('it has no journal header')
  const version = value.formatVersion
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    return notJournal(`its format version is ${describeValue(version)}`)
  }
  if (version > JOURNAL_FORMAT_VERSION) {
    throw new ChatRoleError(
      'INPUT',
      `${source} was written by a newer chat-role (journal format ${version}); this one reads format ${JOURNAL_FORMAT_VERSION}`,
      { hint: HINT_UPDATE },
    )
  }
  try {
    const command = requiredString(value, 'command')
    if (!/^[a-z][a-z-]*$/.test(command)) throw new FieldProblem(`"command" is ${describeValue(command)}`)
    const target = optionalRole(value, 'target')
    return journalHeader({
      runId: requiredString(value, 'runId'),
      command,
      argv: stringList(value, 'argv'),
      ...(target !== undefined && { target }),
      caller: callerField(value),
      admin: requiredBoolean(value, 'admin'),
      startedAt: isoTime(value, 'startedAt'),
      version: requiredString(value, 'version'),
      ...(value.inputs !== undefined && { inputs: stringList(value, 'inputs') }),
      ...parseExtras(value),
    })
  } catch (error) {
    if (error instanceof FieldProblem) {
      throw new ChatRoleError('INPUT', `${source}:1: is not a journal header: ${error.message}`, {
        hint: HINT_CHANGED,
      })
    }
    throw error
  }
}

function parseExtras(json: JsonObject): Pick<RunFields, 'host' | 'cwd' | 'pid'> {
  const host = optionalString(json, 'host')
  const cwd = optionalString(json, 'cwd')
  const pid = json.pid === undefined ? undefined : requiredCount(json, 'pid')
  return runExtras({
    ...(host !== undefined && { host }),
    ...(cwd !== undefined && { cwd }),
    ...(pid !== undefined && { pid }),
  })
}

function parseRecord(value: unknown): Exclude<JournalRecord, JournalHeader> {
  const json = asObject(value, 'the line')
  switch (json.type) {
    case 'sending':
      return {
        type: 'sending',
        ...membershipFields(json),
        from: requiredString(json, 'from'),
        to: requiredRole(json, 'to'),
        at: isoTime(json, 'at'),
      }
    case 'item':
      return parseItem(json)
    case 'end':
      return parseEnd(json)
    case 'resume':
      return {
        type: 'resume',
        runId: requiredString(json, 'runId'),
        argv: stringList(json, 'argv'),
        startedAt: isoTime(json, 'startedAt'),
        version: requiredString(json, 'version'),
        ...parseExtras(json),
      }
    case 'header':
      throw new FieldProblem('a second header')
    default:
      throw new FieldProblem(`"type" is ${describeValue(json.type)}`)
  }
}

function parseItem(json: JsonObject): JournalItem {
  const status = json.status
  if (!JOURNAL_STATUSES.includes(status as JournalStatus)) {
    throw new FieldProblem(`"status" is ${describeValue(status)}, not one of ${JOURNAL_STATUSES.join(', ')}`)
  }
  const from = optionalString(json, 'from')
  const error = json.error === undefined ? undefined : parseError(asObject(json.error, '"error"'))
  return {
    type: 'item',
    ...membershipFields(json),
    ...(from !== undefined && { from }),
    to: requiredRole(json, 'to'),
    status: status as JournalStatus,
    attempts: requiredCount(json, 'attempts'),
    ...(error !== undefined && { error }),
    at: isoTime(json, 'at'),
  }
}

function parseError(json: JsonObject): JournalError {
  const hint = optionalString(json, 'hint')
  const httpStatus = json.httpStatus === undefined ? undefined : requiredCount(json, 'httpStatus')
  return {
    code: requiredString(json, 'code'),
    message: requiredString(json, 'message'),
    ...(hint !== undefined && { hint }),
    ...(httpStatus !== undefined && { httpStatus }),
  }
}

function parseEnd(json: JsonObject): JournalEnd {
  const summary = asObject(json.summary, '"summary"')
  for (const [key, count] of Object.entries(summary)) {
    if (typeof count !== 'number' || !Number.isFinite(count)) throw new FieldProblem(`"summary.${key}" is not a number`)
  }
  const exit = json.exit
  if (typeof exit !== 'number' || !Number.isSafeInteger(exit))
    throw new FieldProblem('"exit" is missing or not a number')
  const stoppedBy = json.stoppedBy
  if (stoppedBy !== undefined && !STOP_REASONS.includes(stoppedBy as StopReason)) {
    throw new FieldProblem(`"stoppedBy" is ${describeValue(stoppedBy)}`)
  }
  return {
    type: 'end',
    at: isoTime(json, 'at'),
    summary: summary as Readonly<Record<string, number>>,
    exit,
    ...(stoppedBy !== undefined && { stoppedBy: stoppedBy as StopReason }),
  }
}

/** What the journal tells of one membership, all its lines taken together. */
export interface MembershipState extends MembershipFields {
  /** The last line about it: an outcome, or a write sent with nothing after it. */
  readonly last: JournalItem | JournalSending
  /** The last line is a `sending`: sent, outcome not recorded. */
  readonly unknown: boolean
  /**
   * A write was sent and nothing since tells what the membership holds: the last line is a `sending`, or the
   * write's own outcome was an error that does not rule out that it landed (no answer, a 5xx, an unexpected
   * role). A 4xx answer means Google Chat refused it, so that write did not land.
   */
  readonly uncertain: boolean
  /** The run sent a write for it or recorded it `updated`. */
  readonly written: boolean
  /** The role before the run's first write to it (the `from` of its first `sending` or `updated` line). */
  readonly before?: string
  /** The role it was last known to hold; absent while uncertain or when it was never read. */
  readonly holds?: string
  /** The role of the write in doubt, while uncertain. */
  readonly sent?: Role
}

/**
 * The last known state of each membership, in the order they first appear. A later line wins; a `sending`
 * with no outcome after it is unknown. Outcomes after a `resume` come from a fresh read, so they also settle
 * a write left unknown by the run that crashed.
 */
export function latestByMembership(journal: Pick<ParsedJournal, 'records'>): Map<string, MembershipState> {
  const states = new Map<string, MembershipState>()
  /** The start (header = 0, each resume + 1) in which each membership's doubtful write was sent. */
  const sentIn = new Map<string, number>()
  let start = 0
  for (const record of journal.records) {
    if (record.type === 'resume') start += 1
    if (record.type !== 'sending' && record.type !== 'item') continue
    const previous = states.get(record.name)
    const email = record.email ?? previous?.email
    const displayName = record.displayName ?? previous?.displayName
    const who: MembershipFields = {
      name: record.name,
      space: record.space,
      ...(email !== undefined && { email }),
      ...(displayName !== undefined && { displayName }),
    }
    const writes = record.type === 'sending' || record.status === 'updated'
    const written = (previous?.written ?? false) || writes
    const before = previous?.written === true ? previous.before : writes ? record.from : undefined
    const withBefore = before === undefined ? { written } : { written, before }
    let state: MembershipState
    if (record.type === 'sending') {
      sentIn.set(record.name, start)
      state = { ...who, last: record, unknown: true, uncertain: true, ...withBefore, sent: record.to }
    } else if (record.status === 'updated') {
      state = { ...who, last: record, unknown: false, uncertain: false, ...withBefore, holds: record.to }
    } else if (previous?.uncertain === true && sentIn.get(record.name) === start) {
      // The outcome of this run's own write: `from` is the role read before it was sent.
      const refused =
        record.error?.httpStatus !== undefined && record.error.httpStatus >= 400 && record.error.httpStatus < 500
      state = refused
        ? { ...who, last: record, unknown: false, uncertain: false, ...withBefore, ...holdsOf(record.from) }
        : { ...who, last: record, unknown: false, uncertain: true, ...withBefore, ...sentOf(previous.sent) }
    } else if (record.from !== undefined) {
      // A fresh read: it says what the membership holds, whatever an earlier write did.
      state = { ...who, last: record, unknown: false, uncertain: false, ...withBefore, holds: record.from }
    } else {
      // The read failed: what was known before still stands.
      state = {
        ...who,
        last: record,
        unknown: false,
        uncertain: previous?.uncertain ?? false,
        ...withBefore,
        ...holdsOf(previous?.holds),
        ...sentOf(previous?.sent),
      }
    }
    states.set(record.name, state)
  }
  return states
}

const holdsOf = (role: string | undefined): { holds?: string } => (role === undefined ? {} : { holds: role })
const sentOf = (role: Role | undefined): { sent?: Role } => (role === undefined ? {} : { sent: role })
