// `chat-role auth login`: the browser sign-in, saved as a profile.
import { InvalidArgumentError, Option } from 'commander'
import { DEFAULT_PROFILE, defaultClientSecretsPath, namedProfile } from '../auth/config-paths.js'
import { shortScope } from '../auth/scopes.js'
import type { RegisterCommand } from './context.js'

interface LoginOptions {
  readonly clientSecrets?: string
  readonly admin?: boolean
  readonly import?: boolean
  readonly browser: boolean
  readonly account?: string
  readonly profile?: string
  readonly timeout: number
  readonly port?: number
}

const LOGIN_HELP = `
Before the first sign-in, create an OAuth client of type "Desktop app": Google Cloud console →
APIs & Services → Credentials → Create credentials → OAuth client ID → Desktop app → Download JSON.
In the same project enable the Google Chat API and configure the Chat app.

The address of Google's consent page is always printed on stderr. A browser is opened when there is one
(BROWSER is honoured). Without a terminal on stdin, or with CI set, a browser sign-in starts only with
--no-browser (paste the answer on stdin) or an explicit BROWSER; otherwise the command fails at once.
Nothing is saved unless Google returns a refresh token with every scope asked for.`

function seconds(value: string): number {
  const parsed = Number(value)
  if (!Number.isFinite(parsed) || parsed <= 0 || parsed > 86_400)
    throw new InvalidArgumentError('expected seconds, from 1 to 86400')
  return parsed
}

function port(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65_535)
    throw new InvalidArgumentError('expected a port from 1 to 65535')
  return parsed
}

export const registerAuthLoginCommand: RegisterCommand = (auth, app) => {
  auth
    .command('login')
    .summary('sign in with a browser and store the sign-in')
    .description('Sign in to Google in a browser and store the sign-in (a refresh token) as a profile.')
    .addOption(
      new Option(
        '--client-secrets <file>',
        `OAuth client JSON of type "Desktop app" (default: $CHAT_ROLE_CLIENT_SECRETS, else ${defaultClientSecretsPath(app.io.env)})`,
      ),
    )
    .option('--admin', 'also ask for chat.admin.memberships (for --admin on role commands)')
    .option('--import', 'also ask for chat.import (spaces in import mode)')
    .option('--no-browser', 'do not open a browser: print the address and read the answer pasted on stdin')
    .option('--account <email>', 'the Google account to sign in with (sent as a hint, recorded in the profile)')
    .option('--profile <name>', 'save as this profile (default: $CHAT_ROLE_PROFILE, else "default")')
    .addOption(
      new Option('--timeout <seconds>', 'give up waiting for the answer after this long')
        .argParser(seconds)
        .default(300),
    )
    .addOption(
      new Option(
        '--port <port>',
        'receive the answer on this port of 127.0.0.1 (default: any free port; e.g. for ssh -L)',
      )
        .argParser(port)
        .default(0, 'any'),
    )
    .addHelpText('after', LOGIN_HELP)
    .action(async (options: LoginOptions) => {
      const { io } = app
      const reporter = await app.reporter()
      const { login } = await import('../auth/login.js')
      const { clientSecretsPath } = await import('../auth/client-secrets.js')
      const profile = namedProfile(options.profile, io.env) ?? DEFAULT_PROFILE
      const clientSecrets = clientSecretsPath(options.clientSecrets, io.env)
      reporter.debug(`profile ${profile}; OAuth client from ${clientSecrets.path}`)
      const result = await login(
        {
          profile,
          clientSecrets,
          admin: options.admin === true,
          import: options.import === true,
          browser: options.browser,
          ...(options.account !== undefined && { account: options.account }),
          timeoutMs: options.timeout * 1000,
          port: options.port ?? 0,
        },
        {
          env: io.env,
          stdin: io.stdin,
          signal: io.signal,
          info: text => {
            reporter.info(text)
          },
          warn: text => {
            reporter.warn(text)
          },
        },
      )
      if (reporter.json) {
        reporter.document({ ok: true, ...result })
        return
      }
      reporter.line(
        `Signed in${result.account === undefined ? '' : ` as ${result.account}`} (profile "${result.profile}").`,
      )
      reporter.line(`scopes:      ${result.scopes.map(shortScope).join(', ')}`)
      reporter.line(`credentials: ${result.file}`)
    })
}
