// How a role run ends: the summary's facts, the saved plan of a dry run, and the command that resumes it.
import type { StopReason } from '../../core/journal.js'
import type { ChatRoleError } from '../../errors.js'
import { writePlanFile } from '../../output/journal-file.js'
import type { Reporter } from '../../output/reporter.js'
import { nameOf, type RunItem } from './items.js'
import type { RoleChangeRequest } from './request.js'

export function stopReasonOf(signal: AbortSignal): StopReason | undefined {
  if (!signal.aborted) return undefined
  const reason: unknown = signal.reason
  return reason === 'SIGINT' || reason === 'SIGTERM' || reason === 'SIGHUP' ? reason : 'SIGINT'
}

/** The command that carries on a stopped run: the same command and credentials, its memberships from the journal. */
export function resumeCommand(request: RoleChangeRequest, journal: string, argv: readonly string[]): string {
  const session = request.session
  const words = [
    'chat-role',
    request.command,
    ...(request.command === 'set' && request.target !== undefined ? [request.target] : []),
    ...(request.command === 'promote' && request.target === 'ROLE_MANAGER' ? ['--to', 'owner'] : []),
    '--resume',
    journal,
    '--yes',
    ...(session.admin ? ['--admin'] : []),
    ...(session.profile !== undefined ? ['--profile', session.profile] : []),
    ...(session.impersonate !== undefined ? ['--impersonate', session.impersonate] : []),
    ...(session.asApp ? ['--as-app'] : []),
  ]
  // Undo, apply and what discovery found are safe to run again as they were: what is done shows as unchanged.
  const again =
    request.input.kind !== 'batch' ||
    request.target === undefined ||
    request.command === 'undo' ||
    request.command === 'apply'
  return (again ? ['chat-role', ...argv] : words).map(shellWord).join(' ')
}

/** A word as a POSIX shell reads it back. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}

export function runInfoOf(
  request: RoleChangeRequest,
  started: number,
  interrupted: boolean,
  error: ChatRoleError | undefined,
  journal?: string,
) {
  return {
    dryRun: request.dryRun,
    target: request.target,
    elapsedMs: Date.now() - started,
    interrupted,
    error,
    ...(journal !== undefined && { journal }),
  }
}

export async function savePlan(
  request: RoleChangeRequest,
  items: readonly RunItem[],
  account: string,
  caller: string | undefined,
  reporter: Reporter,
): Promise<void> {
  const path = request.planFile as string
  const changes = items.flatMap(item =>
    item.step?.action === 'update' && item.error === undefined
      ? [
          {
            name: nameOf(item),
            space: item.space,
            ...(item.snapshot?.email !== undefined && { email: item.snapshot.email }),
            ...(item.snapshot?.displayName !== undefined && { displayName: item.snapshot.displayName }),
            from: item.step.from,
            to: item.target,
          },
        ]
      : [],
  )
  const { savedPlan } = await import('../../core/saved-plan.js')
  writePlanFile(
    path,
    savedPlan({
      createdAt: new Date().toISOString(),
      command: request.command,
      ...(request.target !== undefined && { target: request.target }),
      caller: { account, ...(caller !== undefined && { user: caller }) },
      admin: request.session.admin,
      items: changes,
    }),
  )
  reporter.info(
    `Plan saved to ${path} (${changes.length} change${changes.length === 1 ? '' : 's'}): apply it with chat-role apply ${path}`,
  )
}
