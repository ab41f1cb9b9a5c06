// Benchmark of the Chat API emulator (run with `npm run bench`, which builds first). Prints two
// figures: how long a 100 spaces × 1,000 members seed takes from JSON text to a listening server,
// and loopback throughput with quotas off: a time-limited loop of concurrent keep-alive GETs and
// PATCHes from a worker thread (its own event loop, so client and server do not share one).
import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { generateSeed, generatedSpaceId, generatedUserId, startEmulator } from '../dist/emulator/index.js'

const SPACES = 100
const MEMBERS = 1000
const CONCURRENCY = 32
const DURATION_MS = 3000
const MAX_REQUESTS = 200_000
const PATCH_SHARE = 0.2

function send(agent, url, method, path, body) {
  return new Promise(resolve => {
    const req = request(
      new URL(path, url),
      { method, agent, headers: { authorization: 'Bearer owner', 'content-type': 'application/json' } },
      res => {
        res.resume()
        res.on('end', () => resolve(res.statusCode))
      },
    )
    req.on('error', () => resolve('error'))
    req.end(body)
  })
}

/** Worker: hammers the emulator until the deadline or the request cap, then reports counts. */
async function load({ url, spaces, members }) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })
  const statuses = {}
  let sent = 0
  let index = 0
  const deadline = performance.now() + DURATION_MS
  const started = performance.now()
  async function lane() {
    while (performance.now() < deadline && sent < MAX_REQUESTS) {
      sent += 1
      index += 1
      const space = generatedSpaceId(index % spaces)
      // Members 1… are never the space's only owner, so every patch is a real change or a no-op.
      const member = generatedUserId(1 + (index % (members - 1)))
      const patch = index % Math.round(1 / PATCH_SHARE) === 0
      const status = patch
        ? await send(
            agent,
            url,
            'PATCH',
            `/v1/spaces/${space}/members/${member}?updateMask=role`,
            JSON.stringify({ role: index % 2 === 0 ? 'ROLE_ASSISTANT_MANAGER' : 'ROLE_MEMBER' }),
          )
        : index % 2 === 0
          ? await send(agent, url, 'GET', `/v1/spaces/${space}/members/${member}`)
          : await send(agent, url, 'GET', `/v1/spaces/${space}/members?pageSize=20`)
      statuses[status] = (statuses[status] ?? 0) + 1
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, lane))
  agent.destroy()
  return { sent, seconds: (performance.now() - started) / 1000, statuses }
}

if (!isMainThread) {
  parentPort.postMessage(await load(workerData))
} else {
  const text = JSON.stringify(generateSeed({ spaces: SPACES, membersPerSpace: MEMBERS }))
  const started = performance.now()
  const emulator = await startEmulator({
    seed: JSON.parse(text),
    host: '127.0.0.1',
    quotas: false,
    requestLogLimit: 10_000,
  })
  const loadMs = performance.now() - started
  console.log(
    `seed load: ${SPACES} spaces × ${MEMBERS.toLocaleString('en')} members (${(SPACES * MEMBERS).toLocaleString('en')} memberships, ${(text.length / 1e6).toFixed(1)} MB of JSON) to a listening server in ${Math.round(loadMs)} ms`,
  )
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { url: emulator.url, spaces: SPACES, members: MEMBERS },
  })
  const result = await new Promise((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  await emulator.close()
  const rate = Math.round(result.sent / result.seconds)
  const statuses = Object.entries(result.statuses)
    .map(([status, count]) => `${status}×${count}`)
    .join(', ')
  console.log(
    `throughput: ${rate.toLocaleString('en')} requests/s (${result.sent.toLocaleString('en')} in ${result.seconds.toFixed(1)} s; ${CONCURRENCY} keep-alive connections on 127.0.0.1; ${Math.round((1 - PATCH_SHARE) * 100)}% GET, ${Math.round(PATCH_SHARE * 100)}% PATCH; quotas off) statuses: ${statuses}`,
  )
}
