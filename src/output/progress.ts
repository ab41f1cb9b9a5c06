// Progress on stderr while results go to stdout. Three views of the same figures:
// - 'bar': for a terminal. One line redrawn in place (`\r`, the line, erase to its end) at most every 100 ms,
//   and every second while nothing completes so the rate and ETA stay true. The line fits the stream's
//   width and never wraps; it never ends in a newline, so `stop` can erase it without a trace.
// - 'lines': for `--progress` without a terminal (a log). A plain status line every `intervalMs`, the last
//   line of a phase when the next begins, and one at `stop`; no escape codes, no colour.
// - 'off': nothing.
// A single line needs no library: `\r` and `ESC[K` are all the terminal control it takes. Weighed and left out:
// - log-update 8 (kept, Node >= 22): ends every frame with a newline (the cursor waits on the line below),
//   hides the cursor through cli-cursor, which hooks process exit and signals (signal-exit), and adds 16
//   packages; its multi-line diffing buys nothing for one line.
// - cli-progress 3.12 (no release since 2023): its render timer is not unref'd, so a bar left running holds
//   the process open; its ETA is its own, and it has no clock to inject for tests.
// - listr2, @clack/prompts: task-list and prompt UIs; listr2 renders through log-update.
import { Chalk, type ChalkInstance } from 'chalk'
import {
  computeProgressFigures,
  formatStatusLine,
  STATUS_SEPARATOR,
  statusParts,
  type ProgressFigures,
  type ProgressSnapshot,
  type StatusPartKind,
} from '../core/progress-figures.js'
import type { OutputStream } from '../io.js'

export type ProgressMode = 'bar' | 'lines' | 'off'

/** stderr as the view needs it; `columns` is what a TTY stream has (process.stderr.columns). */
export interface ProgressStream extends OutputStream {
  readonly columns?: number
}

export interface ProgressViewOptions {
  readonly stream: ProgressStream
  readonly mode: ProgressMode
  /** Colour the bar (bar mode only); pass what the reporter decided for stderr. */
  readonly color: boolean
  /** The view's clock, to age the last snapshot between updates; default `Date.now`. */
  readonly now?: () => number
  /** Lines mode: ms between status lines; default 5000, at least 100. */
  readonly intervalMs?: number
}

export interface ProgressView {
  /** The latest figures; cheap, call it on every completion. Ignored after `stop`. */
  update(snapshot: ProgressSnapshot): void
  /**
   * Runs `write` (e.g. a result line to stdout on the same terminal) with the bar off the screen, then
   * redraws the bar below it, so that lines and bar never tangle. Returns what `write` returns.
   */
  clearForOutput<T>(write: () => T): T
  /** Erases the bar (bar mode) or prints the last line (lines mode) and stops every timer. Idempotent. */
  stop(): void
}

export const BAR_FRAME_MS = 100
export const BAR_IDLE_REDRAW_MS = 1000
export const DEFAULT_LINES_INTERVAL_MS = 5000
/** Widest bar, in cells; it shrinks on narrow terminals and goes away below `MIN_BAR_WIDTH` columns. */
export const MAX_BAR_CELLS = 30
export const MIN_BAR_WIDTH = 40
const DEFAULT_COLUMNS = 80
const FILLED = '█'
const EMPTY = '░'
const ELLIPSIS = '…'
const ERASE_LINE = '\r\u001b[K'

export function createProgressView(options: ProgressViewOptions): ProgressView {
  const clock = options.now ?? Date.now
  switch (options.mode) {
    case 'off':
      return { update: () => undefined, clearForOutput: write => write(), stop: () => undefined }
    case 'lines':
      return createLinesView(
        options.stream,
        clock,
        Math.max(BAR_FRAME_MS, options.intervalMs ?? DEFAULT_LINES_INTERVAL_MS),
      )
    case 'bar':
      return createBarView(options.stream, clock, new Chalk({ level: options.color ? 1 : 0 }))
  }
}

interface Latest {
  readonly snapshot: ProgressSnapshot
  /** The view's clock when the snapshot came. */
  readonly receivedAt: number
}

/** The figures now: the snapshot aged by the time since it came, on the snapshot's own clock. */
function figuresNow(latest: Latest, clock: () => number): ProgressFigures {
  const age = Math.max(0, clock() - latest.receivedAt)
  return computeProgressFigures({ ...latest.snapshot, now: latest.snapshot.now + age })
}

function startInterval(tick: () => void, ms: number): NodeJS.Timeout {
  const timer = setInterval(tick, ms)
  timer.unref() // progress never keeps the process alive
  return timer
}

function createBarView(stream: ProgressStream, clock: () => number, style: ChalkInstance): ProgressView {
  let latest: Latest | undefined
  /** The line on the screen now, if any. */
  let shown: string | undefined
  let drawnAt = Number.NEGATIVE_INFINITY
  let dirty = false
  let timer: NodeJS.Timeout | undefined
  let stopped = false

  const draw = (): void => {
    if (latest === undefined || stopped) return
    const line = renderBarLine(figuresNow(latest, clock), barWidth(stream), style)
    drawnAt = clock()
    dirty = false
    if (line === shown) return
    stream.write(`\r${line}\u001b[K`)
    shown = line
  }
  const tick = (): void => {
    if (dirty || clock() - drawnAt >= BAR_IDLE_REDRAW_MS) draw()
  }
  return {
    update(snapshot) {
      if (stopped) return
      latest = { snapshot, receivedAt: clock() }
      timer ??= startInterval(tick, BAR_FRAME_MS)
      if (clock() - drawnAt >= BAR_FRAME_MS) draw()
      else dirty = true
    },
    clearForOutput(write) {
      if (shown === undefined) return write()
      stream.write(ERASE_LINE)
      shown = undefined
      try {
        return write()
      } finally {
        draw()
      }
    },
    stop() {
      if (stopped) return
      stopped = true
      if (timer !== undefined) clearInterval(timer)
      timer = undefined
      if (shown !== undefined) stream.write(ERASE_LINE)
      shown = undefined
    },
  }
}

function createLinesView(stream: OutputStream, clock: () => number, intervalMs: number): ProgressView {
  let latest: Latest | undefined
  let printed: string | undefined
  let timer: NodeJS.Timeout | undefined
  let stopped = false

  const print = (line: string): void => {
    stream.write(`${line}\n`)
    printed = line
  }
  const printNew = (line: string): void => {
    if (line !== printed) print(line)
  }
  return {
    update(snapshot) {
      if (stopped) return
      // A log should show how each phase ended: its last line, as it was when the phase ended.
      if (latest !== undefined && latest.snapshot.phase !== snapshot.phase) {
        printNew(formatStatusLine(computeProgressFigures(latest.snapshot)))
      }
      latest = { snapshot, receivedAt: clock() }
      timer ??= startInterval(() => {
        if (latest !== undefined) print(formatStatusLine(figuresNow(latest, clock)))
      }, intervalMs)
    },
    clearForOutput: write => write(),
    stop() {
      if (stopped) return
      stopped = true
      if (timer !== undefined) clearInterval(timer)
      timer = undefined
      if (latest !== undefined) printNew(formatStatusLine(figuresNow(latest, clock)))
    },
  }
}

/** Columns the bar line may use: one short of the stream's width, so the cursor never wraps. */
function barWidth(stream: ProgressStream): number {
  const columns = stream.columns
  return (columns !== undefined && columns > 0 ? columns : DEFAULT_COLUMNS) - 1
}

interface Segment {
  readonly text: string
  readonly paint: (text: string) => string
}

/** The bar and the status line, cut to `width` columns (every character drawn is one column wide). */
export function renderBarLine(figures: ProgressFigures, width: number, style: ChalkInstance): string {
  const segments: Segment[] = []
  if (width >= MIN_BAR_WIDTH) {
    const cells = Math.min(MAX_BAR_CELLS, Math.floor(width / 4))
    const filled = Math.floor(figures.fraction * cells)
    segments.push({ text: FILLED.repeat(filled), paint: style.cyan })
    segments.push({ text: EMPTY.repeat(cells - filled), paint: style.dim })
    segments.push({ text: ' ', paint: plain })
  }
  statusParts(figures).forEach((part, index) => {
    if (index > 0) segments.push({ text: STATUS_SEPARATOR, paint: style.dim })
    segments.push({ text: part.text, paint: paintOf(part.kind, style) })
  })
  return fitSegments(segments, width)
}

function paintOf(kind: StatusPartKind, style: ChalkInstance): (text: string) => string {
  switch (kind) {
    case 'progress':
      return style.bold
    case 'rate':
    case 'eta':
      return plain
    case 'retries':
    case 'quota':
      return style.yellow
  }
}

function plain(text: string): string {
  return text
}

/** Joins the painted segments, cutting the text (never the escape codes) at `width` with an ellipsis. */
function fitSegments(segments: readonly Segment[], width: number): string {
  // Every character the view draws is one UTF-16 unit and one column wide, so length is width.
  const total = segments.reduce((sum, segment) => sum + segment.text.length, 0)
  if (total <= width) return segments.map(segment => paintNonEmpty(segment)).join('')
  let room = Math.max(0, width - 1)
  let out = ''
  for (const segment of segments) {
    if (room === 0) break
    const cut = segment.text.length > room
    // No space before the ellipsis.
    const kept = cut ? segment.text.slice(0, room).trimEnd() : segment.text
    out += paintNonEmpty({ text: kept, paint: segment.paint })
    room -= Math.min(room, segment.text.length)
  }
  return width > 0 ? `${out}${ELLIPSIS}` : ''
}

function paintNonEmpty(segment: Segment): string {
  return segment.text === '' ? '' : segment.paint(segment.text)
}
