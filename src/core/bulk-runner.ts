// Runs one piece of work per item with bounded concurrency, asking a pacing policy before each request and
// telling it how each went. The policy is the seam for adaptive pacing; `onSettled` is the seam for a journal.

export interface PacedRequest {
  /** `spaces/S`: quotas are per space as well as per project. */
  readonly space: string
  readonly kind: 'read' | 'write'
}

export type PacingOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'throttled'; readonly retryAfterMs: number | undefined }
  | { readonly kind: 'failed' }

export interface PacingPolicy {
  /** Resolves when a request may start; rejects only when `signal` aborts. */
  acquire(request: PacedRequest, signal: AbortSignal): Promise<void>
  /** What became of a request the policy let through. */
  record(request: PacedRequest, outcome: PacingOutcome): void
}

/** No pacing beyond the runner's concurrency: every request may start at once. */
export const UNPACED: PacingPolicy = {
  acquire: () => Promise.resolve(),
  record: () => undefined,
}

export interface BulkOptions<T, R> {
  readonly concurrency: number
  /** Once aborted, no new item starts; items not started are passed to `notStarted`. */
  readonly signal: AbortSignal
  /** Builds the result of an item that never started (the run was interrupted). */
  readonly notStarted: (item: T, index: number) => R
  /** Called as each item settles, in completion order. */
  readonly onSettled?: (result: R, index: number) => void
}

/** Results come back in input order, whatever order the work finished in. */
export async function runBulk<T, R>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<R>,
  options: BulkOptions<T, R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next
      next += 1
      const item = items[index] as T
      const result = options.signal.aborted ? options.notStarted(item, index) : await work(item, index)
      results[index] = result
      options.onSettled?.(result, index)
    }
  }
  const workers = Math.max(1, Math.min(options.concurrency, items.length))
  await Promise.all(Array.from({ length: workers }, worker))
  return results
}
