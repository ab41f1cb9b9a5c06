import { stripVTControlCharacters } from 'node:util'
import { Chalk } from 'chalk'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { computeProgressFigures, type ProgressSnapshot } from '../../src/core/progress-figures.js'
import {
  createProgressView,
  DEFAULT_LINES_INTERVAL_MS,
  renderBarLine,
  type ProgressMode,
  type ProgressStream,
  type ProgressView,
} from '../../src/output/progress.js'

const ESC = '\u001b'
const ERASE = `\r${ESC}[K`

/** Every write to the fake stderr and stdout, in order. */
interface Terminal {
  readonly log: { readonly to: 'stderr' | 'stdout'; readonly text: string }[]
  readonly stderr: ProgressStream
  readonly stdoutLine: (text: string) => void
  readonly stderrText: () => string
}

function fakeTerminal(columns: number | undefined = 80): Terminal {
  const log: Terminal['log'] = []
  const stderr: ProgressStream = {
    isTTY: true,
    columns,
    write: (chunk: string | Uint8Array) => {
      log.push({ to: 'stderr', text: String(chunk) })
      return true
    },
  }
  return {
    log,
    stderr,
    stdoutLine: text => log.push({ to: 'stdout', text: `${text}\n` }),
    stderrText: () =>
      log
        .filter(entry => entry.to === 'stderr')
        .map(entry => entry.text)
        .join(''),
  }
}

/** `done` of 4,000 in a phase 10 minutes old, with a completion every 200 ms (5/s) over the last 30 s. */
function snapshot(done: number, now: number, overrides: Partial<ProgressSnapshot> = {}): ProgressSnapshot {
  return {
    phase: 'writing',
    done,
    total: 4000,
    retries: 0,
    waitingOnQuota: false,
    startedAt: now - 600_000,
    now,
    recentCompletions: Array.from({ length: 150 }, (_, index) => now - index * 200),
    ...overrides,
  }
}

function view(mode: ProgressMode, terminal: Terminal, color = false, intervalMs?: number): ProgressView {
  return createProgressView({ stream: terminal.stderr, mode, color, now: () => Date.now(), intervalMs })
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0, toFake: ['Date', 'setInterval', 'clearInterval'] })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('bar mode', () => {
  it('draws one line in place: \\r, the bar and the status, erase to the end; never a newline', () => {
    const terminal = fakeTerminal()
    const bar = view('bar', terminal)
    bar.update(snapshot(1000, 0))
    vi.advanceTimersByTime(200)
    bar.update(snapshot(2000, 200))
    const writes = terminal.log.map(entry => entry.text)
    expect(writes).toHaveLength(2)
    for (const text of writes) {
      expect(text.startsWith('\r')).toBe(true)
      expect(text.endsWith(`${ESC}[K`)).toBe(true)
    }
    expect(writes[0]).toContain('writing 1,000/4,000 · 5.0/s · ETA 10m 00s')
    expect(writes[1]).toContain('writing 2,000/4,000')
    // A quarter and a half of a 19-cell bar.
    expect(writes[0]).toContain(`${'█'.repeat(4)}${'░'.repeat(15)} `)
    expect(writes[1]).toContain(`${'█'.repeat(9)}${'░'.repeat(10)} `)
    bar.stop()
    expect(terminal.stderrText()).not.toContain('\n')
  })

  it('redraws at most every 100 ms, and draws the latest figures at the next frame', () => {
    const terminal = fakeTerminal()
    const bar = view('bar', terminal)
    for (let done = 1; done <= 50; done += 1) {
      bar.update(snapshot(done, Date.now()))
      vi.advanceTimersByTime(1)
    }
    expect(terminal.log).toHaveLength(1)
    vi.advanceTimersByTime(100)
    expect(terminal.log).toHaveLength(2)
    expect(terminal.log[1]?.text).toContain('writing 50/4,000')
    bar.stop()
  })

  it('keeps the figures true while nothing completes: the rate falls and the ETA goes', () => {
    const terminal = fakeTerminal(120)
    const bar = view('bar', terminal)
    vi.advanceTimersByTime(60_000)
    bar.update(snapshot(300, 60_000, { waitingOnQuota: true }))
    expect(terminal.log.at(-1)?.text).toContain('5.0/s · ETA')
    vi.advanceTimersByTime(31_000)
    const last = terminal.log.at(-1)?.text ?? ''
    expect(last).toContain('writing 300/4,000 · 0.0/s · waiting on quota')
    expect(last).not.toContain('ETA')
    bar.stop()
  })

  it('does not write a line that is already on the screen', () => {
    const terminal = fakeTerminal()
    const bar = view('bar', terminal)
    // Nothing left and nothing completed in the window: the figures stay as they are.
    bar.update(snapshot(40, 0, { total: 40, recentCompletions: [-60_000] }))
    vi.advanceTimersByTime(5_000)
    expect(terminal.log).toHaveLength(1)
    bar.stop()
  })

  it.each([200, 80, 50, 41, 40, 39, 25, 10, 2, 1, undefined])('fits %s columns without wrapping', columns => {
    const terminal = fakeTerminal(columns)
    const bar = view('bar', terminal)
    bar.update(snapshot(1234, 0, { retries: 12345, waitingOnQuota: true }))
    const line = stripVTControlCharacters(terminal.log[0]?.text ?? '').replace('\r', '')
    const width = (columns ?? 80) - 1
    expect(line.length).toBeLessThanOrEqual(width)
    expect(line).not.toMatch(/[\r\n]/)
    if (width >= 2 && line.length === width) expect(line.endsWith('…')).toBe(true)
    bar.stop()
  })

  it('reads the width again on each frame, after a resize', () => {
    const terminal = fakeTerminal(200)
    const resizable = terminal.stderr as { columns: number | undefined }
    const bar = view('bar', terminal)
    bar.update(snapshot(1234, 0, { retries: 12, waitingOnQuota: true }))
    resizable.columns = 30
    vi.advanceTimersByTime(200)
    bar.update(snapshot(1235, 200, { retries: 12, waitingOnQuota: true }))
    const line = stripVTControlCharacters(terminal.log.at(-1)?.text ?? '').replace('\r', '')
    expect(line).toBe('writing 1,235/4,000 · 5.0/s…')
    bar.stop()
  })

  it('colours only when asked', () => {
    const plain = fakeTerminal()
    const coloured = fakeTerminal()
    view('bar', plain, false).update(snapshot(1000, 0, { retries: 2 }))
    view('bar', coloured, true).update(snapshot(1000, 0, { retries: 2 }))
    const plainText = plain.stderrText()
    expect(plainText.replaceAll(`${ESC}[K`, '')).not.toContain(ESC)
    expect(coloured.stderrText()).toContain(`${ESC}[36m`)
    expect(stripVTControlCharacters(coloured.stderrText())).toBe(stripVTControlCharacters(plainText))
  })

  it('takes the bar off the screen for a result line, then puts it back below it', () => {
    const terminal = fakeTerminal()
    const bar = view('bar', terminal)
    bar.update(snapshot(10, 0))
    const drawn = terminal.log[0]?.text
    const returned = bar.clearForOutput(() => {
      terminal.stdoutLine('updated spaces/A/members/1')
      return 42
    })
    expect(returned).toBe(42)
    expect(terminal.log).toEqual([
      { to: 'stderr', text: drawn },
      { to: 'stderr', text: ERASE },
      { to: 'stdout', text: 'updated spaces/A/members/1\n' },
      { to: 'stderr', text: drawn },
    ])
    bar.stop()
  })

  it('puts the bar back even when the write throws', () => {
    const terminal = fakeTerminal()
    const bar = view('bar', terminal)
    bar.update(snapshot(10, 0))
    expect(() =>
      bar.clearForOutput(() => {
        throw new Error('EPIPE')
      }),
    ).toThrow('EPIPE')
    expect(terminal.log.map(entry => entry.text)).toEqual([terminal.log[0]?.text, ERASE, terminal.log[0]?.text])
    bar.stop()
  })

  it('just writes when no bar is on the screen', () => {
    const terminal = fakeTerminal()
    const bar = view('bar', terminal)
    bar.clearForOutput(() => {
      terminal.stdoutLine('first')
    })
    bar.update(snapshot(10, 0))
    bar.stop()
    bar.clearForOutput(() => {
      terminal.stdoutLine('after')
    })
    expect(terminal.log.map(entry => entry.to)).toEqual(['stdout', 'stderr', 'stderr', 'stdout'])
    expect(terminal.log[2]?.text).toBe(ERASE)
  })

  it('stop erases the bar once, stops its timer, and ignores later updates', () => {
    const terminal = fakeTerminal()
    const bar = view('bar', terminal)
    bar.update(snapshot(10, 0))
    expect(vi.getTimerCount()).toBe(1)
    bar.stop()
    bar.stop()
    bar.update(snapshot(11, 100))
    vi.advanceTimersByTime(10_000)
    expect(terminal.log.map(entry => entry.text).slice(1)).toEqual([ERASE])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('stop writes nothing when nothing was drawn', () => {
    const terminal = fakeTerminal()
    const bar = view('bar', terminal)
    bar.stop()
    expect(terminal.log).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('lines mode', () => {
  it('prints a plain line every interval, and the last one at stop', () => {
    const terminal = fakeTerminal()
    const lines = view('lines', terminal)
    lines.update(snapshot(10, 0))
    expect(terminal.log).toEqual([])
    vi.advanceTimersByTime(DEFAULT_LINES_INTERVAL_MS - 1)
    lines.update(snapshot(35, DEFAULT_LINES_INTERVAL_MS - 1))
    expect(terminal.log).toEqual([])
    vi.advanceTimersByTime(DEFAULT_LINES_INTERVAL_MS)
    expect(terminal.log).toHaveLength(1)
    lines.update(snapshot(60, 2 * DEFAULT_LINES_INTERVAL_MS - 1))
    vi.advanceTimersByTime(201)
    lines.update(snapshot(61, 2 * DEFAULT_LINES_INTERVAL_MS + 200))
    lines.stop()
    expect(terminal.stderrText()).toBe(
      [
        'writing 35/4,000 · 5.0/s · ETA 13m 13s',
        'writing 60/4,000 · 5.0/s · ETA 13m 08s',
        'writing 61/4,000 · 5.0/s · ETA 13m 08s',
        '',
      ].join('\n'),
    )
    expect(terminal.stderrText()).not.toContain(ESC)
    expect(terminal.stderrText()).not.toContain('\r')
  })

  it('goes on printing while nothing completes, with the rate aged', () => {
    const terminal = fakeTerminal()
    const lines = view('lines', terminal, false, 20_000)
    lines.update(snapshot(100, 0, { waitingOnQuota: true }))
    vi.advanceTimersByTime(40_000)
    expect(terminal.stderrText()).toBe(
      [
        'writing 100/4,000 · 1.7/s · ETA 39m 00s · waiting on quota',
        'writing 100/4,000 · 0.0/s · waiting on quota',
        '',
      ].join('\n'),
    )
    lines.stop()
  })

  it('prints how a phase ended when the next begins', () => {
    const terminal = fakeTerminal()
    const lines = view('lines', terminal)
    lines.update(snapshot(40, 8_000, { phase: 'reading', total: 40 }))
    lines.update(snapshot(0, 8_000, { startedAt: 8_000, total: 12, recentCompletions: [] }))
    expect(terminal.stderrText()).toBe('reading 40/40 · 5.0/s\n')
    lines.stop()
  })

  it('does not print the same line twice at stop, stops its timer, and stops once', () => {
    const terminal = fakeTerminal()
    const lines = view('lines', terminal)
    lines.update(snapshot(40, 0, { total: 40, recentCompletions: [-60_000] }))
    vi.advanceTimersByTime(DEFAULT_LINES_INTERVAL_MS)
    lines.stop()
    lines.stop()
    lines.update(snapshot(41, 0))
    vi.advanceTimersByTime(DEFAULT_LINES_INTERVAL_MS * 3)
    expect(terminal.stderrText()).toBe('writing 40/40 · 0.0/s\n')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('writes results as they are, and nothing at stop when nothing was reported', () => {
    const terminal = fakeTerminal()
    const lines = view('lines', terminal)
    expect(lines.clearForOutput(() => 'ok')).toBe('ok')
    lines.clearForOutput(() => {
      terminal.stdoutLine('updated x')
    })
    lines.stop()
    expect(terminal.log).toEqual([{ to: 'stdout', text: 'updated x\n' }])
  })

  it('ignores colour: a log gets no escape codes', () => {
    const terminal = fakeTerminal()
    const lines = view('lines', terminal, true)
    lines.update(snapshot(10, 0, { retries: 3, waitingOnQuota: true }))
    lines.stop()
    expect(terminal.stderrText()).toBe('writing 10/4,000 · 5.0/s · ETA 13m 18s · 3 retries · waiting on quota\n')
  })
})

describe('off mode', () => {
  it('prints nothing, starts no timer, and still writes results', () => {
    const terminal = fakeTerminal()
    const off = view('off', terminal)
    off.update(snapshot(10, 0))
    vi.advanceTimersByTime(60_000)
    expect(off.clearForOutput(() => 7)).toBe(7)
    off.stop()
    expect(terminal.log).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('timers', () => {
  it.each(['bar', 'lines'] as const)('%s mode never keeps the process alive', mode => {
    vi.useRealTimers()
    const spy = vi.spyOn(globalThis, 'setInterval')
    try {
      const terminal = fakeTerminal()
      const progress = view(mode, terminal)
      progress.update(snapshot(1, Date.now(), { startedAt: Date.now() }))
      expect(spy).toHaveBeenCalledTimes(1)
      const timer = spy.mock.results[0]?.value as NodeJS.Timeout
      expect(timer.hasRef()).toBe(false)
      progress.stop()
    } finally {
      spy.mockRestore()
    }
  })
})

describe('renderBarLine', () => {
  const style = new Chalk({ level: 0 })
  it.each([
    { done: 0, bar: '░'.repeat(19) },
    { done: 2000, bar: `${'█'.repeat(9)}${'░'.repeat(10)}` },
    { done: 4000, bar: '█'.repeat(19) },
  ])('fills $done of 4,000', ({ done, bar }) => {
    const figures = computeProgressFigures(snapshot(done, 0, { startedAt: 0, recentCompletions: [] }))
    expect(renderBarLine(figures, 79, style)).toBe(`${bar} writing ${done.toLocaleString('en-US')}/4,000`)
  })

  it('gives the bar up below 40 columns, for the status', () => {
    const figures = computeProgressFigures(snapshot(2000, 0, { startedAt: 0, recentCompletions: [] }))
    expect(renderBarLine(figures, 39, style)).toBe('writing 2,000/4,000')
    expect(renderBarLine(figures, 10, style)).toBe('writing 2…')
    expect(renderBarLine(figures, 0, style)).toBe('')
  })
})
