// One error type for everything the user should read: a stable code, a one-line message, an optional hint.
// The exit-code table is the contract scripts rely on; it is printed by --help and the README.

/** Exit codes. Any non-zero is a failure; the specific code is for diagnosis. New codes only on paths that already fail. */
export const EXIT = {
  /** Everything asked was done (or was already so). */
  OK: 0,
  /** Some or all memberships failed; the results say which. */
  FAILURE: 1,
  /** Usage or input error: nothing was sent. */
  USAGE: 2,
  /** Not signed in, sign-in expired or revoked, or a missing scope. */
  AUTH: 4,
  /** Interrupted (Ctrl-C, a declined confirmation). */
  INTERRUPTED: 130,
  /** Stopped by SIGHUP (the terminal or SSH session went away). */
  HANGUP: 129,
  /** Stopped by SIGTERM (kill, timeout, a cancelled CI job). */
  TERMINATED: 143,
} as const

/** The exit code of a run stopped by a signal, as a shell reports a process killed by it (128 + number). */
export function exitCodeOfStop(reason: unknown): ExitCode {
  if (reason === 'SIGTERM') return EXIT.TERMINATED
  if (reason === 'SIGHUP') return EXIT.HANGUP
  return EXIT.INTERRUPTED
}

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** The table in --help; the README carries the same one. */
export const EXIT_CODE_HELP = `
Exit codes:
  0    done: every membership has the role asked for (changed, already so, or higher and kept by promote)
  1    some or all memberships failed (each result says why)
  2    usage or input error: nothing was sent
  4    not signed in, sign-in expired or revoked, a missing scope, or no Chat app configured
  129  stopped by SIGHUP (the terminal went away); the journal says how to resume
  130  interrupted (Ctrl-C, or the reader of stdout went away) or confirmation declined
  143  stopped by SIGTERM (kill, timeout, a cancelled job); the journal says how to resume`

export const ERROR_CODES = {
  USAGE: EXIT.USAGE,
  INPUT: EXIT.USAGE,
  CONFIRMATION_REQUIRED: EXIT.USAGE,
  AUTH_REQUIRED: EXIT.AUTH,
  AUTH_EXPIRED: EXIT.AUTH,
  SCOPE_MISSING: EXIT.AUTH,
  CHAT_APP_MISSING: EXIT.AUTH,
  PERMISSION_DENIED: EXIT.FAILURE,
  NOT_FOUND: EXIT.FAILURE,
  FAILED_PRECONDITION: EXIT.FAILURE,
  INVALID_ARGUMENT: EXIT.FAILURE,
  RATE_LIMITED: EXIT.FAILURE,
  UNAVAILABLE: EXIT.FAILURE,
  NETWORK: EXIT.FAILURE,
  API: EXIT.FAILURE,
  INTERRUPTED: EXIT.INTERRUPTED,
  INTERNAL: EXIT.FAILURE,
} as const satisfies Record<string, ExitCode>

export type ErrorCode = keyof typeof ERROR_CODES

export class ChatRoleError extends Error {
  readonly code: ErrorCode
  readonly hint: string | undefined
  /** Machine-readable particulars for --json (e.g. every bad input line). */
  readonly details: Readonly<Record<string, unknown>> | undefined

  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string; cause?: unknown; details?: Readonly<Record<string, unknown>> } = {},
  ) {
    super(message, { cause: options.cause })
    this.name = 'ChatRoleError'
    this.code = code
    this.hint = options.hint
    this.details = options.details
  }

  get exitCode(): ExitCode {
    return ERROR_CODES[this.code]
  }
}

export const isChatRoleError = (error: unknown): error is ChatRoleError => error instanceof ChatRoleError
