// What the emulator's request log says about one run: requests, statuses, 429s, and when the reads and
// the writes happened (seconds from the first request).

const LOG_LIMIT = 10_000

const isChat = entry => entry.path.startsWith('/v1/')

/**
 * The Chat API calls of the log by arrival. The log records a request once answered (after the emulator's
 * added latency) with the time it arrived, so its own order is not quite the arrival order.
 */
const chatCalls = entries =>
  entries.filter(isChat).sort((left, right) => Date.parse(left.time) - Date.parse(right.time))
const isWrite = entry => entry.method === 'PATCH'

/** `entries`: GET /emulator/v1/requests after a run that started on a cleared log. */
export function analyseLog(entries) {
  const chat = chatCalls(entries)
  const statuses = {}
  for (const entry of chat) {
    const key = entry.status === null ? `dropped` : String(entry.status)
    statuses[key] = (statuses[key] ?? 0) + 1
  }
  const start = chat.length === 0 ? 0 : Date.parse(chat[0].time)
  const at = entry => (Date.parse(entry.time) - start) / 1000
  const span = list => (list.length === 0 ? undefined : { first: at(list[0]), last: at(list.at(-1)) })
  const reads = chat.filter(entry => !isWrite(entry))
  const writes = chat.filter(isWrite)
  /** Per second from the first request: writes answered 200, and 429s. */
  const perSecond = []
  for (const entry of chat) {
    const second = Math.floor(at(entry))
    perSecond[second] ??= { ok: 0, throttled: 0, reads: 0 }
    if (!isWrite(entry)) perSecond[second].reads += 1
    else if (entry.status === 200) perSecond[second].ok += 1
    else if (entry.status === 429) perSecond[second].throttled += 1
  }
  for (let second = 0; second < perSecond.length; second += 1) perSecond[second] ??= { ok: 0, throttled: 0, reads: 0 }
  return {
    complete: entries.length < LOG_LIMIT,
    requests: chat.length,
    throttled: statuses['429'] ?? 0,
    statuses,
    reads: { count: reads.length, ...span(reads) },
    writes: { count: writes.length, ...span(writes) },
    perSecond,
  }
}

const spaceOf = entry => /^\/v1\/spaces\/([^/]+)/.exec(entry.path)?.[1]

/** Per second from the first request: one space's writes answered 200, and its 429s. */
export function spaceWritesPerSecond(entries, space) {
  const chat = chatCalls(entries)
  const start = chat.length === 0 ? 0 : Date.parse(chat[0].time)
  const id = space.replace(/^spaces\//, '')
  const perSecond = []
  for (const entry of chat) {
    if (!isWrite(entry) || spaceOf(entry) !== id) continue
    const second = Math.floor((Date.parse(entry.time) - start) / 1000)
    perSecond[second] ??= { ok: 0, throttled: 0 }
    if (entry.status === 200) perSecond[second].ok += 1
    else if (entry.status === 429) perSecond[second].throttled += 1
  }
  for (let second = 0; second < perSecond.length; second += 1) perSecond[second] ??= { ok: 0, throttled: 0 }
  return perSecond
}

/**
 * For each write refused with a 429, how long after the space's previous write it arrived (ms, by the log's
 * arrival times; the emulator adds its latency after arrival and checks the quota after that).
 */
export function throttledWriteGaps(entries) {
  const last = new Map()
  const gaps = { throttled: [], accepted: [] }
  for (const entry of chatCalls(entries).filter(isWrite)) {
    const space = spaceOf(entry)
    const time = Date.parse(entry.time)
    const previous = last.get(space)
    if (previous !== undefined) (entry.status === 429 ? gaps.throttled : gaps.accepted).push(time - previous)
    last.set(space, time)
  }
  return gaps
}

/** `{updated: 40, failed: 2}` from a --json document's results. */
export function statusCounts(document) {
  const counts = {}
  for (const result of document.results ?? []) counts[result.status] = (counts[result.status] ?? 0) + 1
  return counts
}

/** Requests the CLI counted on its items (reads by get, writes, retries); list pages are not in it. */
export function attemptsOf(document) {
  return (document.results ?? []).reduce((sum, result) => sum + (result.attempts ?? 0), 0)
}
