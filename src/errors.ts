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
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

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
