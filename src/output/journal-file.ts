// The journal and saved-plan files on disk. A journal is appended line by line, each line with a single
// write(2) on an O_APPEND file, so a kill can at worst cut the last line short; the line announcing a write
// is fsynced before the write is sent, so not even a power cut can hide a change. Those fsyncs run off the
// main thread, one for every line written while the one before ran (a group commit): a run with many writes
// in flight neither stalls on the disk nor pays one fsync per line. Journals and plans name people and their
// roles: files are 0600 in a 0700 folder. A journal is never written over.
import {
  closeSync,
  constants,
  fsync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { basename, dirname, join, posix, win32 } from 'node:path'
import {
  encodeLine,
  parseJournal,
  resumeRecordOf,
  type JournalHeader,
  type JournalRecord,
  type ParsedJournal,
} from '../core/journal.js'
import { assertResumable } from '../core/resume.js'
import { encodePlan, parsePlan, type SavedPlan } from '../core/saved-plan.js'
import { ChatRoleError } from '../errors.js'
import { runsDir } from './state-paths.js'

type Env = Readonly<Record<string, string | undefined>>

const checksModes = process.platform !== 'win32'

// node:crypto on first use: loading it costs a few milliseconds that a refused batch need not pay.
const nodeCrypto = (): typeof import('node:crypto') => process.getBuiltinModule('node:crypto')

export const newRunId = (): string => nodeCrypto().randomUUID()

/** `2026-12-01T19-37-27Z-demote-3f9a1c.jsonl`: sorts by time, and has no colons (Windows, scp). */
export function journalFileName(now: Date, command: string, suffix: string): string {
  const time = `${now.toISOString().slice(0, 19).replaceAll(':', '-')}Z`
  const word = /^[a-z][a-z0-9-]*$/.test(command) ? command : 'run'
  return `${time}-${word}-${suffix}.jsonl`
}

/** A new journal's path in the platform's runs folder (see state-paths.ts). */
export function defaultJournalPath(
  env: Env,
  platform: NodeJS.Platform,
  now: Date,
  command: string,
  suffix: string = nodeCrypto().randomBytes(3).toString('hex'),
): string {
  return (platform === 'win32' ? win32 : posix).join(runsDir(env, platform), journalFileName(now, command, suffix))
}

export interface JournalWriter {
  readonly path: string
  /** Appends one line. Throws (and refuses every later line) when the disk does not take it whole. */
  write(record: JournalRecord): void
  /**
   * Appends one line that must be on disk before what it announces happens: throws as `write` does when the
   * line cannot be written, else resolves once it is on disk, or rejects (and every later line is refused)
   * when the disk cannot keep it.
   */
  writeDurably(record: JournalRecord): Promise<void>
  /** fsyncs and closes; a second call does nothing. */
  close(): void
}

export interface OpenJournalOptions {
  /**
   * Carry on a journal after a crash or a stop: the file must exist and record the same run (the header's
   * runId, command, target, caller and admin); a `resume` line is appended instead of a header.
   */
  readonly append?: boolean
  /** Told when the journal's folder can be read by other users (it is left as it is). */
  readonly warn?: (message: string) => void
}

/**
 * Starts a journal at `path` with `header` as its first line. The folder is created 0700 when missing; the
 * file 0600 with O_EXCL, so an existing journal is never written over. With `append`, resumes one.
 */
export function openJournal(path: string, header: JournalHeader, options: OpenJournalOptions = {}): JournalWriter {
  if (options.append === true) return resumeJournal(path, header, options)
  const folder = dirname(path)
  let created: string | undefined
  try {
    created = mkdirSync(folder, { recursive: true, mode: 0o700 })
  } catch (error) {
    throw fileError('create the folder of the journal', folder, error)
  }
  if (created === undefined) warnIfShared(folder, options.warn)
  let fd: number
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL, 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ChatRoleError('USAGE', `${path} already exists: chat-role never writes over a journal`, {
        hint: 'give a new file for the journal, or resume the run that one records',
      })
    }
    throw fileError('create the journal', path, error)
  }
  const writer = journalWriter(fd, path)
  writer.write(header)
  sync(fd, path)
  return writer
}

function resumeJournal(path: string, header: JournalHeader, options: OpenJournalOptions): JournalWriter {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_APPEND)
  } catch (error) {
    throw fileError('open the journal', path, error)
  }
  try {
    const text = readFileSync(fd, 'utf8')
    const existing = parseJournal(text, path)
    if (existing.header.runId !== header.runId) {
      throw new ChatRoleError(
        'USAGE',
        `${path} is the journal of run ${existing.header.runId}, not of ${header.runId}`,
        {
          hint: 'resume a run with the run id its journal header gives',
        },
      )
    }
    assertResumable(existing, header, path)
    if (checksModes && (fstatSync(fd).mode & 0o077) !== 0) {
      options.warn?.(`${path} can be read by other users; it names every membership the run changes`)
    }
    warnIfShared(dirname(path), options.warn)
    const writer = journalWriter(fd, path)
    // Close a line cut short by the crash, so the resume starts on a line of its own.
    if (text !== '' && !text.endsWith('\n')) writeWhole(fd, path, Buffer.from('\n'))
    writer.write(resumeRecordOf(header))
    sync(fd, path)
    return writer
  } catch (error) {
    closeSync(fd)
    throw error
  }
}

function journalWriter(fd: number, path: string): JournalWriter {
  let closed = false
  let broken: ChatRoleError | undefined
  const append = (record: JournalRecord): void => {
    if (broken !== undefined) throw broken
    if (closed) throw new ChatRoleError('INTERNAL', `the journal ${path} is already closed`)
    try {
      writeWhole(fd, path, Buffer.from(encodeLine(record), 'utf8'))
    } catch (error) {
      broken = fileError('write the journal', path, error, 'INTERNAL')
      throw broken
    }
  }
  /** The fsync running now, and the one that follows it for the lines written meanwhile. */
  let syncing: Promise<void> | undefined
  let following: Promise<void> | undefined
  const syncOnce = (): Promise<void> =>
    new Promise((resolve, reject) => {
      fsync(fd, error => {
        if (error === null) resolve()
        else {
          broken ??= fileError('save the journal to disk', path, error, 'INTERNAL')
          reject(broken)
        }
      })
    })
  const onDisk = (): Promise<void> => {
    if (broken !== undefined) return Promise.reject(broken)
    if (syncing === undefined) {
      syncing = syncOnce().finally(() => {
        syncing = undefined
      })
      return syncing
    }
    // The running fsync may have begun before this line was written: the next one covers it.
    const next = (): Promise<void> => {
      following = undefined
      return onDisk()
    }
    following ??= syncing.then(next, next)
    return following
  }
  return {
    path,
    write(record) {
      append(record)
      // The change is on record before it is sent.
      if (record.type === 'sending') {
        try {
          sync(fd, path)
        } catch (error) {
          broken = error as ChatRoleError
          throw broken
        }
      }
    },
    writeDurably(record) {
      append(record)
      return onDisk()
    },
    close() {
      if (closed) return
      closed = true
      try {
        if (broken === undefined) sync(fd, path)
      } finally {
        closeSync(fd)
      }
    },
  }
}

/** One write(2): on a regular file it is whole or (disk full, a kill mid-call) short, never interleaved. */
function writeWhole(fd: number, path: string, bytes: Buffer): void {
  const written = writeSync(fd, bytes)
  if (written !== bytes.length) {
    throw new ChatRoleError(
      'INTERNAL',
      `cannot write the journal ${path}: only ${written} of ${bytes.length} bytes were written`,
      {
        hint: 'free some disk space; the run stopped so that every change stays on record',
      },
    )
  }
}

function sync(fd: number, path: string): void {
  try {
    fsyncSync(fd)
  } catch (error) {
    throw fileError('save the journal to disk', path, error, 'INTERNAL')
  }
}

function warnIfShared(folder: string, warn: ((message: string) => void) | undefined): void {
  if (!checksModes || warn === undefined) return
  const mode = statSync(folder).mode & 0o777
  if ((mode & 0o077) !== 0) {
    warn(
      `${folder} can be listed by other users (mode ${mode.toString(8)}); to keep run journals private: chmod 700 ${folder}`,
    )
  }
}

/** Reads and checks a journal; a last line cut short by a crash is ignored (`tornTail` says so). */
export function readJournal(path: string): ParsedJournal {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw fileError('read the journal', path, error)
  }
  return parseJournal(text, path)
}

/** Writes a plan atomically (temp file, fsync, rename), 0600. Refuses to replace a file that is not a plan. */
export function writePlanFile(path: string, plan: SavedPlan): void {
  let existing: string | undefined
  try {
    existing = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fileError('write the plan', path, error)
  }
  if (existing !== undefined) {
    try {
      parsePlan(existing, path)
    } catch {
      throw new ChatRoleError('USAGE', `${path} exists and is not a saved plan: chat-role will not write over it`, {
        hint: 'give a new file for the plan',
      })
    }
  }
  const folder = dirname(path)
  const temp = join(folder, `.${basename(path)}.${nodeCrypto().randomBytes(6).toString('hex')}.tmp`)
  try {
    const fd = openSync(temp, 'wx', 0o600)
    try {
      writeFileSync(fd, encodePlan(plan), 'utf8')
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, path)
  } catch (error) {
    rmSync(temp, { force: true })
    throw fileError('write the plan', path, error)
  }
  syncFolder(folder)
}

export function readPlanFile(path: string): SavedPlan {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw fileError('read the plan', path, error)
  }
  return parsePlan(text, path)
}

/** Makes a rename durable; folders cannot be opened for fsync everywhere, so failures are ignored. */
function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // Best effort (Windows, some network file systems).
  }
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EIO: 'an input/output error',
}

/**
 * One line for a failed file operation; errors other than the file system's pass through. Before a run
 * sends anything the failure is an input error (exit 2); once it is under way (`INTERNAL`), the run stops.
 */
function fileError(what: string, path: string, error: unknown, code: 'INPUT' | 'INTERNAL' = 'INPUT'): ChatRoleError {
  if (error instanceof ChatRoleError) return error
  const errno = (error as NodeJS.ErrnoException | undefined)?.code
  if (typeof errno !== 'string') throw error
  const reason = REASONS[errno] ?? errno
  return new ChatRoleError(code, `cannot ${what} ${path}: ${reason}`, {
    cause: error,
    ...(code === 'INTERNAL' && { hint: 'the run stopped so that every change stays on record; resume it once fixed' }),
  })
}
