// `chat-role auth list`: the stored profiles.
import { DEFAULT_PROFILE, namedProfile } from '../auth/config-paths.js'
import { shortScope } from '../auth/scopes.js'
import type { RegisterCommand } from './context.js'

export const registerAuthListCommand: RegisterCommand = (auth, app) => {
  auth
    .command('list')
    .summary('list stored sign-ins')
    .description('List the stored sign-ins (profiles); * marks the one commands use without --profile.')
    .action(async () => {
      const { io } = app
      const reporter = await app.reporter()
      const current = namedProfile(undefined, io.env) ?? DEFAULT_PROFILE
      const { listStoredSignIns } = await import('../auth/credential-store.js')
      const entries = await listStoredSignIns(io.env)
      const profiles = entries.map(entry => ({
        profile: entry.profile,
        current: entry.profile === current,
        file: entry.file,
        ...(entry.credentials?.account !== undefined && { account: entry.credentials.account }),
        ...(entry.credentials?.scopes !== undefined && { scopes: entry.credentials.scopes }),
        ...(entry.credentials?.created !== undefined && { created: entry.credentials.created }),
        ...(entry.problem !== undefined && { problem: entry.problem }),
      }))
      if (reporter.json) {
        reporter.document({ ok: true, profiles })
        return
      }
      if (profiles.length === 0) {
        reporter.info('No stored sign-ins. Sign in with: chat-role auth login')
        return
      }
      for (const entry of profiles) {
        const details =
          entry.problem !== undefined
            ? `unusable: ${entry.problem}`
            : [entry.account ?? 'account unknown', entry.scopes?.map(shortScope).join(', '), entry.created]
                .filter(part => part !== undefined)
                .join('  ')
        reporter.line(`${entry.current ? '*' : ' '} ${entry.profile.padEnd(16)} ${details}`)
      }
    })
}
