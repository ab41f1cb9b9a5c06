// Renders the results of a role-change run: one stdout line per membership, a stderr summary, or one JSON
// document. Pure functions of the results, so tests read them directly.
import type { ChalkInstance } from 'chalk'
import type { ItemResult, ItemStatus } from '../core/result.js'
import { summarize } from '../core/result.js'
import { describeRole, wordOfRole, type Role } from '../core/role.js'
import type { ChatRoleError } from '../errors.js'

export interface RunInfo {
  readonly dryRun: boolean
  /** The one role asked for, when there is one. */
  readonly target: Role | undefined
  readonly elapsedMs: number
  readonly interrupted: boolean
  readonly error: ChatRoleError | undefined
  /** Where the run's journal is, when it keeps one. */
  readonly journal?: string
}

const STATUS_WIDTH = 'unchanged'.length

function statusColor(status: ItemStatus, style: ChalkInstance): (text: string) => string {
  switch (status) {
    case 'updated':
      return style.green
    case 'planned':
      return style.cyan
    case 'unchanged':
    case 'kept':
      return style.dim
    case 'failed':
      return style.red
    case 'skipped':
    case 'stale':
    case 'conflict':
      return style.yellow
  }
}

/** `updated    spaces/S/members/1 (max@example.com)  Member (ROLE_MEMBER) -> Manager (ROLE_ASSISTANT_MANAGER)` */
export function renderResultLine(result: ItemResult, style: ChalkInstance): string {
  const label = result.status === 'planned' ? 'would set' : result.status
  const status = statusColor(result.status, style)(label.padEnd(STATUS_WIDTH))
  const who = result.email ?? result.displayName
  const subject = `${result.name}${who === undefined ? '' : ` (${who})`}`
  return `${status}  ${subject}  ${detailOf(result)}`
}

function detailOf(result: ItemResult): string {
  switch (result.status) {
    case 'updated':
    case 'planned':
      return `${describeRole(result.from)} -> ${describeRole(result.to)}`
    case 'unchanged':
      return `already ${describeRole(result.to)}`
    case 'kept':
    case 'failed':
    case 'skipped':
    case 'stale':
    case 'conflict':
      return result.error?.message ?? result.status
  }
}

export function renderSummary(results: readonly ItemResult[], info: RunInfo, style: ChalkInstance): string {
  const summary = summarize(results)
  const parts = info.dryRun
    ? [`${summary.planned} would change`, `${summary.unchanged} unchanged`, `${summary.failed} would fail`]
    : [`${summary.updated} updated`, `${summary.unchanged} unchanged`, `${summary.failed} failed`]
  if (summary.kept > 0) parts.push(`${summary.kept} kept`)
  if (summary.stale > 0) parts.push(`${summary.stale} stale`)
  if (summary.conflict > 0) parts.push(`${summary.conflict} changed since`)
  if (summary.skipped > 0) parts.push(`${summary.skipped} skipped`)
  const scope = `${summary.total} membership${summary.total === 1 ? '' : 's'} in ${summary.spaces} space${summary.spaces === 1 ? '' : 's'}`
  const lines = [
    `${info.dryRun ? 'Dry run: ' : ''}${parts.join(', ')} (${scope}, ${(info.elapsedMs / 1000).toFixed(1)} s)`,
  ]
  if (info.dryRun) lines.push(style.dim('Nothing was written. Run again without --dry-run to apply.'))
  if (info.interrupted) lines.push(style.yellow('Stopped: memberships marked "skipped" were left as they were.'))
  // One hint per kind of failure, not one per line.
  const hints = new Map<string, string>()
  for (const result of results) {
    if (result.error?.hint !== undefined && !hints.has(result.error.code))
      hints.set(result.error.code, result.error.hint)
  }
  for (const hint of hints.values()) lines.push(`${style.dim('hint:')} ${hint}`)
  return lines.join('\n')
}

export function renderRunDocument(results: readonly ItemResult[], info: RunInfo): unknown {
  const summary = summarize(results)
  return {
    ok: summary.failed === 0 && !info.interrupted && info.error === undefined,
    dryRun: info.dryRun,
    ...(info.target !== undefined && {
      role: { word: wordOfRole(info.target), api: info.target, label: describeRole(info.target) },
    }),
    ...(info.journal !== undefined && { journal: info.journal }),
    summary: { ...summary, elapsedMs: info.elapsedMs, interrupted: info.interrupted },
    ...(info.error !== undefined && {
      error: { code: info.error.code, message: info.error.message, hint: info.error.hint },
    }),
    results,
  }
}
