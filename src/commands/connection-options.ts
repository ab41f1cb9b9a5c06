// The options that say who a command acts as; shared by every command that calls the Chat API.
// The order in which credentials are chosen is documented in src/auth/credential-source.ts.
import { Option, type Command } from 'commander'
import type { SessionRequest } from '../auth/session.js'

export interface ConnectionOptions {
  readonly profile?: string
  readonly admin?: boolean
  readonly impersonate?: string
  readonly asApp?: boolean
  readonly keyFile?: string
  readonly useMetadataServer?: boolean
}

export const CREDENTIALS_HELP = `
Credentials (first match wins):
  --impersonate, --as-app          a service-account key: --key-file, else GOOGLE_APPLICATION_CREDENTIALS
  --profile, CHAT_ROLE_PROFILE     that stored sign-in (chat-role auth login --profile NAME)
  GOOGLE_APPLICATION_CREDENTIALS   an authorized_user file (e.g. gcloud auth application-default login)
  the "default" profile            chat-role auth login
  The Compute Engine metadata server is used only with --as-app --use-metadata-server.`

export function addConnectionOptions(command: Command): Command {
  return command
    .addOption(new Option('--profile <name>', 'stored sign-in to use (default: $CHAT_ROLE_PROFILE, else "default")'))
    .addOption(new Option('--admin', 'act as a Workspace administrator (useAdminAccess; needs chat.admin.memberships)'))
    .addOption(
      new Option('--impersonate <email>', 'with a service-account key: act as this user (domain-wide delegation)'),
    )
    .addOption(new Option('--as-app', 'with a service-account key: act as the Chat app (only in spaces it created)'))
    .addOption(
      new Option(
        '--key-file <file>',
        'service-account key (JSON) for --impersonate or --as-app (default: $GOOGLE_APPLICATION_CREDENTIALS)',
      ),
    )
    .addOption(
      new Option(
        '--use-metadata-server',
        "with --as-app: use the Compute Engine VM's service account instead of a key",
      ),
    )
    .addHelpText('after', CREDENTIALS_HELP)
}

export function sessionRequestOf(options: ConnectionOptions): SessionRequest {
  return {
    ...(options.profile !== undefined && { profile: options.profile }),
    admin: options.admin === true,
    ...(options.impersonate !== undefined && { impersonate: options.impersonate }),
    asApp: options.asApp === true,
    ...(options.keyFile !== undefined && { keyFile: options.keyFile }),
    ...(options.useMetadataServer === true && { useMetadataServer: true }),
  }
}
