// `chat-role auth login|status|list|logout`: signing in once, checking, listing and signing out.
import { registerAuthListCommand } from './auth-list.js'
import { registerAuthLoginCommand } from './auth-login.js'
import { registerAuthLogoutCommand } from './auth-logout.js'
import { registerAuthStatusCommand } from './auth-status.js'
import type { RegisterCommand } from './context.js'

const SUBCOMMANDS: readonly RegisterCommand[] = [
  registerAuthLoginCommand,
  registerAuthStatusCommand,
  registerAuthListCommand,
  registerAuthLogoutCommand,
]

export const registerAuthCommands: RegisterCommand = (program, app) => {
  const auth = program
    .command('auth')
    .summary('sign in to Google, check, list and remove sign-ins')
    .description(
      'Sign in to Google once (a browser consent), then let commands and scripts use the stored sign-in.\n' +
        'Sign-ins are kept per profile under the config folder, readable by you only.',
    )
  for (const register of SUBCOMMANDS) register(auth, app)
}
