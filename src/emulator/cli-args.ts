// Command-line flags of chat-role-emulator, parsed with node:util parseArgs into EmulatorOptions.
import { parseArgs } from 'node:util'
import type { EmulatorOptions } from './options.js'
import type { QuotaLimits } from './limits/quota.js'

export const HELP_TEXT = `Usage: chat-role-emulator [options]

A local emulator of the Google Chat API (memberships and spaces) and of Google's OAuth endpoints,
for developing and testing chat-role without a Google Workspace.

Server:
  --host HOST                         address to listen on (default 127.0.0.1)
  --port PORT                         port to listen on; 0 picks a free one (default 8085)
  --state FILE                        seed JSON: users, spaces, memberships (default: a demo domain)

Rules:
  --allow-patch-email-alias           accept spaces/S/members/EMAIL in members.patch (default: 400)
  --allow-invited-role-change         let members.patch change INVITED members (default: 400)
  --non-member-status 404|403         answer for a caller outside the space (default 404)
  --no-chat-app                       answer every /v1/ call 404 "Google Chat app not found"

Quotas (token buckets; a breach is 429 RESOURCE_EXHAUSTED and changes nothing):
  --quota-project-writes-per-min N    members.patch per project (default 300)
  --quota-project-reads-per-min N     members.get/list, spaces.get/list/search per project (default 3000)
  --quota-space-writes-per-sec N      members.patch per space (default 1)
  --quota-space-reads-per-sec N       members.get/list and spaces.get per space (default 15)
  --no-quotas                         turn every quota off
  --retry-after                       add Retry-After and RetryInfo to 429s (Chat sends neither)

Faults (on /v1/ calls only):
  --latency-ms N                      add N ms of latency, ±50% jitter (default 0)
  --fail-rate P                       answer 500 INTERNAL or 503 UNAVAILABLE with probability P
  --drop-rate P                       drop the connection with probability P (half after applying)
  --seed-random N                     seed the fault randomness, for reproducible runs

OAuth:
  --token-ttl SECONDS                 lifetime of minted access tokens (default 3600)
  --consent-as USER                   user (id or email) who consents at the authorization endpoint

  -h, --help                          show this help

The access token "owner" acts as the seed's defaultCaller with every user scope.
Inspection (loopback, no auth): GET /emulator/v1/state, GET|DELETE /emulator/v1/requests,
POST /emulator/v1/reset. The first stdout line is "chat-role-emulator listening on URL".
Exit status: 0 after SIGINT/SIGTERM, 1 if the server fails, 2 for a bad flag or seed.
`

export class UsageError extends Error {}

export type CliCommand =
  { readonly kind: 'help' } | { readonly kind: 'run'; readonly options: EmulatorOptions; readonly statePath?: string }

function number(
  flag: string,
  raw: string | undefined,
  valid: (value: number) => boolean,
  expected: string,
): number | undefined {
  if (raw === undefined) return undefined
  const value = raw.trim() === '' ? Number.NaN : Number(raw)
  if (!Number.isFinite(value) || !valid(value))
    throw new UsageError(`--${flag} expects ${expected}, got ${JSON.stringify(raw)}`)
  return value
}

const positive = (value: number): boolean => value > 0
const probability = (value: number): boolean => value >= 0 && value <= 1

export function parseCliArgs(argv: readonly string[]): CliCommand {
  let values
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        state: { type: 'string' },
        'allow-patch-email-alias': { type: 'boolean' },
        'allow-invited-role-change': { type: 'boolean' },
        'non-member-status': { type: 'string' },
        'no-chat-app': { type: 'boolean' },
        'quota-project-writes-per-min': { type: 'string' },
        'quota-project-reads-per-min': { type: 'string' },
        'quota-space-writes-per-sec': { type: 'string' },
        'quota-space-reads-per-sec': { type: 'string' },
        'no-quotas': { type: 'boolean' },
        'retry-after': { type: 'boolean' },
        'latency-ms': { type: 'string' },
        'fail-rate': { type: 'string' },
        'drop-rate': { type: 'string' },
        'seed-random': { type: 'string' },
        'token-ttl': { type: 'string' },
        'consent-as': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    // parseArgs messages can span lines; the bin prints one.
    throw new UsageError((error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' '))
  }
  if (values.help === true) return { kind: 'help' }

  const port =
    number(
      'port',
      values.port,
      value => Number.isInteger(value) && value >= 0 && value <= 65535,
      'an integer from 0 to 65535',
    ) ?? 8085
  const nonMemberStatus = values['non-member-status']
  if (nonMemberStatus !== undefined && nonMemberStatus !== '403' && nonMemberStatus !== '404') {
    throw new UsageError(`--non-member-status expects 403 or 404, got ${JSON.stringify(nonMemberStatus)}`)
  }
  const quotaLimits: Partial<Record<keyof QuotaLimits, number>> = {}
  const limits = [
    ['quota-project-writes-per-min', 'projectWritesPerMinute'],
    ['quota-project-reads-per-min', 'projectReadsPerMinute'],
    ['quota-space-writes-per-sec', 'spaceWritesPerSecond'],
    ['quota-space-reads-per-sec', 'spaceReadsPerSecond'],
  ] as const
  for (const [flag, key] of limits) {
    const value = number(flag, values[flag], positive, 'a positive number')
    if (value !== undefined) quotaLimits[key] = value
  }
  const failRate = number('fail-rate', values['fail-rate'], probability, 'a probability from 0 to 1')
  const dropRate = number('drop-rate', values['drop-rate'], probability, 'a probability from 0 to 1')
  if ((failRate ?? 0) + (dropRate ?? 0) > 1) throw new UsageError('--fail-rate plus --drop-rate must not exceed 1')
  const latencyMs = number('latency-ms', values['latency-ms'], value => value >= 0, 'a number of ms, 0 or more')
  const randomSeed = number('seed-random', values['seed-random'], Number.isInteger, 'an integer')
  const tokenTtlSeconds = number('token-ttl', values['token-ttl'], positive, 'a positive number of seconds')
  const consentUser = values['consent-as']

  const options: EmulatorOptions = {
    host: values.host ?? '127.0.0.1',
    port,
    allowPatchEmailAlias: values['allow-patch-email-alias'] === true,
    allowInvitedRoleChange: values['allow-invited-role-change'] === true,
    chatApp: values['no-chat-app'] !== true,
    quotas: values['no-quotas'] === true ? false : quotaLimits,
    retryAfter: values['retry-after'] === true,
    ...(nonMemberStatus === undefined ? {} : { nonMemberStatus: nonMemberStatus === '403' ? 403 : 404 }),
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(failRate === undefined ? {} : { failRate }),
    ...(dropRate === undefined ? {} : { dropRate }),
    ...(randomSeed === undefined ? {} : { randomSeed }),
    ...(tokenTtlSeconds === undefined ? {} : { tokenTtlSeconds }),
    ...(consentUser === undefined ? {} : { consentUser }),
  }
  return { kind: 'run', options, ...(values.state === undefined ? {} : { statePath: values.state }) }
}
