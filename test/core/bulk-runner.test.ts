import { describe, expect, it } from 'vitest'
import { runBulk } from '../../src/core/bulk-runner.js'

const tick = () => new Promise(resolve => setImmediate(resolve))

describe('runBulk', () => {
  it('returns results in input order whatever order they finish in', async () => {
    const items = [30, 10, 20, 0]
    const results = await runBulk(
      items,
      async (delay, index) => {
        for (let i = 0; i < delay; i += 1) await tick()
        return `${index}:${delay}`
      },
      { concurrency: 4, signal: new AbortController().signal, notStarted: () => 'never' },
    )
    expect(results).toEqual(['0:30', '1:10', '2:20', '3:0'])
  })

  it('never has more than `concurrency` items in flight', async () => {
    let inFlight = 0
    let peak = 0
    await runBulk(
      Array.from({ length: 25 }, (_, i) => i),
      async () => {
        inFlight += 1
        peak = Math.max(peak, inFlight)
        await tick()
        inFlight -= 1
      },
      { concurrency: 3, signal: new AbortController().signal, notStarted: () => undefined },
    )
    expect(peak).toBe(3)
  })

  it('starts nothing new once aborted, and reports what never started', async () => {
    const controller = new AbortController()
    const started: number[] = []
    const results = await runBulk(
      [0, 1, 2, 3, 4, 5],
      async item => {
        started.push(item)
        if (item === 1) controller.abort()
        await tick()
        return `done ${item}`
      },
      { concurrency: 2, signal: controller.signal, notStarted: item => `skipped ${item}` },
    )
    expect(started).toEqual([0, 1])
    expect(results).toEqual(['done 0', 'done 1', 'skipped 2', 'skipped 3', 'skipped 4', 'skipped 5'])
  })

  it('tells the journal seam about every settled item', async () => {
    const settled: number[] = []
    await runBulk([1, 2, 3], item => Promise.resolve(item * 2), {
      concurrency: 2,
      signal: new AbortController().signal,
      notStarted: () => 0,
      onSettled: (_result, index) => settled.push(index),
    })
    expect(settled.sort()).toEqual([0, 1, 2])
  })

  it('handles an empty batch', async () => {
    const results = await runBulk([], () => Promise.resolve(1), {
      concurrency: 4,
      signal: new AbortController().signal,
      notStarted: () => 0,
    })
    expect(results).toEqual([])
  })
})
