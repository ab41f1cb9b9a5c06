// The options that say who a command acts as; shared by every command that calls the Chat API.
import { Option, type Command } from 'commander'
import type { SessionRequest } from '../auth/session.js'

export interface ConnectionOptions {
  readonly profile?: string
  readonly admin?: boolean
  readonly impersonate?: string
  readonly asApp?: boolean
}

export function addConnectionOptions(command: Command): Command {
  return command
    .addOption(new Option('--profile <name>', 'stored sign-in to use (default: "default")').env('CHAT_ROLE_PROFILE'))
    .addOption(new Option('--admin', 'act as a Workspace administrator (useAdminAccess; needs chat.admin.memberships)'))
    .addOption(
      new Option('--impersonate <email>', 'with a service-account key: act as this user (domain-wide delegation)'),
    )
    .addOption(new Option('--as-app', 'with a service-account key: act as the Chat app (only in spaces it created)'))
}

export function sessionRequestOf(options: ConnectionOptions): SessionRequest {
  return {
    ...(options.profile !== undefined && { profile: options.profile }),
    admin: options.admin === true,
    ...(options.impersonate !== undefined && { impersonate: options.impersonate }),
    asApp: options.asApp === true,
  }
}
