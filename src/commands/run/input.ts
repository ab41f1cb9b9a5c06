// A role run's input, validated whole before anything is sent: names from arguments, files and stdin, the
// changes of an undo or a saved plan, or the memberships a stopped run's journal still has to do.
import { describeLocation, type ResolvedEntry } from '../../core/batch-input.js'
import type { JournalItem, ParsedJournal } from '../../core/journal.js'
import { parseMembershipRef } from '../../core/membership-name.js'
import type { Expectation } from '../../core/plan.js'
import type { ItemResult } from '../../core/result.js'
import type { Role } from '../../core/role.js'
import { ChatRoleError } from '../../errors.js'
import { readJournal } from '../../output/journal-file.js'
import type { Reporter } from '../../output/reporter.js'
import type { App } from '../context.js'
import { readBatch } from '../read-input.js'
import type { PlannedChange, RoleChangeRequest } from './request.js'

export function checkOptions(request: RoleChangeRequest): void {
  if (request.planFile !== undefined && !request.dryRun) {
    throw new ChatRoleError('USAGE', '--plan saves what a dry run would change, so it needs --dry-run', {
      hint: `run chat-role ${request.command} --dry-run --plan ${request.planFile} …, then chat-role apply ${request.planFile}`,
    })
  }
  if (request.resume !== undefined) {
    if (request.input.kind === 'batch' && (request.input.names.length > 0 || request.input.files.length > 0)) {
      throw new ChatRoleError('USAGE', '--resume carries on with the memberships its journal names: give no others', {
        hint: `run chat-role ${request.command} --resume ${request.resume} --yes`,
      })
    }
    if (request.dryRun) {
      throw new ChatRoleError('USAGE', '--resume cannot be a dry run', { hint: 'leave out --dry-run' })
    }
    if (request.journal !== undefined) {
      throw new ChatRoleError('USAGE', '--resume carries on in the journal it names: give no --journal', {
        hint: 'leave out --journal',
      })
    }
  }
}

export interface GatheredInput {
  readonly entries: ResolvedEntry[]
  readonly expectations: Map<string, Expectation>
  readonly emptySources: readonly string[]
}

export async function gatherInput(
  request: RoleChangeRequest,
  resumed: { journal: ParsedJournal; path: string } | undefined,
  app: App,
  reporter: Reporter,
): Promise<GatheredInput> {
  const expectations = new Map<string, Expectation>()
  if (resumed !== undefined) {
    const inputs = resumed.journal.header.inputs
    if (resumed.journal.header.target === undefined) {
      // Each membership had its own role (a CSV snapshot, a handover): the journal keeps names, not roles.
      throw new ChatRoleError(
        'USAGE',
        `${resumed.path} records a run that set a role per membership: --resume cannot carry it on`,
        {
          hint: `run the command again as it was: chat-role ${resumed.journal.header.argv.join(' ')} (what is done shows as unchanged)`,
        },
      )
    }
    if (inputs === undefined) {
      throw new ChatRoleError('INPUT', `${resumed.path} does not record the memberships of its run`, {
        hint: 'run the command again with its memberships: what is already done shows as unchanged',
      })
    }
    return { entries: entriesOf(inputs, resumed.path), expectations, emptySources: [] }
  }
  if (request.input.kind === 'planned') {
    for (const change of request.input.changes) {
      if (change.expect !== undefined) expectations.set(change.name, change.expect)
    }
    const { changes, source } = request.input
    const entries = withTargets(
      entriesOf(
        changes.map(change => change.name),
        source,
      ),
      changes,
    )
    return { entries, expectations, emptySources: [] }
  }
  if (request.input.kind === 'discover') return { entries: [], expectations, emptySources: [] }
  const batch = await readBatch(request.input, app.io)
  const { describeDuplicate } = await import('../../core/batch-input.js')
  for (const duplicate of batch.duplicates) reporter.warn(describeDuplicate(duplicate))
  if (request.target === undefined && batch.items.some(entry => entry.entry.role === undefined)) {
    const missing = batch.items.find(entry => entry.entry.role === undefined) as ResolvedEntry
    throw new ChatRoleError(
      'INPUT',
      `${describeLocation(missing.entry)}: no role for ${missing.ref.name}; nothing was sent`,
      {
        hint: 'give a role (chat-role set manager …), or a CSV with a role column',
      },
    )
  }
  return { entries: batch.items, expectations, emptySources: batch.emptySources }
}

/** Each entry carries its own change's role. */
export function withTargets(entries: readonly ResolvedEntry[], changes: readonly PlannedChange[]): ResolvedEntry[] {
  return entries.map((entry, index) => ({
    ...entry,
    entry: { ...entry.entry, role: (changes[index] as PlannedChange).target },
  }))
}

export function refusedResult(
  refused: { readonly name: string; readonly code: string; readonly message: string; readonly hint?: string },
  source: string,
  target: Role | undefined,
): ItemResult {
  const space = /^spaces\/[^/]+/.exec(refused.name)?.[0] ?? refused.name
  return {
    input: { text: refused.name, source, line: 0 },
    name: refused.name,
    space,
    status: 'failed',
    to: target ?? 'ROLE_MANAGER',
    attempts: 0,
    error: { code: refused.code, message: refused.message, ...(refused.hint !== undefined && { hint: refused.hint }) },
    at: new Date().toISOString(),
  }
}

export function entriesOf(names: readonly string[], source: string): ResolvedEntry[] {
  return names.map((name, index) => ({
    ref: parseMembershipRef(name),
    entry: { text: name, source, line: index + 1 },
  }))
}

export function readResumedJournal(path: string): { journal: ParsedJournal; path: string } {
  return { journal: readJournal(path), path }
}

export function missingRole(): never {
  throw new ChatRoleError('INTERNAL', 'a membership has no role to set')
}

export function resultOfJournal(line: JournalItem, source: string): ItemResult {
  return {
    input: { text: line.name, source, line: 0 },
    name: line.name,
    space: line.space,
    ...(line.email !== undefined && { email: line.email }),
    ...(line.displayName !== undefined && { displayName: line.displayName }),
    status: line.status === 'updated' || line.status === 'kept' ? line.status : 'unchanged',
    ...(line.from !== undefined && { from: line.from }),
    to: line.to,
    attempts: 0,
    ...(line.error !== undefined && { error: line.error }),
    at: line.at,
  }
}
