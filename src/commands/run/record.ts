// The journal of one mutating run: a header when it starts, a `sending` line before each write, an `item`
// line as each membership settles, an `end` line when it stops. Dry runs keep none. The journal is the audit
// record (who changed whom, when, from what to what) and what --resume and `chat-role undo` read.
import { hostname } from 'node:os'
import { itemRecordOf, journalHeader, type JournalHeader, type StopReason } from '../../core/journal.js'
import type { ItemResult, RunSummary } from '../../core/result.js'
import type { Role } from '../../core/role.js'
import type { Io } from '../../io.js'
import { defaultJournalPath, newRunId, openJournal, type JournalWriter } from '../../output/journal-file.js'
import type { Reporter } from '../../output/reporter.js'
import { VERSION } from '../../version.js'
import { nameOf, type RunItem } from './items.js'

export interface RunRecord {
  readonly path: string
  readonly runId: string
  /** The line before a write: throws when it cannot be written; resolves once it is on disk. */
  sending(item: RunItem): Promise<void> | undefined
  settled(result: ItemResult): void
  end(summary: RunSummary, exit: number, stoppedBy: StopReason | undefined): void
}

export interface RecordRequest {
  readonly command: string
  readonly target?: Role
  readonly admin: boolean
  readonly account: string
  readonly caller: string | undefined
  readonly inputs: readonly string[]
  /** --journal FILE; else a new file in the runs folder. */
  readonly path?: string
  /** --resume: carry on in this run's journal. */
  readonly resume?: { readonly path: string; readonly runId: string }
}

export function openRunRecord(request: RecordRequest, io: Io, reporter: Reporter): RunRecord {
  const runId = request.resume?.runId ?? newRunId()
  const header: JournalHeader = journalHeader({
    runId,
    command: request.command,
    argv: io.argv ?? [],
    ...(request.target !== undefined && { target: request.target }),
    caller: { account: request.account, ...(request.caller !== undefined && { user: request.caller }) },
    admin: request.admin,
    inputs: request.inputs,
    startedAt: new Date().toISOString(),
    version: VERSION,
    host: hostname(),
    cwd: io.cwd,
    pid: process.pid,
  })
  const inRunsFolder = request.path === undefined && request.resume === undefined
  const path =
    request.resume?.path ?? request.path ?? defaultJournalPath(io.env, process.platform, new Date(), request.command)
  const writer: JournalWriter = openJournal(path, header, {
    ...(request.resume !== undefined && { append: true }),
    // Only the runs folder is ours to judge; a --journal file's folder is the user's choice.
    ...(inRunsFolder && {
      warn: (text: string) => {
        reporter.warn(text)
      },
    }),
  })
  return {
    path,
    runId,
    sending(item) {
      if (item.step?.action !== 'update') return undefined
      return writer.writeDurably({
        type: 'sending',
        name: nameOf(item),
        space: item.space,
        ...(item.snapshot?.email !== undefined && { email: item.snapshot.email }),
        from: item.step.from,
        to: item.target,
        at: new Date().toISOString(),
      })
    },
    settled(result) {
      const line = itemRecordOf(result)
      if (line !== undefined) writer.write(line)
    },
    end(summary, exit, stoppedBy) {
      writer.write({
        type: 'end',
        at: new Date().toISOString(),
        summary: { ...summary },
        exit,
        ...(stoppedBy !== undefined && { stoppedBy }),
      })
      writer.close()
    },
  }
}
