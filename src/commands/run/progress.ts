// The progress of a role run on stderr: a bar redrawn in place on a terminal, a plain status line every few
// seconds with --progress elsewhere, nothing otherwise (and nothing in JSON mode unless asked). Every line
// the run prints goes through here, so result lines and the bar never tangle on one terminal.
import type { SchedulerStats } from '../../core/scheduler.js'
import type { Io } from '../../io.js'
import { createProgressView, type ProgressMode, type ProgressView } from '../../output/progress.js'
import type { Reporter } from '../../output/reporter.js'

export interface RunProgress {
  /** The run's reporter, whose every line first clears the bar. */
  readonly reporter: Reporter
  start(total: number): void
  settled(stats: SchedulerStats): void
  /** A request went out; `write` when it was a write, which starts the writing phase. */
  update(stats: SchedulerStats, write: boolean): void
  /** Clears the bar for a question; the next update draws a new one. */
  pause(): void
  stop(): void
}

/** Enough completions to tell a rate over the last 30 s. */
const RECENT = 200

export function createRunProgress(reporter: Reporter, io: Io, options: { requested: boolean }): RunProgress {
  const mode: ProgressMode = reporter.stderrIsTty
    ? reporter.json && !options.requested
      ? 'off'
      : 'bar'
    : options.requested
      ? 'lines'
      : 'off'
  const makeView = (): ProgressView =>
    createProgressView({ stream: io.stderr, mode, color: reporter.errStyle.level > 0 })
  let view = makeView()
  let total = 0
  let done = 0
  let startedAt = Date.now()
  let phase: 'reading' | 'writing' = 'reading'
  const recent: number[] = []
  let last: SchedulerStats | undefined
  const draw = (): void => {
    if (last === undefined) return
    view.update({
      phase,
      done,
      total,
      retries: last.retried,
      waitingOnQuota: last.waitingOnQuota,
      startedAt,
      now: Date.now(),
      recentCompletions: recent,
    })
  }
  const cleared = (write: () => void): void => {
    view.clearForOutput(write)
  }
  const wrapped: Reporter = {
    ...reporter,
    line: text => {
      cleared(() => {
        reporter.line(text)
      })
    },
    info: text => {
      cleared(() => {
        reporter.info(text)
      })
    },
    warn: text => {
      cleared(() => {
        reporter.warn(text)
      })
    },
    debug: text => {
      cleared(() => {
        reporter.debug(text)
      })
    },
    error: error => {
      cleared(() => {
        reporter.error(error)
      })
    },
    document: value => {
      cleared(() => {
        reporter.document(value)
      })
    },
  }
  return {
    reporter: wrapped,
    start(count) {
      total = count
      startedAt = Date.now()
    },
    settled(stats) {
      done += 1
      recent.push(Date.now())
      if (recent.length > RECENT) recent.shift()
      last = stats
      draw()
    },
    update(stats, write) {
      if (write) phase = 'writing'
      last = stats
      draw()
    },
    pause() {
      view.stop()
      view = makeView()
    },
    stop() {
      view.stop()
    },
  }
}
