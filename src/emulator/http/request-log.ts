// The recent-request log behind GET /emulator/v1/requests: a bounded ring, newest last.

export interface RequestLogEntry {
  /** ISO time the request arrived (on the emulator's clock). */
  readonly time: string
  readonly method: string
  /** The path as sent (still percent-encoded). */
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  /** User id, `app` for app authentication, or null when unauthenticated. */
  readonly caller: string | null
  /** HTTP status sent; null when the connection was dropped. */
  readonly status: number | null
  /** Injected fault, if any. */
  readonly fault?: 'fail' | 'drop-before' | 'drop-after'
  /**
   * The client went away: `during-body` while its body was arriving (nothing applied, status null);
   * `before-answer` after the request was received and before the answer was written (applied;
   * status is what it would have been answered).
   */
  readonly clientGone?: 'during-body' | 'before-answer'
  /** The parsed JSON body of a PATCH, when it was JSON. */
  readonly body?: unknown
}

export class RequestLog {
  readonly #limit: number
  #entries: RequestLogEntry[] = []
  #next = 0

  constructor(limit: number) {
    this.#limit = limit
  }

  add(entry: RequestLogEntry): void {
    if (this.#entries.length < this.#limit) {
      this.#entries.push(entry)
      return
    }
    this.#entries[this.#next] = entry
    this.#next = (this.#next + 1) % this.#limit
  }

  list(): RequestLogEntry[] {
    return [...this.#entries.slice(this.#next), ...this.#entries.slice(0, this.#next)]
  }

  clear(): void {
    this.#entries = []
    this.#next = 0
  }
}
