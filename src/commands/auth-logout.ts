// `chat-role auth logout`: revoke the stored sign-in at Google and delete it.
import { DEFAULT_PROFILE, namedProfile } from '../auth/config-paths.js'
import type { RegisterCommand } from './context.js'

export const registerAuthLogoutCommand: RegisterCommand = (auth, app) => {
  auth
    .command('logout')
    .summary('revoke a stored sign-in and delete it')
    .description(
      'Revoke the stored sign-in at Google, then delete its file. If revoking fails (offline, already revoked),\n' +
        'the file is deleted anyway, with a warning. Signing out of a profile that is not signed in changes nothing.',
    )
    .option('--profile <name>', 'the profile to sign out of (default: $CHAT_ROLE_PROFILE, else "default")')
    .action(async (options: { readonly profile?: string }) => {
      const { io } = app
      const reporter = await app.reporter()
      const profile = namedProfile(options.profile, io.env) ?? DEFAULT_PROFILE
      const { logout } = await import('../auth/logout.js')
      const result = await logout(profile, io.env, text => {
        reporter.warn(text)
      })
      if (reporter.json) {
        reporter.document({ ok: true, ...result })
        return
      }
      if (!result.removed) {
        reporter.info(`Profile "${profile}" is not signed in; nothing to do.`)
        return
      }
      reporter.line(
        `Signed out of profile "${profile}"${result.revoked ? ' (revoked at Google)' : ''}; deleted ${result.file}.`,
      )
    })
}
