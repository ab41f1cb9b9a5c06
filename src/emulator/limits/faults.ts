// Faults on demand for /v1/ calls: latency with ±50% jitter, failures (500 INTERNAL or 503
// UNAVAILABLE before anything is applied) and dropped connections (half of them after the change
// is applied, so the client cannot know whether it happened). Randomness is seedable.
import { setTimeout as sleep } from 'node:timers/promises'
import type { Random } from './random.js'

export interface FaultSettings {
  readonly latencyMs: number
  /** Probability (0..1) of answering 500/503 without applying the request. */
  readonly failRate: number
  /** Probability (0..1) of destroying the socket without an answer. */
  readonly dropRate: number
}

export type FaultOutcome = 'none' | 'fail-internal' | 'fail-unavailable' | 'drop-before' | 'drop-after'

export interface FaultPlan {
  readonly delayMs: number
  readonly outcome: FaultOutcome
}

const NO_FAULT: FaultPlan = { delayMs: 0, outcome: 'none' }

/** Draws the plan for one request; draws nothing when every fault is off. */
export function planFaults(settings: FaultSettings, random: Random): FaultPlan {
  if (settings.latencyMs <= 0 && settings.failRate <= 0 && settings.dropRate <= 0) return NO_FAULT
  const delayMs = settings.latencyMs > 0 ? Math.round(settings.latencyMs * (0.5 + random())) : 0
  const roll = settings.failRate > 0 || settings.dropRate > 0 ? random() : 1
  let outcome: FaultOutcome = 'none'
  if (roll < settings.failRate) outcome = random() < 0.5 ? 'fail-internal' : 'fail-unavailable'
  else if (roll < settings.failRate + settings.dropRate) outcome = random() < 0.5 ? 'drop-before' : 'drop-after'
  return { delayMs, outcome }
}

/**
 * Waits out a request's latency. A client that goes away (`clientGone` aborts) ends the wait: nobody
 * is left to delay, and the request it sent is applied at once, as Google applies a request it has
 * received.
 */
export async function waitLatency(ms: number, clientGone: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal: clientGone })
  } catch (error) {
    if (!clientGone.aborted) throw error
  }
}
