// The arithmetic of progress: a rate over a sliding window (not since the start, so it follows a run that
// slows down on a quota and speeds up again), an ETA from what is left at that rate, and the one status line
// both progress views print, e.g. `writing 1,234/4,000 · 5.0/s · ETA 9m 13s · 12 retries · waiting on quota`.

export type ProgressPhase = 'reading' | 'writing' | 'checking'

/** What a run knows about its progress at one moment. Every time is in ms on one clock (e.g. `Date.now()`). */
export interface ProgressSnapshot {
  readonly phase: ProgressPhase
  /** Items of this phase settled so far, whatever their outcome. */
  readonly done: number
  readonly total: number
  /** Requests retried so far (429s, 5xx, dropped connections). */
  readonly retries: number
  /** The scheduler is holding requests back for a quota. */
  readonly waitingOnQuota: boolean
  /** When this phase started. */
  readonly startedAt: number
  readonly now: number
  /**
   * Times of the latest completions, oldest first or in any order. Keep at least a window's worth (e.g. the
   * last 200); a shorter buffer still gives a fair rate, measured over the span it covers.
   */
  readonly recentCompletions: readonly number[]
}

export interface ProgressFigures {
  readonly phase: ProgressPhase
  readonly done: number
  readonly total: number
  readonly remaining: number
  /** done / total, 0 to 1 (0 when total is 0). */
  readonly fraction: number
  /** Completions per second over the window; undefined until the phase has run for `minRateSpanMs`. */
  readonly ratePerSecond: number | undefined
  /** ms until the phase is done at that rate; 0 when nothing remains; undefined while there is too little to go on. */
  readonly etaMs: number | undefined
  readonly elapsedMs: number
  readonly retries: number
  readonly waitingOnQuota: boolean
}

export interface FigureOptions {
  /** The sliding window of the rate. */
  readonly windowMs: number
  /** No rate at all before the phase has run this long: the first burst of answers says little. */
  readonly minRateSpanMs: number
  /** No ETA before this many completions in the window. */
  readonly minCompletionsForEta: number
}

export const DEFAULT_FIGURE_OPTIONS: FigureOptions = {
  windowMs: 30_000,
  minRateSpanMs: 1_000,
  minCompletionsForEta: 5,
}

export function computeProgressFigures(
  snapshot: ProgressSnapshot,
  options: FigureOptions = DEFAULT_FIGURE_OPTIONS,
): ProgressFigures {
  const total = Math.max(0, snapshot.total)
  const done = Math.max(0, snapshot.done)
  const remaining = Math.max(0, total - done)
  const elapsedMs = Math.max(0, snapshot.now - snapshot.startedAt)
  const { ratePerSecond, inWindow } = rateOf(snapshot, done, elapsedMs, options)
  let etaMs: number | undefined
  if (remaining === 0) etaMs = 0
  else if (ratePerSecond !== undefined && ratePerSecond > 0 && inWindow >= options.minCompletionsForEta) {
    etaMs = (remaining / ratePerSecond) * 1000
  }
  return {
    phase: snapshot.phase,
    done,
    total,
    remaining,
    fraction: total === 0 ? 0 : Math.min(1, done / total),
    ratePerSecond,
    etaMs,
    elapsedMs,
    retries: Math.max(0, snapshot.retries),
    waitingOnQuota: snapshot.waitingOnQuota,
  }
}

function rateOf(
  snapshot: ProgressSnapshot,
  done: number,
  elapsedMs: number,
  options: FigureOptions,
): { ratePerSecond: number | undefined; inWindow: number } {
  const { now, startedAt, recentCompletions } = snapshot
  // The window is (now - windowMs, now], and never reaches back before the phase started: a young phase is
  // measured over its age.
  const windowStart = now - options.windowMs
  const spanStart = Math.max(windowStart, startedAt)
  let inWindow = 0
  let oldest = Number.POSITIVE_INFINITY
  for (const at of recentCompletions) {
    if (at > windowStart && at >= startedAt && at <= now) {
      inWindow += 1
      oldest = Math.min(oldest, at)
    }
  }
  if (elapsedMs < options.minRateSpanMs) return { ratePerSecond: undefined, inWindow }
  // Every retained time lies inside the window and more has completed than is retained: the buffer dropped
  // some of the window, so measure over the span it does cover (k completions, k - 1 gaps after the oldest).
  const truncated = inWindow >= 2 && inWindow === recentCompletions.length && done > inWindow && oldest > spanStart
  const count = truncated ? inWindow - 1 : inWindow
  const spanMs = truncated ? now - oldest : now - spanStart
  if (spanMs <= 0) return { ratePerSecond: undefined, inWindow }
  return { ratePerSecond: (count / spanMs) * 1000, inWindow }
}

export type StatusPartKind = 'progress' | 'rate' | 'eta' | 'retries' | 'quota'

export interface StatusPart {
  readonly kind: StatusPartKind
  readonly text: string
}

export const STATUS_SEPARATOR = ' · '

/** The pieces of the status line, in order, so that a view can colour them; absent figures are left out. */
export function statusParts(figures: ProgressFigures): readonly StatusPart[] {
  const parts: StatusPart[] = [
    { kind: 'progress', text: `${figures.phase} ${formatCount(figures.done)}/${formatCount(figures.total)}` },
  ]
  if (figures.ratePerSecond !== undefined) parts.push({ kind: 'rate', text: formatRate(figures.ratePerSecond) })
  if (figures.etaMs !== undefined && figures.remaining > 0) {
    // Rounded up: never "ETA 0s" while something remains.
    parts.push({ kind: 'eta', text: `ETA ${formatDuration(Math.ceil(figures.etaMs / 1000) * 1000)}` })
  }
  if (figures.retries > 0) {
    parts.push({
      kind: 'retries',
      text: `${formatCount(figures.retries)} ${figures.retries === 1 ? 'retry' : 'retries'}`,
    })
  }
  if (figures.waitingOnQuota) parts.push({ kind: 'quota', text: 'waiting on quota' })
  return parts
}

export function formatStatusLine(figures: ProgressFigures): string {
  return statusParts(figures)
    .map(part => part.text)
    .join(STATUS_SEPARATOR)
}

/** `45s`, `9m 05s`, `1h 02m` (seconds dropped past an hour); rounded to the nearest second; `0s` for nothing. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0s'
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds}s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad2(seconds % 60)}s`
  const minutes = Math.floor(seconds / 60)
  return `${Math.floor(minutes / 60)}h ${pad2(minutes % 60)}m`
}

/** `1,234`: whole numbers with thousands separators, the same in every locale. */
export function formatCount(value: number): string {
  const whole = Math.trunc(value)
  const digits = String(Math.abs(whole)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return whole < 0 ? `-${digits}` : digits
}

/** `312/s`, `5.0/s`, and per minute below a tenth a second (`3.0/min`), where `0.0/s` would say nothing. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '0.0/s'
  if (perSecond >= 99.95) return `${formatCount(Math.round(perSecond))}/s`
  if (perSecond >= 0.095) return `${perSecond.toFixed(1)}/s`
  return `${(perSecond * 60).toFixed(1)}/min`
}

function pad2(value: number): string {
  return String(value).padStart(2, '0')
}
