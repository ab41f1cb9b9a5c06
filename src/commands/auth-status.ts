// `chat-role auth status`: which credentials commands would use, and whether they still work (exit 4 if not).
import { EXIT } from '../errors.js'
import { shortScope } from '../auth/scopes.js'
import { addConnectionOptions, sessionRequestOf, type ConnectionOptions } from './connection-options.js'
import type { RegisterCommand } from './context.js'

const SOURCES = {
  profile: 'stored sign-in',
  adc: 'GOOGLE_APPLICATION_CREDENTIALS',
  'key-file': '--key-file',
  metadata: 'Compute Engine metadata server',
  'emulator-default': "the emulator's default caller",
} as const

export const registerAuthStatusCommand: RegisterCommand = (auth, app) => {
  addConnectionOptions(
    auth
      .command('status')
      .summary('show the credentials commands would use, and check they still work')
      .description(
        'Show which credentials a command with the same options would use, who it acts as and with which scopes,\n' +
          'and check that they still work by getting a fresh access token (nothing stored changes).\n' +
          'Exits 4 when they do not work or lack the scope the options need.',
      ),
  ).action(async (options: ConnectionOptions) => {
    const { io } = app
    const reporter = await app.reporter()
    const { authStatus } = await import('../auth/status.js')
    const report = await authStatus(sessionRequestOf(options), io.env, {
      warn: text => {
        reporter.warn(text)
      },
      debug: text => {
        reporter.debug(text)
      },
    })
    const ok = report.refreshes && report.problem === undefined
    if (!ok) app.exitCode = EXIT.AUTH
    if (reporter.json) {
      reporter.document({ ok, ...report })
      return
    }
    const rows: [string, string | undefined][] = [
      ['source', SOURCES[report.source]],
      ['profile', report.profile],
      ['file', report.file],
      [
        'account',
        report.account ??
          (report.source === 'profile' || report.source === 'adc'
            ? 'unknown (sign in with --account to record it)'
            : undefined),
      ],
      ['acts as', report.source === 'profile' || report.source === 'adc' ? undefined : report.actsAs],
      ['scopes', report.scopes.length === 0 ? 'unknown' : report.scopes.map(shortScope).join(', ')],
      ['signed in', report.created],
      ['refreshes', report.refreshes ? 'yes' : 'no'],
    ]
    for (const [label, value] of rows) if (value !== undefined) reporter.line(`${`${label}:`.padEnd(11)}${value}`)
    if (report.problem !== undefined) {
      reporter.info(`chat-role: ${report.problem.message}`)
      if (report.problem.hint !== undefined) reporter.info(`hint: ${report.problem.hint}`)
    }
  })
}
