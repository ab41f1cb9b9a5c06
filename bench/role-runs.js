// Benchmark of role runs (run with `npm run bench`, which builds first): `chat-role demote` exactly as a
// user runs it, against the emulator as its own process with 50 ms of latency, and how close it comes to
// what the emulator's quotas allow. Prints figures; it asserts nothing. See README "Performance".
//
//   BENCH_RUNS=N        runs of each quota-bound shape (default 3; the medians are printed)
//   BENCH_ONLY=1,2,6    only these shapes
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { analyseLog, attemptsOf, spaceWritesPerSecond, statusCounts, throttledWriteGaps } from './analysis.js'
import { ceilingOf, DEFAULT_QUOTAS, readsOf } from './ceiling.js'
import { HAVE_TIME, median, runDemote, runProcess, scratch, startEmulator, userEnv } from './harness.js'
import { buildSeed, wrongRoles } from './seeds.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const ONLY = process.env.BENCH_ONLY?.split(',').map(Number)
const LATENCY = ['--latency-ms', '50']
const TARGETS = { efficiency: 0.9, throttledShare: 0.05, rssMB: 150, faultRatio: 1.5, guideRatio: 1.5 }

const QUOTA_FLAGS = {
  projectWritesPerMinute: '--quota-project-writes-per-min',
  projectReadsPerMinute: '--quota-project-reads-per-min',
  spaceWritesPerSecond: '--quota-space-writes-per-sec',
  spaceReadsPerSecond: '--quota-space-reads-per-sec',
}
const quotaFlags = quotas => Object.entries(quotas).flatMap(([key, value]) => [QUOTA_FLAGS[key], String(value)])

const QUOTA_SHAPES = [
  {
    id: 1,
    title: 'project-bound',
    layout: [[40, 20]],
    quotas: { projectWritesPerMinute: 600, spaceWritesPerSecond: 5 },
  },
  {
    id: 2,
    title: 'space-bound',
    layout: [[1, 84]],
    quotas: { projectWritesPerMinute: 3000, spaceWritesPerSecond: 4 },
  },
  {
    id: 3,
    title: 'mixed, the big space named last',
    layout: [
      [30, 4],
      [1, 63],
    ],
    quotas: { projectWritesPerMinute: 1200, spaceWritesPerSecond: 3 },
  },
]

const fmt = (value, digits = 1) => (value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits))
const pct = value => `${(value * 100).toFixed(1)}%`
const say = text => {
  console.log(text)
}
const describeLayout = layout => layout.map(([spaces, managers]) => `${spaces} × ${managers}`).join(' + ')
const describeQuotas = quotas =>
  Object.entries({ ...DEFAULT_QUOTAS, ...quotas })
    .map(([key, value]) => `${QUOTA_FLAGS[key].replace('--quota-', '')} ${value}`)
    .join(', ')

/** One demote run on a freshly reset emulator: the CLI's figures and the emulator's. */
async function measuredRun(dir, emulator, built, watchedSpace) {
  await emulator.reset()
  const run = await runDemote(dir, emulator, built.names)
  const entries = await emulator.requests()
  const log = analyseLog(entries)
  const state = await emulator.state()
  const counts = statusCounts(run.document)
  const failed = built.names.length - (counts.updated ?? 0)
  return {
    run,
    log,
    counts,
    failed,
    wrong: wrongRoles(built.seed, built.names, state),
    gaps: throttledWriteGaps(entries),
    ...(watchedSpace !== undefined && { watched: spaceWritesPerSecond(entries, watchedSpace) }),
  }
}

function describeStatuses(statuses) {
  return Object.entries(statuses)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ')
}

function describeGaps(gaps) {
  if (gaps.length === 0) return 'none'
  const sorted = [...gaps].sort((left, right) => left - right)
  return `${gaps.length}, ${Math.round(sorted[0])}–${Math.round(sorted.at(-1))} ms, median ${Math.round(median(sorted))} ms`
}

function perSecondPattern(perSecond) {
  return perSecond.map(({ ok, throttled }) => (throttled > 0 ? `${ok}/${throttled}` : `${ok}`)).join(' ')
}

async function quotaShape(dir, shape) {
  const built = buildSeed(shape.layout, `s${shape.id}x`)
  const ceiling = ceilingOf(built.perSpace, shape.quotas)
  const emulator = await startEmulator(dir, built.seed, [...LATENCY, ...quotaFlags(shape.quotas)])
  const runs = []
  try {
    for (let index = 0; index < RUNS; index += 1) runs.push(await measuredRun(dir, emulator, built, ceiling.space))
  } finally {
    await emulator.close()
  }
  const walls = runs.map(run => run.run.seconds)
  const middle = runs.find(run => run.run.seconds === median(walls)) ?? runs[0]
  say('')
  say(`${shape.id}. ${shape.title}: ${describeLayout(shape.layout)} managers (${built.names.length} items)`)
  say(`   quotas: ${describeQuotas(shape.quotas)}; latency 50 ms ±50%`)
  say(`   ceiling ${fmt(ceiling.seconds)} s (${ceiling.bucket} binds)`)
  const throttledShares = runs.map(run => run.log.throttled / run.log.requests)
  say(
    `   median of ${runs.length}: wall ${fmt(median(walls))} s, efficiency ${fmt(ceiling.seconds / median(walls), 3)}, ` +
      `requests ${median(runs.map(run => run.log.requests))}, 429s ${pct(median(throttledShares))}, ` +
      `failed items ${median(runs.map(run => run.failed))}, wrong roles ${median(runs.map(run => run.wrong.length))}, ` +
      `peak RSS ${fmt(median(runs.map(run => run.run.rssMB ?? Number.NaN)), 0)} MB`,
  )
  for (const [index, run] of runs.entries()) {
    say(
      `   run ${index + 1}: wall ${fmt(run.run.seconds)} s, eff ${fmt(ceiling.seconds / run.run.seconds, 2)}, ` +
        `${run.log.requests} requests (${describeStatuses(run.log.statuses)}), 429s ${pct(throttledShares[index])}, ` +
        `failed ${run.failed}, wrong ${run.wrong.length}, exit ${run.run.code}, RSS ${fmt(run.run.rssMB, 0)} MB; ` +
        `reads ${fmt(run.log.reads.first)}–${fmt(run.log.reads.last)} s, writes ${fmt(run.log.writes.first)}–${fmt(run.log.writes.last)} s`,
    )
  }
  say(
    `   median run, writes per second from its first request (200s, /429s): ${perSecondPattern(middle.log.perSecond)}`,
  )
  if (middle.watched !== undefined) {
    say(`   median run, writes per second of ${ceiling.space} (the binding space): ${perSecondPattern(middle.watched)}`)
  }
  return { shape, ceiling, walls, throttledShares, runs }
}

async function bulkShape(dir) {
  const built = buildSeed([[100, 100]], 's4x')
  const emulator = await startEmulator(dir, built.seed, [...LATENCY, '--no-quotas'])
  let result
  try {
    result = await measuredRun(dir, emulator, built)
  } finally {
    await emulator.close()
  }
  const { run, log } = result
  // The log keeps 10,000 requests and the emulator has no flag to keep more: past that, the CLI's own count
  // of item attempts (list pages are not in it) is what there is.
  const pages = built.perSpace.reduce((sum, space) => sum + readsOf(space), 0)
  const requests = log.complete
    ? `${log.requests}`
    : `${attemptsOf(run.document)} counted on items by the CLI + at least ${pages} list pages (the log keeps 10,000)`
  say('')
  say(`4. bulk: 100 × 100 managers (${built.names.length} items), --no-quotas, latency 50 ms, 1 run`)
  say(
    `   wall ${fmt(run.seconds)} s (${Math.round(built.names.length / run.seconds)} items/s), peak RSS ${fmt(run.rssMB, 0)} MB ` +
      `(target < ${TARGETS.rssMB}), requests ${requests}, failed items ${result.failed}, wrong roles ${result.wrong.length}, exit ${run.code}`,
  )
  return result
}

async function faultShape(dir) {
  const built = buildSeed([[20, 100]], 's5x')
  const faulty = await startEmulator(dir, built.seed, [
    ...LATENCY,
    '--no-quotas',
    '--fail-rate',
    '0.05',
    '--drop-rate',
    '0.01',
    '--seed-random',
    '7',
  ])
  const clean = await startEmulator(dir, built.seed, [...LATENCY, '--no-quotas'])
  const pairs = []
  try {
    // Side by side: clean, faulty, clean, faulty, so drift on this shared machine hits both alike.
    // As many pairs as the quota shapes' runs: one fault landing late stretches a run, so a median is wanted.
    for (let index = 0; index < RUNS; index += 1) {
      const cleanRun = await measuredRun(dir, clean, built)
      const faultyRun = await measuredRun(dir, faulty, built)
      pairs.push({ clean: cleanRun, faulty: faultyRun })
    }
  } finally {
    await faulty.close()
    await clean.close()
  }
  const ratios = pairs.map(pair => pair.faulty.run.seconds / pair.clean.run.seconds)
  say('')
  say(
    `5. faults: 20 × 100 managers (${built.names.length} items), --no-quotas, --fail-rate 0.05 --drop-rate 0.01, ` +
      `against the same run without faults, ${pairs.length} pairs`,
  )
  for (const [index, pair] of pairs.entries()) {
    const { faulty: run } = pair
    say(
      `   pair ${index + 1}: faulty wall ${fmt(run.run.seconds)} s vs clean ${fmt(pair.clean.run.seconds)} s ` +
        `(ratio ${fmt(ratios[index], 2)}); faulty: ${run.log.requests} requests (${describeStatuses(run.log.statuses)}), ` +
        `results ${describeStatuses(run.counts)}, failed items ${run.failed}, wrong roles ${run.wrong.length}, exit ${run.run.code}, ` +
        `RSS ${fmt(run.run.rssMB, 0)} MB; ` +
        `clean: failed ${pair.clean.failed}, wrong ${pair.clean.wrong.length}`,
    )
    for (const wrong of run.wrong.slice(0, 5)) say(`     wrong: ${wrong}`)
  }
  say(`   median ratio ${fmt(median(ratios), 2)}`)
  return { pairs, ratios }
}

/** Google's guide: one process per membership, in a bash loop, names grouped by space. */
async function guideShape(dir) {
  const built = buildSeed([[20, 3]], 's6x')
  const ceiling = ceilingOf(built.perSpace, {})
  const emulator = await startEmulator(dir, built.seed, LATENCY)
  let loop
  const runs = []
  try {
    await emulator.reset()
    const env = await userEnv(dir, { CHAT_EMULATOR_HOST: emulator.host })
    const script =
      'ok=0; failed=0; for name in "$@"; do if node bench/guide-sample.js "$name" >/dev/null 2>&1; ' +
      'then ok=$((ok+1)); else failed=$((failed+1)); fi; done; echo "$ok $failed"'
    const shell = await runProcess('bash', ['-c', script, 'loop', ...built.names], {
      env: { ...env, PATH: `${join(process.execPath, '..')}:${env.PATH}` },
    })
    const [finished, failed] = shell.stdout.trim().split(' ').map(Number)
    const log = analyseLog(await emulator.requests())
    loop = {
      seconds: shell.seconds,
      finished,
      failed,
      log,
      wrong: wrongRoles(built.seed, built.names, await emulator.state()),
    }
    for (let index = 0; index < RUNS; index += 1) runs.push(await measuredRun(dir, emulator, built))
  } finally {
    await emulator.close()
  }
  const walls = runs.map(run => run.run.seconds)
  const wall = median(walls)
  say('')
  say(
    `6. Google's guide loop vs chat-role: 20 × 3 managers (${built.names.length} items), default quotas, latency 50 ms`,
  )
  say(
    `   guide loop (bash, one node bench/guide-sample.js per name, 1 run): wall ${fmt(loop.seconds)} s, ` +
      `finished ${loop.finished}, failed ${loop.failed} (429s in the log: ${loop.log.throttled})`,
  )
  say(
    `   chat-role (median of ${runs.length}): wall ${fmt(wall)} s, finished ${built.names.length - median(runs.map(run => run.failed))}, ` +
      `429s ${median(runs.map(run => run.log.throttled))}; loop / chat-role ${fmt(loop.seconds / wall, 1)}×`,
  )
  say(
    `   ceiling ${fmt(ceiling.seconds)} s (${ceiling.bucket} binds); chat-role wall / ceiling ${fmt(wall / ceiling.seconds, 2)} ` +
      `(target ≤ ${TARGETS.guideRatio})`,
  )
  for (const [index, run] of runs.entries()) {
    say(
      `   run ${index + 1}: wall ${fmt(run.run.seconds)} s, ${run.log.requests} requests (${describeStatuses(run.log.statuses)}), ` +
        `failed ${run.failed}, wrong ${run.wrong.length}; reads ${fmt(run.log.reads.first)}–${fmt(run.log.reads.last)} s, ` +
        `writes ${fmt(run.log.writes.first)}–${fmt(run.log.writes.last)} s`,
    )
  }
  const middle = runs.find(run => run.run.seconds === wall) ?? runs[0]
  const { throttled, accepted } = middle.gaps
  say(`   median run, writes per second (200s, /429s): ${perSecondPattern(middle.log.perSecond)}`)
  say(
    `   median run, a write's arrival after the previous write to its space: accepted ${describeGaps(accepted)}; ` +
      `refused (429) ${describeGaps(throttled)}`,
  )
  return { loop, runs, ceiling }
}

const wants = id => ONLY === undefined || ONLY.includes(id)

const dir = await scratch()
try {
  say(
    `role runs: chat-role demote, each run a new process, against bin/chat-role-emulator.js (its own process); ` +
      `Node ${process.version}; peak RSS ${HAVE_TIME ? 'by /usr/bin/time' : 'not measured (no /usr/bin/time)'}`,
  )
  say(
    `targets: efficiency (ceiling / wall) ≥ ${TARGETS.efficiency}, 429s < ${pct(TARGETS.throttledShare)}, no failed item; ` +
      `bulk RSS < ${TARGETS.rssMB} MB; faults: no failed item, no wrong role, wall ratio ≤ ${TARGETS.faultRatio}; ` +
      `guide: chat-role wall / ceiling ≤ ${TARGETS.guideRatio}`,
  )
  const verdicts = []
  const check = (what, figure, met) => verdicts.push(`   ${met ? 'met   ' : 'MISSED'} ${what}: ${figure}`)
  for (const shape of QUOTA_SHAPES) {
    if (!wants(shape.id)) continue
    const { ceiling, walls, throttledShares, runs } = await quotaShape(dir, shape)
    const efficiency = ceiling.seconds / median(walls)
    const share = median(throttledShares)
    const failed = Math.max(...runs.map(run => run.failed + run.wrong.length))
    check(
      `${shape.id}. ${shape.title}, efficiency ≥ ${TARGETS.efficiency}`,
      fmt(efficiency, 3),
      efficiency >= TARGETS.efficiency,
    )
    check(
      `${shape.id}. ${shape.title}, 429s < ${pct(TARGETS.throttledShare)}`,
      pct(share),
      share < TARGETS.throttledShare,
    )
    check(`${shape.id}. ${shape.title}, no failed item or wrong role`, `${failed} at most in a run`, failed === 0)
  }
  if (wants(4)) {
    const { run, failed, wrong } = await bulkShape(dir)
    check(`4. bulk, peak RSS < ${TARGETS.rssMB} MB`, `${fmt(run.rssMB, 0)} MB`, run.rssMB < TARGETS.rssMB)
    check('4. bulk, no failed item or wrong role', `${failed + wrong.length}`, failed + wrong.length === 0)
  }
  if (wants(5)) {
    const { pairs, ratios } = await faultShape(dir)
    const bad = Math.max(...pairs.map(pair => pair.faulty.failed + pair.faulty.wrong.length))
    check('5. faults, no failed item or wrong role', `${bad} at most in a run`, bad === 0)
    check(`5. faults, wall ratio ≤ ${TARGETS.faultRatio}`, fmt(median(ratios), 2), median(ratios) <= TARGETS.faultRatio)
  }
  if (wants(6)) {
    const { runs, ceiling } = await guideShape(dir)
    const ratio = median(runs.map(run => run.run.seconds)) / ceiling.seconds
    check(`6. guide's 60, chat-role wall / ceiling ≤ ${TARGETS.guideRatio}`, fmt(ratio, 2), ratio <= TARGETS.guideRatio)
    const failed = Math.max(...runs.map(run => run.failed))
    check("6. guide's 60, chat-role finishes all", `${failed} failed at most in a run`, failed === 0)
  }
  say('')
  say('targets:')
  for (const verdict of verdicts) say(verdict)
} finally {
  await rm(dir, { recursive: true, force: true })
}
